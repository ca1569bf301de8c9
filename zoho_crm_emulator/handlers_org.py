"""Users (paged, If-Modified-Since), roles, profiles, territories, currencies, layouts, tags and the tag actions.

Evidence and emulator choices: docs/zoho-api/org.md and docs/zoho-api/tags.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import exceptions, org_settings, params, timeutil, validation, writes
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App
    from zoho_crm_emulator.models import Module

USERS_PER_PAGE = 200  # Get Users: per_page at most 200 (docs/zoho-api/org.md)
TAG_IDS_PER_CALL = 500  # Add/Remove Tags: "a maximum of 500 records IDs" (docs/zoho-api/tags.md)
TAGS_ALLOWED = 100  # settings/tags info.allowed_count (emulator choice: Zoho's value is not published)
_USER_TYPES = {
    "AllUsers": lambda u: True, "ActiveUsers": lambda u: u["status"] == "active",
    "DeactiveUsers": lambda u: u["status"] != "active", "ConfirmedUsers": lambda u: u["confirm"],
    "NotConfirmedUsers": lambda u: not u["confirm"],
    "ActiveConfirmedUsers": lambda u: u["status"] == "active" and u["confirm"],
    "AdminUsers": lambda u: u["profile"]["name"] == "Administrator",
    "ActiveConfirmedAdmins": lambda u: u["status"] == "active" and u["confirm"]
    and u["profile"]["name"] == "Administrator",
}


def users(app: App, req: Request) -> Response:
    """Get Users: `type`, `page`/`per_page` (200 at most), If-Modified-Since (users modified since, inclusive;
    304 when none), `info.more_records`."""
    kind = req.query.get("type", "AllUsers")
    if kind == "CurrentUser":
        people = [app.org.users[app.org.current_user["id"]]]
    elif kind in _USER_TYPES:
        people = [u for u in app.org.users.values() if _USER_TYPES[kind](u)]
    else:
        raise exceptions.invalid_data("invalid data", param_name="type")
    since = params.modified_since(req)
    if since is not None:
        people = [u for u in people if (timeutil.parse_datetime(u.get("Modified_Time", "")) or 0) >= since]
        if not people:
            return Response(304)
    page, per_page = _int(req, "page", 1, 1, 10_000), _int(req, "per_page", USERS_PER_PAGE, 1, USERS_PER_PAGE)
    chunk = people[(page - 1) * per_page: page * per_page]
    if not chunk:
        return Response(204)
    info = {"per_page": per_page, "count": len(chunk), "page": page, "more_records": page * per_page < len(people)}
    return Response(200, {"users": chunk, "info": info})


def _int(req: Request, name: str, default: int, low: int, high: int) -> int:
    raw = req.query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise exceptions.invalid_data("invalid data", param_name=name)
    return int(raw)


def roles(app: App, req: Request) -> Response:
    return Response(200, {"roles": org_settings.roles(_people(app))})


def profiles(app: App, req: Request) -> Response:
    return Response(200, {"profiles": org_settings.profiles(_people(app))})


def territories(app: App, req: Request) -> Response:
    if app.edition not in org_settings.TERRITORY_EDITIONS:
        # crm-oas v8.0 territories getTerritories example response-400-territorynotyetenabled
        raise ZohoError(400, "FEATURE_NOT_ENABLED", "Territory Management is not enabled")
    found = org_settings.territories(_people(app))
    return Response(200, {"territories": found, "info": {"per_page": 200, "count": len(found), "page": 1,
                                                         "more_records": False}})


def currencies(app: App, req: Request) -> Response:
    if app.edition not in org_settings.MULTI_CURRENCY_EDITIONS:
        # crm-oas v8.0 currencies getCurrencies example response-403-currenciesnotenabled
        raise ZohoError(403, "CURRENCIES_NOT_ENABLED", "Multi currency is not enabled")
    return Response(200, {"currencies": org_settings.currencies(_people(app))})


def layouts(app: App, req: Request) -> Response:
    module = _module(app, req)
    index = sorted(app.org.modules).index(module.api_name)
    refs = [{"name": p["name"], "id": p["id"], "_default_view": None, "_default_assignment_view": None}
            for p in org_settings.profiles(_people(app))]
    found = [org_settings.layout(module.api_name, index, module.served_fields, _people(app), refs)]
    return Response(200, {"layouts": found})


def tags(app: App, req: Request) -> Response:
    """settings/tags?module=X. One tag list serves every module (emulator choice: Zoho keeps one per module)."""
    _module(app, req)
    admin = {"name": _people(app)[0]["full_name"], "id": _people(app)[0]["id"]}
    with app.org.lock:
        found = [{**t, "created_time": org_settings.SETTINGS_TIME, "modified_time": org_settings.SETTINGS_TIME,
                  "created_by": admin, "modified_by": admin} for t in app.org.tags.values()]
    return Response(200, {"tags": found, "info": {"count": len(found), "allowed_count": TAGS_ALLOWED}})


def add_tags(app: App, req: Request) -> Response:
    return _tag_action(app, req, add=True)


def remove_tags(app: App, req: Request) -> Response:
    return _tag_action(app, req, add=False)


def _tag_action(app: App, req: Request, add: bool) -> Response:
    """POST {module}/actions/add_tags|remove_tags (body `tags`, `ids`, add: `over_write`) or
    {module}/{id}/actions/...: one result per id, in input order, `details.tags` the record's tags after."""
    module = app.org.module(req.params["module"])
    body = req.json()
    body = body if isinstance(body, dict) else {}
    ids = [req.params["id"]] if "id" in req.params else body.get("ids")
    if not isinstance(ids, list) or not ids:
        raise ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found", {"api_name": "ids",
                                                                               "json_path": "$.ids"})
    if len(ids) > TAG_IDS_PER_CALL:
        raise exceptions.limit_exceeded("the number of ids exceeds the limit", api_name="ids",
                                        maximum_length=TAG_IDS_PER_CALL)
    named = _named_tags(app, module, body.get("tags"), create=add)
    over_write = add and str(body.get("over_write", req.query.get("over_write", "false"))).lower() == "true"
    with app.org.lock:
        results = [_retag(app, module, rid, named, add, over_write) for rid in ids]
    ok = sum(r["status"] == "success" for r in results)
    return Response(writes.batch_status(results, 200), {"data": results, "wf_scheduler": False,
                                                         "success_count": str(ok), "locked_count": "0"})


