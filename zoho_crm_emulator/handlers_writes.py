"""Insert, update, upsert and delete over HTTP (docs/zoho-api.md section 8): parse, call writes.py, serialise."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import exceptions, params, writes
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.validation import record_id
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App

MAX_RECORDS = 100


def write_body(req: Request) -> tuple[list[Any], list[str] | None]:
    """The `data` array (1..100 elements) and the `trigger` list (None when omitted)."""
    body = req.json()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not data:
        raise exceptions.mandatory_not_found("data", "$.data")
    if len(data) > MAX_RECORDS:
        raise exceptions.TooManyRecords(MAX_RECORDS)
    trigger = body.get("trigger")
    if trigger is not None and (not isinstance(trigger, list)
                                or any(t not in writes.ALL_TRIGGERS for t in trigger)):
        raise exceptions.invalid_data("invalid data", api_name="trigger", json_path="$.trigger")
    return data, trigger


def write_cost(req: Request) -> int:
    """1 credit per 10 records, rounded up (section 11.3)."""
    try:
        body = req.json()
    except ZohoError:
        return 1
    data = body.get("data") if isinstance(body, dict) else None
    return max(1, math.ceil(len(data) / 10)) if isinstance(data, list) else 1


def is_heavy_write(req: Request) -> bool:
    """Section 11.4: writes of more than 10 records count against the sub-concurrency limit."""
    return write_cost(req) > 1


def insert(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])
    data, trigger = write_body(req)
    results = writes.insert(app.org, module, data, req.version)
    writes.record_triggers(app.org, trigger)
    return Response(writes.batch_status(results, 201), {"data": results})


def update(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])
    data, trigger = write_body(req)
    path_id = req.params.get("id")
    if path_id is not None and record_id(path_id) is None:
        raise exceptions.invalid_data("invalid data", resource_path_index=1)
    results = writes.update(app.org, module, data[:1] if path_id else data, path_id, req.version)
    writes.record_triggers(app.org, trigger)
    return Response(writes.batch_status(results, 200), {"data": results})


def upsert(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])
    data, trigger = write_body(req)
    dup = req.json().get("duplicate_check_fields")
    if dup is None:
        dup = module.unique_fields
    elif not isinstance(dup, list) or any(name not in module.unique_fields for name in dup):
        raise exceptions.invalid_data("invalid data", api_name="duplicate_check_fields",
                                      json_path="$.duplicate_check_fields")
    results = writes.upsert(app.org, module, data, dup)
    writes.record_triggers(app.org, trigger)
    return Response(writes.batch_status(results, 200), {"data": results})


def delete(app: App, req: Request) -> Response:
    module = app.org.module(req.params["module"])
    if "id" in req.params:
        ids = [record_id(req.params["id"]) or req.params["id"]]
    else:
        ids = params.ids(req, MAX_RECORDS) or []
        if not ids:
            raise exceptions.required_param_missing("ids")
    results = writes.delete(app.org, module, ids)
    wf = (req.query.get("wf_trigger") or "true").lower() != "false"  # default true (section 8)
    writes.record_triggers(app.org, ["workflow"] if wf else [])
    return Response(writes.batch_status(results, 200), {"data": results})
