"""Query-parameter checks shared by the read handlers, each raising the error Zoho answers with."""

from __future__ import annotations

from zoho_crm_emulator import exceptions, timeutil
from zoho_crm_emulator.models import Module
from zoho_crm_emulator.wire import Request

MAX_FIELDS = 50
MAX_PER_PAGE = 200
SIDECARS = {"$approval_state": "approved", "$currency_symbol": "$", "$editable": True, "$state": "save",
            "$process_flow": False, "$locked_for_me": False, "$in_merge": False,
            "$sharing_permission": "full_access", "$field_states": None}


def integer(req: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = req.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.invalid_data("invalid data", param_name=name) from None
    if value < low or (high is not None and value > high):
        raise exceptions.invalid_data("invalid data", param_name=name)  # section 3.1: per_page > 200
    return value


def choice(req: Request, name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = req.query.get(name) or default
    if value not in allowed:
        raise exceptions.invalid_data("invalid data", param_name=name)
    return value


def modified_since(req: Request) -> int | None:
    raw = req.header("If-Modified-Since")
    if not raw:
        return None
    epoch = timeutil.parse_header_datetime(raw)
    if epoch is None:
        raise exceptions.invalid_data("invalid data", header_name="If-Modified-Since")
    return epoch


def fields(module: Module, req: Request, required: bool) -> list[str] | None:
    """`fields`: required for v8 list calls and at most 50 (section 3.1); unknown names are refused."""
    raw = req.query.get("fields")
    if raw is None or not raw.strip():
        if required:
            raise exceptions.required_param_missing("fields")
        return None
    names = list(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    if len(names) > MAX_FIELDS:
        raise exceptions.limit_exceeded("Max field limit exceeded", limit=MAX_FIELDS, param_name="fields")
    for name in names:
        if name != "id" and module.field(name) is None and name not in SIDECARS:
            raise exceptions.invalid_data("invalid data", api_name=name, param_name="fields")
    return names


def ids(req: Request, limit: int = 100) -> list[str] | None:
    raw = req.query.get("ids")
    if raw is None:
        return None
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if len(values) > limit:
        raise exceptions.limit_exceeded("Record count exceeded", limit=limit, param_name="ids")
    return values


