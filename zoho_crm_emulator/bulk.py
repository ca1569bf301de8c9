"""Bulk Read (docs/zoho-api.md section 12.1): create a job, poll it, download one zipped CSV per page.

A job is ADDED, then IN PROGRESS, then COMPLETED once `JOB_DELAY_S` has passed since its creation and its file
is written; the state is computed when the job is read. From its creation a background thread fixes the ids of
its page (200,000 rows) and writes them, one record at a time, into a CSV inside a zip: Zoho has the file ready
at COMPLETED, so a large export is a job in progress, never a download that seems to stall (issue 8). A record
deleted after that is left out of the download, which is then written again.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import secrets
import threading
import time
import weakref
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import criteria
from zoho_crm_emulator.criteria import Column, Predicate
from zoho_crm_emulator.exceptions import ZohoError

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.models import Module, Org

# Module-level settings: tests may change them; the environment variable lets a test start a faster emulator.
JOB_DELAY_S = float(os.environ.get("ZOHO_EMULATOR_BULK_DELAY_S", "1.0"))
READY_WAIT_S = 5.0  # how long a status call past the delay waits for the file before it answers IN PROGRESS
ROWS_PER_PAGE = 200_000
MAX_PAGE = 50  # the OAS pattern of query.page allows 1..50
TOKEN_TTL_S = 24 * 3600
clock: Callable[[], float] = time.monotonic

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
_ids = itertools.count(1)
_COMPLETING = threading.Lock()


def error(code: str, message: str, **details: Any) -> ZohoError:
    return ZohoError(400, code, message, details)


def not_found(job_id: str, status: int = 404) -> ZohoError:
    return ZohoError(status, "RESOURCE_NOT_FOUND", "the requested resource could not be found", {"resource": job_id})


# --- jobs ----------------------------------------------------------------------------------------------------------

@dataclass
class Job:
    id: str
    module: Module
    columns: list[Column]
    predicate: Predicate
    page: int
    echo: dict[str, Any]  # the query as the status call shows it
    source: dict[str, Any]  # the query as asked, kept for the next page's token
    created_at: float
    created_time: str
    created_by: dict[str, Any]
    ids: list[str] | None = None
    total: int = 0
    next_page_token: str | None = None
    export: bytes | None = None  # the zip, written in the background from creation
    ready: threading.Event = field(default_factory=threading.Event)

    def state(self) -> str:
        elapsed = clock() - self.created_at
        if elapsed < JOB_DELAY_S:
            return "ADDED" if elapsed < JOB_DELAY_S / 2 else "IN PROGRESS"
        # A small export is written well within the wait, so a test on a frozen clock sees COMPLETED at once.
        return "COMPLETED" if self.ready.wait(READY_WAIT_S) else "IN PROGRESS"

    @property
    def more_records(self) -> bool:
        return self.total > self.page * ROWS_PER_PAGE


@dataclass
class Ledger:
    """One org's jobs and page tokens; it goes away with the org (a reset starts a new one)."""

    jobs: dict[str, Job] = field(default_factory=dict)
    tokens: dict[str, tuple[dict[str, Any], int, float]] = field(default_factory=dict)  # query, page, issued at


_LEDGERS: dict[int, tuple[weakref.ref, Ledger]] = {}


def ledger(org: Org) -> Ledger:
    entry = _LEDGERS.get(id(org))
    if entry is None or entry[0]() is not org:
        for key in [k for k, (ref, _) in _LEDGERS.items() if ref() is None]:
            del _LEDGERS[key]
        entry = _LEDGERS[id(org)] = (weakref.ref(org), Ledger())
    return entry[1]


def _new_id(org: Org) -> str:
    """A 19-digit id with the org's prefix (section 0); the counter keeps ids of one process unique."""
    prefix = str(org.current_user.get("id", ""))[:7].ljust(7, "0")
    return f"{prefix}{900_000_000_000 + next(_ids):012d}"


# --- POST /crm/bulk/v8/read ----------------------------------------------------------------------------------------

def handle_create_read_job(org: Org, body: dict, base_url: str) -> tuple[int, dict]:
    """Create a read job. `base_url` is the router's; download_url stays relative, as Zoho serves it (12.1)."""
    if not isinstance(body, dict) or not body:
        raise error("REQUEST_BODY_IS_EMPTY", "request body is empty")
    _check_callback(body.get("callback"))
    query = body.get("query")
    if not isinstance(query, dict):
        raise error("INVALID_REQUEST", "query is missing or invalid", api_name="query")
    with org.lock:
        book = ledger(org)
        query, page = _resolve_page(book, query)
        job = _build_job(org, query, page)
        book.jobs[job.id] = job
    threading.Thread(target=_prepare, args=(org, job), name=f"bulk-read-{job.id}", daemon=True).start()
    details = {"id": job.id, "operation": "read", "state": "ADDED", "created_by": job.created_by,
               "created_time": job.created_time}
    return 201, {"data": [{"status": "success", "code": "ADDED_SUCCESSFULLY", "message": "Added successfully.",
                           "details": details}], "info": {}}


