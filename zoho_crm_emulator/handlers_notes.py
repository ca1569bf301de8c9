"""Notes (docs/zoho-api.md section 6; docs/zoho-api/notes.md): the Notes list, the related list of a record, and the
refusal of `Notes/deleted`. Writes and single notes use the record handlers; the Notes-specific write rules
(Parent_Id, v2 shape) live in writes.py and handlers_records.py.

The Notes list is not Get Records. Zoho's Get Notes page documents `page`, `per_page` and `fields` (its OpenAPI file
adds `sort_by`, `sort_order` and `ids`) and no `If-Modified-Since` header and no `page_token`; its answers carry
`next_page_token: null`. So the list honours only those parameters, every other one is ignored as Zoho ignores
parameters an endpoint does not take, and position-based paging stops at Get Records' documented 2,000 rows.
Ignoring rather than refusing is the choice least convenient for a client that relies on either: the header
filters nothing (and never earns a 304), a `page_token` brings back page `page` (1 by default) again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import exceptions, paging, params
from zoho_crm_emulator.handlers_records import SORTABLE, by_ids, projection
from zoho_crm_emulator.handlers_writes import insert, write_body
from zoho_crm_emulator.validation import record_id
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App


def _parent(app: App, req: Request) -> tuple[Any, str]:
    module = app.org.module(req.params["module"])
    rid = record_id(req.params["id"])
    if rid is None or rid not in module.rows:
        raise exceptions.invalid_data("the related id given seems to be invalid", resource_path_index=1)
    return module, rid


def list_notes(app: App, req: Request) -> Response:
    """GET /Notes: admins only; oldest first unless sorted otherwise; no header filter, no page tokens."""
    if not app.admin:  # section 6: non-admins read Notes through a record's related list
        raise exceptions.notes_for_admins_only()
    notes = app.org.modules["Notes"]
    v8 = req.version == "v8"
    names = params.fields(notes, req, required=v8)
    if "ids" in req.query:
        return by_ids(notes, req, names)
    per_page = params.integer(req, "per_page", 200, 1, params.MAX_PER_PAGE)
    page = params.integer(req, "page", 1, 1)
    sort_by = params.choice(req, "sort_by", "id", SORTABLE)
    desc = params.choice(req, "sort_order", "asc", ("asc", "desc")) == "desc"  # oldest first by default
    if page * per_page > paging.DISCRETE_CEILING:
        raise exceptions.discrete_pagination_limit(paging.DISCRETE_CEILING)
    with notes.org.lock:  # the index changes in place on writes; the page taken here is a copy
        window = notes.window(sort_by)
        rows = window.at((page - 1) * per_page, per_page, desc)
        more = page * per_page < window.size
    if not rows:
        return Response(204)
    info: dict[str, Any] = {"per_page": per_page, "count": len(rows), "page": page, "more_records": more}
    if v8:  # Zoho's v7/v8 sample answer: the token keys are there and null
        info.update(sort_by=sort_by, sort_order="desc" if desc else "asc", next_page_token=None,
                    previous_page_token=None, page_token_expiry=None)
    project = projection(notes, names, req.version)
    return Response(200, {"data": [project(r) for r in rows], "info": info})


def deleted_notes(app: App, req: Request) -> Response:
    """GET /Notes/deleted: Get Deleted Records' supported modules do not include Notes, and Zoho answers a module
    an API does not support with INVALID_MODULE "the given module is not supported in api" (Get Notes' and Get
    Records' error lists)."""
    raise exceptions.module_not_supported_in_api(resource_path_index=0)


def related_notes(app: App, req: Request) -> Response:
    _, rid = _parent(app, req)
    notes = app.org.modules["Notes"]
    names = params.fields(notes, req, required=req.version == "v8")
    per_page = params.integer(req, "per_page", 200, 1, params.MAX_PER_PAGE)
    page = params.integer(req, "page", 1, 1)
    parent_col = notes.col["Parent_Id"]
    rows = [r for r in notes.view("id") if (r[parent_col] or {}).get("id") == rid]
    chunk = rows[(page - 1) * per_page:page * per_page]
    if not chunk:
        return Response(204)
    info = {"per_page": per_page, "count": len(chunk), "page": page, "more_records": page * per_page < len(rows)}
    project = projection(notes, names, req.version)
    return Response(200, {"data": [project(r) for r in chunk], "info": info})


def add_notes(app: App, req: Request) -> Response:
    """POST /{module}/{id}/Notes: Parent_Id may be omitted and then is the record of the path."""
    module, rid = _parent(app, req)
    data, _ = write_body(req)
    parent = {"module": {"api_name": module.api_name}, "id": rid} if req.version == "v8" else rid
    for item in data:
        if isinstance(item, dict) and "Parent_Id" not in item:
            item["Parent_Id"] = parent
            if req.version != "v8":
                item["se_module"] = module.api_name
    req.params["module"] = "Notes"  # from here on it is POST /Notes with the parents filled in
    return insert(app, req)
