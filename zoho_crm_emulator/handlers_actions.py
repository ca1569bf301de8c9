"""Convert lead, mass convert and clone over HTTP (docs/zoho-api.md sections 9, 10; v2 rules of section 13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zoho_crm_emulator import actions, exceptions
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.jobs import MassConvertJob
from zoho_crm_emulator.validation import RecordError, record_id
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App

CONVERT_COST = 5  # section 11.3 (CONFIRMED)
MAX_MASS_CONVERT = 50


def _v8_only(req: Request) -> None:
    if req.version != "v8":
        raise exceptions.api_not_supported("v8")


def _path_id(req: Request) -> str:
    rid = record_id(req.params["id"])
    if rid is None:
        raise exceptions.invalid_data("invalid data", resource_path_index=1)
    return rid


def convert(app: App, req: Request) -> Response:
    lead_id = _path_id(req)
    body = req.json()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        raise exceptions.mandatory_not_found("data", "$.data")
    if len(data) > 1:  # one lead per call (section 9.1; emulator choice for the code)
        raise exceptions.limit_exceeded("only one record can be converted per call", limit=1, api_name="data")
    try:
        item = actions.convert_lead(app.org, lead_id, data[0], req.version)
    except RecordError as err:
        return Response(400, {"data": [err.item()]})
    return Response(200, {"data": [item]})


def mass_convert(app: App, req: Request) -> Response:
    _v8_only(req)
    body = req.json()
    ids = body.get("ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not ids:
        raise exceptions.mandatory_not_found("ids", "$.ids")
    if len(ids) > MAX_MASS_CONVERT:
        raise exceptions.limit_exceeded("too many ids", limit=MAX_MASS_CONVERT, api_name="ids")
    wanted = [rid for i in ids if (rid := record_id(i)) is not None]
    if len(wanted) != len(ids):
        raise exceptions.invalid_data("invalid data", api_name="ids", json_path="$.ids")
    opts = {k: v for k, v in body.items() if k in ("assign_to", "Deals")}
    job = actions.mass_convert(app.org, wanted, opts)
    return Response(202, {"code": "SCHEDULED", "details": {"job_id": job.id},
                          "message": "mass convert scheduled successfully", "status": "success"})


def mass_convert_cost(req: Request) -> int:
    """Emulator choice: a conversion's 5 credits per lead (section 11.3 prices Convert Lead only)."""
    try:
        body = req.json()
    except ZohoError:
        return CONVERT_COST
    ids = body.get("ids") if isinstance(body, dict) else None
    return CONVERT_COST * max(1, len(ids)) if isinstance(ids, list) else CONVERT_COST


def mass_convert_status(app: App, req: Request) -> Response:
    _v8_only(req)
    job_id = req.query.get("job_id")
    if not job_id:
        raise exceptions.required_param_missing("job_id")
    job = app.org.jobs.find(job_id, MassConvertJob)
    if job is None:
        raise exceptions.invalid_data("the given job id seems to be invalid", param_name="job_id")
    return Response(200, {"data": [{"Status": "completed", "Total_Count": job.total, "Converted_Count": job.converted,
                                    "Not_Converted_Count": job.not_converted, "Failed_Count": job.failed}]})


def clone(app: App, req: Request) -> Response:
    _v8_only(req)
    module = app.org.module(req.params["module"])
    if not actions.clonable(module):
        raise exceptions.not_supported("clone is not supported for this module")
    rid = _path_id(req)
    body = req.json()  # optional: clone is a POST with no body (section 0.1)
    data = body.get("data") if isinstance(body, dict) else None
    overrides = data[0] if isinstance(data, list) and data else {}
    try:
        item = actions.clone(app.org, module, rid, overrides)
    except RecordError as err:
        return Response(400, {"data": [err.item()]})
    return Response(201, {"data": [item]})