def _check_callback(callback: Any) -> None:
    if callback is None:
        return
    if not isinstance(callback, dict) or not str(callback.get("url", "")).startswith(("http://", "https://")):
        raise error("INVALID_CALLBACK_URL", "the callback url is invalid", api_name="url")
    if str(callback.get("method", "")).lower() != "post":
        raise error("INVALID_CALLBACK_METHOD", "the callback method must be post", api_name="method")


def _resolve_page(book: Ledger, query: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """`page_token` (past 200,000 rows) stands for the query it was issued for; else `page`, default 1."""
    token = query.get("page_token")
    if token is not None:
        issued = book.tokens.get(str(token))
        if issued is None or clock() - issued[2] > TOKEN_TTL_S:
            raise error("INVALID_REQUEST", "the page_token is invalid or expired", api_name="page_token")
        return issued[0], issued[1]
    page = query.get("page", 1)
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise error("INVALID_REQUEST", "page must be a positive integer", api_name="page")
    if page > MAX_PAGE:
        raise error("PAGE_RANGE_EXCEEDED", "the page is out of range", max_limit=MAX_PAGE)
    return query, page


def _build_job(org: Org, query: dict[str, Any], page: int) -> Job:
    module = _module(org, query.get("module"))
    if query.get("cvid") is not None:
        raise error("CVID_NOT_SUPPORTED", "custom views are not supported", api_name="cvid")
    if query.get("file_type", "csv") != "csv":
        raise error("NOT_SUPPORTED_FEATURE", "only csv files can be exported from this module", api_name="file_type")
    columns = _columns(org, module, query.get("fields"))
    raw_criteria = query.get("criteria")
    predicate = _criteria(org, module, raw_criteria) if raw_criteria is not None else (lambda r: True)
    echo: dict[str, Any] = {"module": {"id": module.meta.get("id"), "api_name": module.api_name}, "page": page}
    echo.update({k: query[k] for k in ("fields", "criteria") if query.get(k) is not None})
    user = {"id": org.current_user.get("id"), "name": org.current_user.get("name")}
    return Job(_new_id(org), module, columns, predicate, page, echo, query, clock(), org.now().isoformat(), user)


def _module(org: Org, ref: Any) -> Any:
    name = ref.get("api_name") if isinstance(ref, dict) else ref
    if not isinstance(name, str) or not name:
        raise error("INVALID_REQUEST", "query.module is missing", api_name="module")
    try:
        return org.module(name)
    except ZohoError:
        raise error("MODULE_NOT_SUPPORTED", "the module is not supported for bulk read", api_name=name) from None


def _columns(org: Org, module: Module, fields: Any) -> list[Column]:
    """`id` first, then the asked fields (one lookup hop at most), or every exportable field when omitted."""
    if fields is None:
        names = [f["api_name"] for f in module.fields if f.get("data_type") not in NOT_EXPORTED]
    elif isinstance(fields, list) and all(isinstance(n, str) for n in fields):
        names = list(fields)
    else:
        raise error("INVALID_REQUEST", "fields must be a list of api names", api_name="fields")
    columns = [criteria.resolve_column(org, module, "id")]
    for name in dict.fromkeys(n for n in names if n != "id"):
        column = criteria.resolve_column(org, module, name) if name.count(".") <= 1 else None
        if column is None or column.field.get("data_type") in NOT_EXPORTED:
            raise error("FIELD_NOT_SUPPORTED", "the field is not supported", api_name=name)
        columns.append(column)
    return [c for c in columns if c is not None]


def _criteria(org: Org, module: Module, node: Any) -> Predicate:
    """A group {group_operator, group: [...]} or a leaf {field: {api_name}, comparator, value}."""
    if not isinstance(node, dict):
        raise error("INVALID_CRITERIA", "criteria must be an object")
    if "group" in node:
        joiner, group = str(node.get("group_operator", "")).lower(), node.get("group")
        if joiner not in ("and", "or") or not isinstance(group, list) or not group:
            raise error("INVALID_CRITERIA", "a group needs group_operator and/or and a non-empty group",
                        group_operator=node.get("group_operator"))
        parts = [_criteria(org, module, child) for child in group]
        return criteria.all_of(parts) if joiner == "and" else criteria.any_of(parts)
    return _leaf(org, module, node)


def _leaf(org: Org, module: Module, node: dict[str, Any]) -> Predicate:
    api_name = (node.get("field") or {}).get("api_name") if isinstance(node.get("field"), dict) else None
    comparator, value = node.get("comparator"), node.get("value")
    column = criteria.resolve_column(org, module, api_name) if isinstance(api_name, str) else None
    if column is None:
        raise error("INVALID_CRITERIA", "the criteria field is invalid", api_name=api_name)
    allowed = SUPPORTED.get(column.kind, frozenset())
    if comparator not in allowed:
        raise error("INVALID_CRITERIA", "the comparator is not supported for the field", api_name=api_name,
                    comparator=comparator, supported=sorted(allowed))
    if value == EMPTY:
        if comparator not in ("equal", "not_equal"):
            raise error("INVALID_CRITERIA", "${EMPTY} goes with equal or not_equal", api_name=api_name)
        return criteria.compare(column.key(), "is_null" if comparator == "equal" else "not_null", None, column.kind)
    return criteria.compare_column(column, COMPARATORS[comparator], _operand(org, column, comparator, value))


def _operand(org: Org, column: Column, comparator: str, value: Any) -> Any:
    listed = comparator in ("in", "not_in", "between", "not_between")
    if listed != isinstance(value, list) or (comparator.endswith("between") and len(value) != 2):
        raise error("INVALID_CRITERIA", "the value does not fit the comparator", api_name=column.name,
                    comparator=comparator)
    try:
        keys = [criteria.literal(column.kind, v, org.tz) for v in (value if listed else [value])]
    except ValueError:
        raise error("INVALID_CRITERIA", "the value does not fit the field", api_name=column.name) from None
    if comparator in ("in", "not_in"):
        return frozenset(keys)
    return tuple(keys) if listed else keys[0]


# --- GET /crm/bulk/v8/read/{job_id} ------------------------------------------------------------------------------

def handle_job_status(org: Org, job_id: str) -> tuple[int, dict]:
    job = _job(org, job_id)
    state = job.state()
    if state == "COMPLETED":
        _complete(org, job)
    data: dict[str, Any] = {"id": job.id, "operation": "read", "state": state, "query": job.echo,
                            "created_by": job.created_by, "created_time": job.created_time, "file_type": "csv"}
    if state == "COMPLETED":
        data["result"] = {"page": job.page, "per_page": ROWS_PER_PAGE, "count": len(job.ids or []),
                          "download_url": f"/crm/bulk/v8/read/{job.id}/result", "more_records": job.more_records,
                          "next_page_token": job.next_page_token}
    return 200, {"data": [data]}


def _job(org: Org, job_id: str) -> Job:
    with org.lock:
        job = ledger(org).jobs.get(job_id)
    if job is None:
        raise not_found(job_id)
    return job


def _complete(org: Org, job: Job) -> None:
    """Fix the page's ids (in id order) once, and issue the next page's token when more rows remain.

    Its own lock, not the org's: a 200,000-row scan must not hold up every other request.
    """
    with _COMPLETING:
        if job.ids is not None:
            return
        table = criteria.table_of(job.module)
        matched = sorted((table.record_id(r) for r in table.records() if job.predicate(r)), key=int)
        start = (job.page - 1) * ROWS_PER_PAGE
        job.total = len(matched)
        if job.more_records:
            job.next_page_token = secrets.token_hex(24)
            with org.lock:
                ledger(org).tokens[job.next_page_token] = (job.source, job.page + 1, clock())
        job.ids = matched[start:start + ROWS_PER_PAGE]


def _prepare(org: Org, job: Job) -> None:
    """In the background from creation: the page's ids, then its file (an error leaves it to the download)."""
    try:
        _complete(org, job)
        job.export = _zip(job)
    finally:
        job.ready.set()


# --- GET /crm/bulk/v8/read/{job_id}/result ------------------------------------------------------------------------

def handle_download(org: Org, job_id: str) -> tuple[int, bytes]:
    """The page as a zip holding `{job_id}.csv`; the router serves it as application/zip."""
    job = _job(org, job_id)
    if job.state() != "COMPLETED":
        raise not_found(job_id, status=400)  # no result yet: the download resource does not exist
    _complete(org, job)
    if job.export is not None and not _any_deleted(job):
        return 200, job.export
    return 200, _zip(job)


def _any_deleted(job: Job) -> bool:
    table = criteria.table_of(job.module)
    return any(table.get(record_id) is None for record_id in job.ids or [])


def _zip(job: Job) -> bytes:
    """`{job_id}.csv` in a zip: the header, then the job's records that are still live."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(f"{job.id}.csv", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        writer.writerow([c.name for c in job.columns])
        getters = [(c.kind, c.get) for c in job.columns]
        writer.writerows([cell(kind, get(record)) for kind, get in getters] for record in _records(job))
    return buffer.getvalue()


def _records(job: Job) -> Iterator[Any]:
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
