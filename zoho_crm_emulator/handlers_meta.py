"""Users, org, settings/modules and settings/fields (docs/zoho-api.md sections 1.3 and 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zoho_crm_emulator import exceptions, metadata, org_settings, params, seed, subforms, timeutil
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App

DEFAULT_STATUSES = ("visible", "user_hidden", "scheduled_for_deletion")  # system_hidden (Notes) only on request


def users(app: App, req: Request) -> Response:
    kind = req.query.get("type", "AllUsers")
    people = list(app.org.users.values())
    if kind == "CurrentUser":
        people = [app.org.users[app.org.current_user["id"]]]
    info = {"per_page": 200, "count": len(people), "page": 1, "more_records": False}
    return Response(200, {"users": people, "info": info})


def org(app: App, req: Request) -> Response:
    admin = app.org.users[app.org.current_user["id"]]
    offset = app.org.now().strftime("%z")
    return Response(200, {"org": [{
        "id": f"{metadata.ORG_PREFIX}000000000001", "company_name": "Zylker Emulated", "domain_name": "org0000001",
        "primary_email": admin["email"], "primary_zuid": "736078909", "zgid": "736078910", "country_code": "IN",
        "currency": "US Dollar - USD", "currency_symbol": "$", "iso_code": "USD", "time_zone": "Asia/Kolkata",
        "gapps_enabled": False, "mc_status": app.edition in org_settings.MULTI_CURRENCY_EDITIONS,
        "type": "Production",
        "license_details": {"paid": app.edition != "free", "paid_type": app.edition, "users_license_purchased":
                            len(app.org.users), "paid_expiry": None, "trial_type": None, "trial_expiry": None},
        "utc_offset": offset[:3] + ":" + offset[3:]}]})


def modules(app: App, req: Request) -> Response:
    since, meta_time = params.modified_since(req), timeutil.parse_datetime(seed.META_TIME)
    assert meta_time is not None  # a constant ISO-8601 instant
    if since is not None and since >= meta_time:
        return Response(304)
    wanted = tuple(s for s in (req.query.get("status") or "").split(",") if s) or DEFAULT_STATUSES
    found = [m for m in app.org.module_meta.values() if m["status"] in wanted]
    return Response(200, {"modules": found})


def module(app: App, req: Request) -> Response:
    meta = app.org.module_meta.get(req.params["module"])
    if meta is None:
        raise exceptions.invalid_module()
    detail = dict(meta)
    if meta["api_name"] in app.org.modules:
        detail["fields"] = [{"api_name": fd["api_name"], "id": fd["id"]} for fd in app.org.modules[
            meta["api_name"]].served_fields]
    return Response(200, {"modules": [detail]})


def fields(app: App, req: Request) -> Response:
    module_name = req.query.get("module")
    if not module_name:
        raise exceptions.required_param_missing("module")
    # "fields?module={subform}" describes a subform's own fields (docs/zoho-api/subforms.md S4)
    served = subforms.served_fields(module_name)
    served = app.org.module(module_name).served_fields if served is None else served
    kind = req.query.get("type", "all")
    found = [] if kind == "unused" else served
    return Response(200, {"fields": found})


def field(app: App, req: Request) -> Response:
    module_name = req.query.get("module")
    if not module_name:
        raise exceptions.required_param_missing("module")
    mod = app.org.module(module_name)
    found = next((fd for fd in mod.served_fields if fd["id"] == req.params["id"]), None)
    if found is None:
        raise exceptions.invalid_data("the given id seems to be invalid", resource_path_index=2)
    return Response(200, {"fields": [found]})
