"""Notes as a related list of a record (docs/zoho-api.md section 6). Top-level /Notes calls use the record handlers;
the Notes-specific rules (Parent_Id, v2 shape, oldest first) live in writes.py and handlers_records.py.
"""

from __future__ import annotations

from typing import Any

from zoho_crm_emulator import exceptions, params
from zoho_crm_emulator.handlers_records import projection
from zoho_crm_emulator.handlers_writes import insert, write_body
from zoho_crm_emulator.validation import record_id
from zoho_crm_emulator.wire import Request, Response


def _parent(app: Any, req: Request) -> tuple[Any, str]:
    module = app.org.module(req.params["module"])
    rid = record_id(req.params["id"])
    if rid is None or rid not in module.rows:
        raise exceptions.invalid_data("the related id given seems to be invalid", resource_path_index=1)
    return module, rid


def related_notes(app: Any, req: Request) -> Response:
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


def add_notes(app: Any, req: Request) -> Response:
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