def _named_tags(app: App, module: Module, raw: Any, create: bool) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found", {"api_name": "tags",
                                                                               "json_path": "$.tags"})
    field = module.field("Tag")
    if field is None:
        raise exceptions.invalid_module()
    if create:  # a new name becomes a new tag of the org, as on a record write (validation.py)
        return validation.coerce(app.org, field, raw, "$.tags") or []
    known = {t["name"].lower(): t for t in app.org.tags.values()}
    by_id = {t["id"]: t for t in app.org.tags.values()}
    out = []
    for i, item in enumerate(raw):
        tag = (by_id.get(str(item.get("id"))) or known.get(str(item.get("name", "")).lower())) \
            if isinstance(item, dict) else None
        if tag is None:
            raise exceptions.invalid_data("invalid data", api_name="tags", json_path=f"$.tags[{i}]")
        out.append(dict(tag))
    return out


def _retag(app: App, module: Module, raw_id: Any, named: list[dict[str, Any]], add: bool,
           over_write: bool) -> dict[str, Any]:
    rid = validation.record_id(raw_id)
    row = module.rows.get(rid) if rid else None
    if row is None:
        return {"code": "INVALID_DATA", "details": {"api_name": "id", "json_path": "$.ids", "id": str(raw_id)},
                "message": "invalid data", "status": "error"}
    current = list(row[module.col["Tag"]] or [])
    names = {t["name"].lower() for t in named}
    if add:
        kept = [] if over_write else [t for t in current if t["name"].lower() not in names]
        new = kept + named
    else:
        new = [t for t in current if t["name"].lower() not in names]
    row = writes.apply(app.org, module, row, {module.col["Tag"]: new}, {})
    return {"code": "SUCCESS", "details": {"id": rid, "tags": [dict(t) for t in new]},
            "message": "tags updated successfully", "status": "success"}


def _module(app: App, req: Request) -> Module:
    name = req.query.get("module")
    if not name:
        raise ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                        {"param": "module"})
    return app.org.module(name)


def _people(app: App) -> list[dict[str, Any]]:
    return list(app.org.users.values())
