"""Bulk Read (docs/zoho-api.md section 12.1): create a job, poll it, download one zipped CSV per page.

A job lives in the org's job store (jobs.py), which sets its lifecycle: ADDED, then IN PROGRESS, then
COMPLETED once the store's `job_seconds` have passed since its creation and its file is written. From its
creation a background thread fixes the ids of its page (200,000 rows) and writes them, one record at a time,
into a CSV inside a zip: Zoho has the file ready at COMPLETED, so a large export is a job in progress, never a
download that seems to stall (issue 8). A record deleted after that is left out of the download, which is
then written again.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import criteria, exceptions
from zoho_crm_emulator.criteria import Column, Predicate
from zoho_crm_emulator.exceptions import ZohoError

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.models import Module, Org

ROWS_PER_PAGE = 200_000
MAX_PAGE = 50  # the OAS pattern of query.page allows 1..50

NOT_EXPORTED = frozenset({"multiselectlookup", "multiuserlookup", "subform", "fileupload", "imageupload"})
COMPARATORS: dict[str, str] = {
    "equal": "eq", "not_equal": "ne", "less_than": "lt", "less_equal": "le", "greater_than": "gt",
    "greater_equal": "ge", "between": "between", "not_between": "not_between", "in": "in", "not_in": "not_in",
    "contains": "contains", "not_contains": "not_contains", "starts_with": "starts_with", "ends_with": "ends_with",
}
_TEXT = frozenset({"equal", "not_equal", "in", "not_in", "contains", "not_contains", "starts_with", "ends_with"})
_ORDERED = frozenset({"equal", "not_equal", "in", "not_in", "less_than", "less_equal", "greater_than",
                      "greater_equal", "between", "not_between"})
SUPPORTED: dict[str, frozenset[str]] = {
    **dict.fromkeys(("text", "textarea", "picklist", "multiselect"), _TEXT),
    **dict.fromkeys(("number", "date", "datetime", "id"), _ORDERED),
    "boolean": frozenset({"equal", "not_equal"}),
    **dict.fromkeys(("lookup", "owner"), frozenset({"equal", "not_equal", "in", "not_in"})),
}
EMPTY = "${EMPTY}"


# --- jobs ----------------------------------------------------------------------------------------------------------

@dataclass
class BulkReadJob:
    id: str
    module: Module
    columns: list[Column]
    predicate: Predicate
    page: int
    echo: dict[str, Any]  # the query as the status call shows it
    source: dict[str, Any]  # the query as asked, kept for the next page's token
    created_at: float  # on the job store's clock
    created_time: str
    created_by: dict[str, Any]
    ids: list[str] | None = None
    total: int = 0
    next_page_token: str | None = None
    export: bytes | None = None  # the zip, written in the background from creation
    ready: threading.Event = field(default_factory=threading.Event)  # set once the export is written
    fixing: threading.Lock = field(default_factory=threading.Lock)  # held while the page's ids are fixed

    @property
    def more_records(self) -> bool:
        return self.total > self.page * ROWS_PER_PAGE


# --- POST /crm/bulk/v8/read ----------------------------------------------------------------------------------------

def create_read_job(org: Org, body: dict) -> BulkReadJob:
    """Create a read job and start writing its file; raises exceptions.QueryError (or ZohoError) for a bad one."""
    if not isinstance(body, dict) or not body:
        raise exceptions.request_body_empty()
    _check_callback(body.get("callback"))
    query = body.get("query")
    if not isinstance(query, dict):
        raise exceptions.bulk_invalid_request("query is missing or invalid", "query")
    query, page = _resolve_page(org, query)
    job = org.jobs.add(_build_job(org, query, page))
    threading.Thread(target=_write_export, args=(org, job), name=f"bulk-read-{job.id}", daemon=True).start()
    return job


def _check_callback(callback: Any) -> None:
    if callback is None:
        return
    if not isinstance(callback, dict) or not str(callback.get("url", "")).startswith(("http://", "https://")):
        raise exceptions.invalid_callback_url()
    if str(callback.get("method", "")).lower() != "post":
        raise exceptions.invalid_callback_method()


def _resolve_page(org: Org, query: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """`page_token` (past 200,000 rows) stands for the query it was issued for; else `page`, default 1."""
    token = query.get("page_token")
    if token is not None:
        issued = org.jobs.redeem_page_token(str(token))
        if issued is None:
            raise exceptions.bulk_invalid_request("the page_token is invalid or expired", "page_token")
        return issued.query, issued.page
    page = query.get("page", 1)
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise exceptions.bulk_invalid_request("page must be a positive integer", "page")
    if page > MAX_PAGE:
        raise exceptions.page_range_exceeded(MAX_PAGE)
    return query, page


def _build_job(org: Org, query: dict[str, Any], page: int) -> BulkReadJob:
    module = _module(org, query.get("module"))
    if query.get("cvid") is not None:
        raise exceptions.cvid_not_supported()
    if query.get("file_type", "csv") != "csv":
        raise exceptions.file_type_not_supported()
    columns = _columns(org, module, query.get("fields"))
    raw_criteria = query.get("criteria")
    predicate = _criteria(org, module, raw_criteria) if raw_criteria is not None else (lambda r: True)
    echo: dict[str, Any] = {"module": {"id": module.meta.get("id"), "api_name": module.api_name}, "page": page}
    echo.update({k: query[k] for k in ("fields", "criteria") if query.get(k) is not None})
    user = {"id": org.current_user.get("id"), "name": org.current_user.get("name")}
    created_at = org.jobs.clock()
    created_time = datetime.fromtimestamp(created_at, org.tz).replace(microsecond=0).isoformat()
    return BulkReadJob(org.new_id(), module, columns, predicate, page, echo, query, created_at, created_time, user)


def _module(org: Org, ref: Any) -> Any:
    name = ref.get("api_name") if isinstance(ref, dict) else ref
    if not isinstance(name, str) or not name:
        raise exceptions.bulk_invalid_request("query.module is missing", "module")
    try:
        return org.module(name)
    except ZohoError:
        raise exceptions.bulk_module_not_supported(name) from None


def _columns(org: Org, module: Module, fields: Any) -> list[Column]:
    """`id` first, then the asked fields (one lookup hop at most), or every exportable field when omitted."""
    if fields is None:
        names = [f["api_name"] for f in module.fields if f.get("data_type") not in NOT_EXPORTED]
    elif isinstance(fields, list) and all(isinstance(n, str) for n in fields):
        names = list(fields)
    else:
        raise exceptions.bulk_invalid_request("fields must be a list of api names", "fields")
    columns = [criteria.resolve_column(org, module, "id")]
    for name in dict.fromkeys(n for n in names if n != "id"):
        column = criteria.resolve_column(org, module, name) if name.count(".") <= 1 else None
        if column is None or column.field.get("data_type") in NOT_EXPORTED:
            raise exceptions.field_not_supported(name)
        columns.append(column)
    return [c for c in columns if c is not None]


def _criteria(org: Org, module: Module, node: Any) -> Predicate:
    """A group {group_operator, group: [...]} or a leaf {field: {api_name}, comparator, value}."""
    if not isinstance(node, dict):
        raise exceptions.invalid_criteria("criteria must be an object")
    if "group" in node:
        joiner, group = str(node.get("group_operator", "")).lower(), node.get("group")
        if joiner not in ("and", "or") or not isinstance(group, list) or not group:
            raise exceptions.invalid_criteria("a group needs group_operator and/or and a non-empty group",
                                              group_operator=node.get("group_operator"))
        parts = [_criteria(org, module, child) for child in group]
        return criteria.all_of(parts) if joiner == "and" else criteria.any_of(parts)
    return _leaf(org, module, node)


def _leaf(org: Org, module: Module, node: dict[str, Any]) -> Predicate:
    api_name = (node.get("field") or {}).get("api_name") if isinstance(node.get("field"), dict) else None
    comparator, value = node.get("comparator"), node.get("value")
    column = criteria.resolve_column(org, module, api_name) if isinstance(api_name, str) else None
    if column is None:
        raise exceptions.invalid_criteria("the criteria field is invalid", api_name=api_name)
    allowed = SUPPORTED.get(column.kind, frozenset())
    if comparator not in allowed:
        raise exceptions.invalid_criteria("the comparator is not supported for the field", api_name=api_name,
                                          comparator=comparator, supported=sorted(allowed))
    if value == EMPTY:
        if comparator not in ("equal", "not_equal"):
            raise exceptions.invalid_criteria("${EMPTY} goes with equal or not_equal", api_name=api_name)
        return criteria.compare(column.key(), "is_null" if comparator == "equal" else "not_null", None, column.kind)
    return criteria.compare_column(column, COMPARATORS[comparator], _operand(org, column, comparator, value))


def _operand(org: Org, column: Column, comparator: str, value: Any) -> Any:
    listed = comparator in ("in", "not_in", "between", "not_between")
    if listed != isinstance(value, list) or (comparator.endswith("between") and len(value) != 2):
        raise exceptions.invalid_criteria("the value does not fit the comparator", api_name=column.name,
                                          comparator=comparator)
    try:
        keys = [criteria.literal(column.kind, v, org.tz) for v in (value if listed else [value])]
    except ValueError:
        raise exceptions.invalid_criteria("the value does not fit the field", api_name=column.name) from None
    if comparator in ("in", "not_in"):
        return frozenset(keys)
    return tuple(keys) if listed else keys[0]


# --- GET /crm/bulk/v8/read/{job_id} ------------------------------------------------------------------------------

def read_job(org: Org, job_id: str) -> tuple[BulkReadJob, str]:
    """The job and its state; a COMPLETED job has its page's ids (and next page token) fixed."""
    job = _job(org, job_id)
    state = org.jobs.read_state(job.created_at, job.ready)
    if state == "COMPLETED":
        _fix_page_ids(org, job)
    return job, state


