"""GET records, one record, and deleted records (docs/zoho-api.md sections 3.1, 3.2, 5; v2 rules of section 13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import exceptions, metadata, paging, params, timeutil
from zoho_crm_emulator.models import Module, Row
from zoho_crm_emulator.validation import record_id
from zoho_crm_emulator.views import Window
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App

SORTABLE = ("id", "Created_Time", "Modified_Time")


class _Query:
    """The parsed parameters of one list call."""

    def __init__(self, module: Module, req: Request, names: list[str] | None):
        self.module, self.req, self.names = module, req, names
        self.per_page = params.integer(req, "per_page", 200, 1, params.MAX_PER_PAGE)
        self.page = params.integer(req, "page", 1, 1)
        self.sort_by = params.choice(req, "sort_by", "id", SORTABLE)
        self.desc = params.choice(req, "sort_order", "desc", ("asc", "desc")) == "desc"
        self.converted = params.choice(req, "converted", "false", ("true", "false", "both"))
        self.since = params.modified_since(req)
        self.key = module.sort_key(self.sort_by)
        # A token is bound to every parameter except per_page and the token itself (section 3.1).
        self.signature = (module.api_name, req.version, tuple(sorted(names or ())), self.sort_by, self.desc,
                          self.converted, self.since, req.query.get("approved", "true"), req.query.get("cvid"))

    def info(self, page: int, count: int, more: bool) -> dict[str, Any]:
        if self.req.version != "v8":
            return {"per_page": self.per_page, "count": count, "page": page, "more_records": more}
        return {"call": False, "per_page": self.per_page, "count": count, "page": page, "sort_by": self.sort_by,
                "sort_order": "desc" if self.desc else "asc", "more_records": more, "next_page_token": None,
                "previous_page_token": None, "page_token_expiry": None, "email": False}


def list_records(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])  # the Notes list has its own handler (handlers_notes.py)
    v8 = req.version == "v8"
    names = params.fields(module, req, required=v8)
    if "ids" in req.query:
        return by_ids(module, req, names)
    if "cvid" in req.query and "sort_by" in req.query:
        raise exceptions.ambiguity("cvid", "sort_by")
    if v8 and "page" in req.query and "page_token" in req.query:
        raise exceptions.ambiguity("page", "page_token")
    q = _Query(module, req, names)
    with module.org.lock:  # the index changes in place on writes; the page taken here is a copy
        window = module.window(q.sort_by, q.converted, q.since)
        if v8 and req.query.get("page_token"):
            page_rows, info = _token_page(app, q, window, req.query["page_token"])
        else:
            page_rows, info = _discrete_page(app, q, window)
        matched = window.size
    if not page_rows:
        # Section 3.1: 304 when If-Modified-Since matched nothing at all, else 204.
        return Response(304 if q.since is not None and not matched else 204)
    project = projection(module, names, req.version)
    return Response(200, {"data": [project(row) for row in page_rows], "info": info})


def _discrete_page(app: App, q: _Query, window: Window) -> tuple[list[Row], dict[str, Any]]:
    v8 = q.req.version == "v8"
    if v8 and q.page * q.per_page > paging.DISCRETE_CEILING:
        raise exceptions.discrete_pagination_limit(paging.DISCRETE_CEILING)
    offset = (q.page - 1) * q.per_page
    page_rows = window.at(offset, q.per_page, q.desc)
    more = offset + len(page_rows) < window.size
    info = q.info(q.page, len(page_rows), more)
    if v8 and more and page_rows:
        _attach_next(app, q, info, page_rows[-1], offset + len(page_rows), q.page)
    return page_rows, info


def _token_page(app: App, q: _Query, window: Window, value: str) -> tuple[list[Row], dict[str, Any]]:
    token = app.page_tokens.get(value)
    if token is None:
        raise exceptions.invalid_data("invalid data", param_name="page_token")
    if token.expires <= app.clock():
        raise exceptions.page_token_expired()
    if token.signature != q.signature:
        raise exceptions.page_token_mismatch()
    if token.served >= app.token_ceiling:
        raise exceptions.pagination_limit()
    count = min(q.per_page, app.token_ceiling - token.served)
    page_rows, more = window.after(token.last_key, count, q.desc)
    served = token.served + len(page_rows)
    info = q.info(token.page + 1, len(page_rows), more)
    info["previous_page_token"] = value
    if more:
        _attach_next(app, q, info, page_rows[-1], served, token.page + 1)
    return page_rows, info


def _attach_next(app: App, q: _Query, info: dict[str, Any], last: Row, served: int, page: int) -> None:
    token = app.page_tokens.issue(q.signature, q.key(last), served, page)
    info["next_page_token"] = token.value
    info["page_token_expiry"] = timeutil.fmt(int(token.expires), app.org.tz)


def by_ids(module: Module, req: Request, names: list[str] | None) -> Response:
    """`ids` (at most 100, docs/emulator.md): only those live records, in stored (id) order, no paging."""
    wanted = params.ids(req) or []
    rows = sorted((module.rows[i] for i in set(wanted) if i in module.rows), key=lambda r: r[0])
    if not rows:
        return Response(204)
    info: dict[str, Any] = {"per_page": len(rows), "count": len(rows), "page": 1, "more_records": False}
    if req.version == "v8":
        info.update(call=False, sort_by="id", sort_order="asc", next_page_token=None, previous_page_token=None,
                    page_token_expiry=None, email=False)
    project = projection(module, names, req.version)
    return Response(200, {"data": [project(row) for row in rows], "info": info})


def get_record(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])
    rid = record_id(req.params["id"])
    if rid is None:
        raise exceptions.invalid_data("invalid data", resource_path_index=1)
    names = params.fields(module, req, required=False)
    since = params.modified_since(req)
    row = module.rows.get(rid)
    if row is None:
        return Response(204)  # section 3.2: emulator choice for a well-formed unknown id
    if since is not None and row[module.col["Modified_Time"]] < since:
        return Response(304)
    return Response(200, {"data": [render(module, row, names, req.version, single=True)]})


def deleted_records(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])
    if "*" in app.deleted_denied or module.api_name in app.deleted_denied:
        raise exceptions.deleted_privilege_missing(app.deleted_denied_code)
    kind = req.query.get("type") or "all"
    if kind not in ("all", "recycle", "permanent"):
        raise exceptions.pattern_not_matched("type")
    per_page = params.integer(req, "per_page", 200, 1, params.MAX_PER_PAGE)
    page = params.integer(req, "page", 1, 1)
    since = params.modified_since(req)
    with module.org.lock:  # the bin's index changes in place on deletes; the chunk taken here is a copy
        entries = module.deleted_window(kind, since)
        chunk = entries.at((page - 1) * per_page, per_page, desc=True)
        more = page * per_page < entries.size
    if not chunk:
        return Response(204)
    data = [{**e, "deleted_time": timeutil.fmt(e["deleted_time"], app.org.tz)} for e in chunk]
    return Response(200, {"data": data, "info": {"per_page": per_page, "count": len(data), "page": page,
                                                 "more_records": more}})


def render(module: Module, row: Row, names: list[str] | None, version: str, single: bool = False) -> dict[str, Any]:
    """One record as the API shows it (see `projection`)."""
    return projection(module, names, version, single)(row)


def projection(module: Module, names: list[str] | None, version: str,
               single: bool = False) -> Callable[[Row], dict[str, Any]]:
    """Row -> record for one request, worked out once per request: requested fields (or all), `id` always;
    single-record-only types only on a single GET; v2 Notes get the v2 parent shape (section 13)."""
    if names is None:
        cols = tuple(range(1, len(module.columns))) if single else module.list_cols
        extras = dict(params.SIDECARS) if single else {}
    else:
        cols = tuple(module.col[n] for n in names if n in module.col and n != "id"
                     and (single or module.fields[module.col[n] - 1]["data_type"] not in metadata.SINGLE_RECORD_ONLY)
                     ) + module.sidecar_cols(names)
        extras = {n: params.SIDECARS[n] for n in names if n in params.SIDECARS}
    v2_note = module.api_name == "Notes" and version != "v8"

    def project(row: Row) -> dict[str, Any]:
        rec = module.render(row, cols)
        if extras:
            rec.update(extras)
        if v2_note and isinstance(rec.get("Parent_Id"), dict):
            parent = rec["Parent_Id"]
            rec["Parent_Id"] = {"name": parent["name"], "id": parent["id"]}
            rec["$se_module"] = parent["module"]["api_name"]
        return rec

    return project
