"""The org's settings as Zoho publishes them: roles, profiles, territories, currencies, layouts (docs/zoho-api/org.md).

Pure data built from the seeded users and module metadata; the handlers in handlers_org.py serve it. The shapes
follow the sample answers of Zoho's crm-oas v8.0 files (`roles/operations/getRoles`, `territories/...`,
`currencies/operations/getCurrencies`, `profiles.json`, `layouts.json`); the values are this org's own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from zoho_crm_emulator import metadata, timeutil

# Territory Management is an Enterprise and Ultimate feature (docs/zoho-api/org.md, "Territories"): on the
# other editions GET settings/territories answers 400 FEATURE_NOT_ENABLED.
TERRITORY_EDITIONS = frozenset({"enterprise", "ultimate"})
# Multi-currency (docs/zoho-api/org.md, "Currencies"): off on Free and Standard (403 CURRENCIES_NOT_ENABLED).
MULTI_CURRENCY_EDITIONS = frozenset({"professional", "enterprise", "ultimate"})
SETTINGS_TIME = "2023-09-01T09:00:00+05:30"  # seed.META_TIME: when the seeded org was set up


def _sid(n: int) -> str:
    return f"{metadata.ORG_PREFIX}{900_000 + n:012d}"


def _later(days: int) -> str:
    """SETTINGS_TIME plus `days`, in the same offset (a fixed seeded history, not the clock)."""
    epoch = timeutil.parse_datetime(SETTINGS_TIME)
    assert epoch is not None
    return timeutil.fmt(epoch + int(timedelta(days=days).total_seconds()), timeutil.DEFAULT_TZ)


def user_history(index: int) -> dict[str, str]:
    """created_time / Modified_Time of the seeded user `index`: a user a week, each edited a day after."""
    return {"created_time": _later(7 * index), "Modified_Time": _later(7 * index + 1)}


def roles(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One role per seeded user's role name, the first (CEO) at the top of the hierarchy."""
    admin = {"name": users[0]["full_name"], "id": users[0]["id"]}
    out: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    for user in users:
        role = user["role"]
        if role["name"] in seen:
            continue
        top = out[0] if out else None
        entry = {"id": role["id"], "name": role["name"], "display_label": role["name"],
                 "api_name": role["name"].replace(" ", "_"), "description": f"{role['name']} of Zylker",
                 "share_with_peers": role["name"] != "Support",
                 "forecast_manager": None if top is None else admin,
                 "reporting_to": None if top is None else {"id": top["id"], "name": top["name"]},
                 "created_by__s": admin, "modified_by__s": admin,
                 "created_time__s": SETTINGS_TIME, "modified_time__s": _later(len(out))}
        seen[role["name"]] = entry
        out.append(entry)
    return out


def profiles(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    admin = {"name": users[0]["full_name"], "id": users[0]["id"]}
    found: dict[str, dict[str, Any]] = {}
    for user in users:
        p = user["profile"]
        found.setdefault(p["id"], {
            "id": p["id"], "name": p["name"], "display_label": p["name"], "custom": False, "default": True,
            "description": "This profile will have all the permissions." if p["name"] == "Administrator"
            else "This profile will have all the permissions except administrative privileges.",
            "type": "normal_profile", "category": False, "permission_type": "crm",
            "created_time": SETTINGS_TIME, "modified_time": SETTINGS_TIME, "created_by": admin,
            "modified_by": admin, "permissions_details": [], "sections": []})
    return list(found.values())


def territories(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The org's parent territory and two children (Zoho's sample: `manager`, `reporting_to`, `permission_type`)."""
    admin = {"name": users[0]["full_name"], "id": users[0]["id"]}
    parent: dict[str, Any] = {"id": _sid(1), "name": "Zylker", "api_name": "Zylker", "description": "Organization Parent Territory",
              "reporting_to": None, "manager": dict(admin), "permission_type": "read_only"}
    children: list[dict[str, Any]] = [{"id": _sid(1 + n), "name": name, "api_name": name.replace(" ", "_"),
                 "description": f"Accounts in {name}", "reporting_to": {"id": parent["id"], "name": "Zylker"},
                 "manager": {"name": users[n]["full_name"], "id": users[n]["id"]}, "permission_type": "read_write"}
                for n, name in ((1, "North America"), (2, "Europe"))]
    return [{**t, "created_time": SETTINGS_TIME, "modified_time": SETTINGS_TIME, "created_by": admin,
             "modified_by": admin} for t in (parent, *children)]


def currencies(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The base currency (the org's USD, GET org `iso_code`) and two others, as Zoho's list sample shapes them."""
    admin = {"name": users[0]["full_name"], "id": users[0]["id"]}
    rows = [("US Dollar - USD", "USD", "$", "1.000000000", True), ("Euro - EUR", "EUR", "€", "0.920000000", False),
            ("Indian Rupee - INR", "INR", "₹", "83.120000000", False)]
    return [{"id": _sid(10 + n), "name": name, "iso_code": iso, "symbol": symbol, "exchange_rate": rate,
             "is_base": base, "is_active": True, "prefix_symbol": True, "exchange_rate_auto_update": False,
             "format": {"numeral_system": "Indian" if iso == "INR" else "International", "decimal_places": "2",
                        "decimal_separator": "Period", "thousand_separator": "Comma"},
             "created_by": admin, "modified_by": admin, "created_time": SETTINGS_TIME,
             "modified_time": _later(n), "exchange_rate_updated_time": _later(n)}
            for n, (name, iso, symbol, rate, base) in enumerate(rows)]


def layout(module: str, index: int, fields: list[dict[str, Any]], users: list[dict[str, Any]],
           profile_refs: list[dict[str, Any]]) -> dict[str, Any]:
    """A module's one Standard layout: its fields in one section (Zoho's `layouts.json` shape, trimmed)."""
    admin = {"name": users[0]["full_name"], "id": users[0]["id"]}
    section = {"display_label": f"{module} Information", "api_name": f"{module}_Information", "name":
               f"{module} Information", "sequence_number": 1, "column_count": 2, "tab_traversal": "left_to_right",
               "type": "used", "isSubformSection": False,
               "fields": [{"api_name": f["api_name"], "id": f["id"], "display_label": f.get("display_label")}
                          for f in fields]}
    return {"id": _sid(100 + index), "name": "Standard",
            "api_name": "Standard", "display_label": "Standard", "status": "active", "visible": True,
            "source": "crm", "mode": "standard", "generated_type": "default", "display_type": -1,
            "has_more_profiles": False, "show_business_card": False, "subform_properties": {"pinned_column": False},
            "created_time": SETTINGS_TIME, "modified_time": SETTINGS_TIME, "created_by": admin,
            "modified_by": admin, "created_for": None, "convert_mapping": {}, "actions_allowed": {},
            "profiles": profile_refs, "sections": [section]}