def _job(org: Org, job_id: str) -> BulkReadJob:
    job = org.jobs.find(job_id, BulkReadJob)
    if job is None:
        raise exceptions.resource_not_found(job_id)
    return job


def _fix_page_ids(org: Org, job: BulkReadJob) -> None:
    """Fix the page's ids (in id order) once, and issue the next page's token when more rows remain.

    The job's own lock, not the org's: a 200,000-row scan must not hold up every other request.
    """
    with job.fixing:
        if job.ids is not None:
            return
        table = criteria.table_of(job.module)
        matched = sorted((table.record_id(r) for r in table.records() if job.predicate(r)), key=int)
        start = (job.page - 1) * ROWS_PER_PAGE
        job.total = len(matched)
        if job.more_records:
            job.next_page_token = org.jobs.issue_page_token(job.source, job.page + 1)
        job.ids = matched[start:start + ROWS_PER_PAGE]


def _write_export(org: Org, job: BulkReadJob) -> None:
    """In the background from creation: the page's ids, then its file (an error leaves it to the download)."""
    try:
        _fix_page_ids(org, job)
        job.export = _zip(job)
    finally:
        job.ready.set()


# --- GET /crm/bulk/v8/read/{job_id}/result ------------------------------------------------------------------------

def export(org: Org, job_id: str) -> bytes:
    """The page as a zip holding `{job_id}.csv`."""
    job = _job(org, job_id)
    if org.jobs.read_state(job.created_at, job.ready) != "COMPLETED":
        raise exceptions.resource_not_found(job_id, status=400)  # no result yet: the download does not exist
    _fix_page_ids(org, job)
    if job.export is not None and not _any_deleted(job):
        return job.export
    return _zip(job)


