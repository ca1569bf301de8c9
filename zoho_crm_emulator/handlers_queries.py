"""Search, COQL and Bulk Read over HTTP: read the request, call the engine, make the answer.

The query engines (criteria.py for search, coql.py, bulk.py) return results or raise
`exceptions.QueryError`; the HTTP answers (200 with `data` and `info`, 204 when nothing matched, Bulk Read's
job bodies) are made here, and the calls priced (section 11.3). `search_answer` and `coql_answer` take the
org rather than the app, so the unit tests run them against a small builder org.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import bulk, criteria, exceptions, params
from zoho_crm_emulator import coql as coql_engine
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App
    from zoho_crm_emulator.models import Org

LIMIT = re.compile(r"\blimit\s+(?:\d+\s*,\s*)?(\d+)", re.IGNORECASE)
BULK_CREATE_COST = 50  # UNCONFIRMED in Zoho's docs; the emulator's choice (section 11.3)
SEARCH_BY = ("criteria", "email", "phone", "word")  # in priority order (section 4)


# --- GET /crm/{v}/{module}/search (section 4) ----------------------------------------------------------------

def search(app: App, req: Request) -> Response:
    return search_answer(app.org, req)


def search_answer(org: Org, req: Request) -> Response:
    """200 with the page newest id first and its `info`, or 204 when the page is empty; 2,000 rows at most."""
    module = org.module(req.params["module"])
    by = {name: value for name in SEARCH_BY if (value := req.query.get(name))}
    if not by:
        raise exceptions.search_param_missing(list(SEARCH_BY))
    fields = params.fields(module, req, required=not req.version.startswith("v2"))
    number = params.integer(req, "page", 1, 1)
    per_page = params.integer(req, "per_page", params.MAX_PER_PAGE, 1, params.MAX_PER_PAGE)
    converted = params.choice(req, "converted", "false", ("false", "true", "both"))
    if number * per_page > criteria.MAX_SEARCH_ROWS:
        raise exceptions.search_rows_exceeded(criteria.MAX_SEARCH_ROWS)
    page = criteria.search(org, module, by, criteria.SearchPaging(number, per_page, converted, fields, req.version))
    if not page.records:
        return Response(204)
    info = {"per_page": per_page, "count": len(page.records), "page": number, "sort_by": "id", "sort_order": "desc",
            "more_records": page.more_records}
    return Response(200, {"data": page.records, "info": info})


# --- POST /crm/{v}/coql (section 7) ----------------------------------------------------------------------------

def coql(app: App, req: Request) -> Response:
    return coql_answer(app.org, req)


def coql_answer(org: Org, req: Request) -> Response:
    """200 with `data` and `info` (and `fields` when `include_meta` asks), or 204 when no row matched."""
    body = req.json()
    select = body.get("select_query") if isinstance(body, dict) else None
    if not isinstance(select, str) or not select.strip():
        raise exceptions.select_query_missing()
    assert isinstance(body, dict)  # a select_query was found in it
    result = coql_engine.run(org, select, req.version)
    if not result.rows:
        return Response(204)
    answer: dict[str, Any] = {"data": result.rows, "info": {"count": len(result.rows),
                                                            "more_records": result.more_records}}
    if "fields" in (body.get("include_meta") or []):
        answer["fields"] = result.fields
    return Response(200, answer)


def coql_cost(req: Request) -> int:
    """COQL credits by LIMIT tier: 1-200 -> 1, 201-1000 -> 2, above -> 3 (section 7); default LIMIT 200."""
    try:
        body = req.json()
    except ZohoError:
        return 1
    query = body.get("select_query", "") if isinstance(body, dict) else ""
    match = LIMIT.search(query) if isinstance(query, str) else None
    limit = int(match.group(1)) if match else 200
    return 1 if limit <= 200 else 2 if limit <= 1000 else 3


# --- Bulk Read (section 12.1) ----------------------------------------------------------------------------------

def bulk_create(app: App, req: Request) -> Response:
    if "application/json" not in (req.header("Content-Type") or ""):
        raise exceptions.media_type_not_supported()
    body = req.json()
    if not isinstance(body, dict):
        raise exceptions.invalid_data("invalid data", json_path="$")
    return Response(201, read_job_created(bulk.create_read_job(app.org, body)))


def bulk_status(app: App, req: Request) -> Response:
    return Response(200, read_job_status(*bulk.read_job(app.org, req.params["job_id"])))


def bulk_download(app: App, req: Request) -> Response:
    return Response(200, bulk.export(app.org, req.params["job_id"]), content_type="application/zip")


def read_job_created(job: bulk.BulkReadJob) -> dict[str, Any]:
    details = {"id": job.id, "operation": "read", "state": "ADDED", "created_by": job.created_by,
               "created_time": job.created_time}
    return {"data": [{"status": "success", "code": "ADDED_SUCCESSFULLY", "message": "Added successfully.",
                      "details": details}], "info": {}}


def read_job_status(job: bulk.BulkReadJob, state: str) -> dict[str, Any]:
    """The job as the status call shows it; `result` once COMPLETED, its download_url relative as Zoho serves it."""
    data: dict[str, Any] = {"id": job.id, "operation": "read", "state": state, "query": job.echo,
                            "created_by": job.created_by, "created_time": job.created_time, "file_type": "csv"}
    if state == "COMPLETED":
        data["result"] = {"page": job.page, "per_page": bulk.ROWS_PER_PAGE, "count": len(job.ids or []),
                          "download_url": f"/crm/bulk/v8/read/{job.id}/result", "more_records": job.more_records,
                          "next_page_token": job.next_page_token}
    return {"data": [data]}