def _any_deleted(job: BulkReadJob) -> bool:
    table = criteria.table_of(job.module)
    return any(table.get(record_id) is None for record_id in job.ids or [])


def _zip(job: BulkReadJob) -> bytes:
    """`{job_id}.csv` in a zip: the header, then the job's records that are still live."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(f"{job.id}.csv", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        writer.writerow([c.name for c in job.columns])
        getters = [(c.kind, c.get) for c in job.columns]
        writer.writerows([cell(kind, get(record)) for kind, get in getters] for record in _records(job))
    return buffer.getvalue()


def _records(job: BulkReadJob) -> Iterator[Any]:
    """The job's records one at a time, as its table stores them; those deleted since completion are skipped."""
    table = criteria.table_of(job.module)
    for record_id in job.ids or []:
        record = table.get(record_id)
        if record is not None:
            yield record


def cell(kind: str, value: Any) -> str:
    """CSV text of a value: lookups as their id, booleans as true/false, multi-selects joined by ';'."""
    if value.__class__ is str:  # most cells: a 300,000-row export writes millions of them
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value.get("id") or "")
    if isinstance(value, list):  # Tag's objects by their names (how Zoho writes them in a CSV is UNCONFIRMED)
        return ";".join(str(v.get("name") or "") if isinstance(v, dict) else str(v) for v in value)
    return str(value)
