"""The organisation streams: Users, Roles, Profiles, Territories, Org, Currencies, Layouts and Tags, as data.

Each reads one of the org's lists (zoho_crm_client/org.py; evidence in docs/zoho-api/org.md and tags.md). Only
Users can be read incrementally: Zoho's Get Users takes If-Modified-Since and its users carry Modified_Time; the
other lists document neither, and are small, so they are full refresh. Layouts and tags are per module: one
`Layouts` and one `Tags` stream carry the module in a `module` column, keyed on (module, id), so a module added
to the org adds rows, not a stream, and a tag or layout id is never assumed unique across modules.

Names: design.md fixes them. A module stream is named by its module's API name, and Zoho's modules are never
called so (no module with these names is among Zoho's modules, docs/zoho-api/modules.md), but a custom module
could be: discovery then keeps the module stream and leaves the organisation stream out, with a warning
(discover.py), and a catalog stream of these names is an organisation stream only when it has no
`_ab_cdc_deleted_at` column, which every module stream has (streams.from_catalog).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from source_zoho_crm.streams import DELETED_AT, Kind, StreamDef
from zoho_crm_client.models import MODIFIED_TIME

TEXT = {"type": ["null", "string"]}
BOOL = {"type": ["null", "boolean"]}
NUMBER = {"type": ["null", "number"]}
WHEN = {"type": ["null", "string"], "format": "date-time"}
OBJECT = {"type": ["null", "object"]}
ARRAY = {"type": ["null", "array"]}
KEY = {"type": "string"}
USERS_CURSOR = MODIFIED_TIME


@dataclass(frozen=True)
class OrgStream:
    name: str
    list_name: str  # zoho_crm_client.org.LISTS
    scope: str  # what the token needs (docs/zoho-api/scopes.md), named in the warning when it lacks it
    properties: dict[str, dict[str, Any]]
    per_module: bool = False
    cursor_field: str | None = None

    @property
    def primary_key(self) -> tuple[str, ...]:
        return ("module", "id") if self.per_module else ("id",)

    def definition(self, modules: list[str] | None = None) -> StreamDef:
        """`modules`: the modules a per-module stream reads, kept in the catalog as its `module` column's enum
        (org_reader.modules_of), so a read needs no metadata call and follows the configured `modules`."""
        module_column = {**KEY, "enum": list(modules or [])}
        properties = {**self.properties, **({"module": module_column} if self.per_module else {}), "id": dict(KEY)}
        return StreamDef(name=self.name, kind=Kind.ORG, module=self.list_name, properties=properties,
                         primary_key=self.primary_key, cursor_field=self.cursor_field)


def _who(*names: str) -> dict[str, dict[str, Any]]:
    return dict.fromkeys(names, OBJECT)


ORG_STREAMS: dict[str, OrgStream] = {s.name: s for s in (
    OrgStream("Users", "users", "ZohoCRM.users.READ", {
        "first_name": TEXT, "last_name": TEXT, "full_name": TEXT, "email": TEXT, "status": TEXT, "confirm": BOOL,
        "role": OBJECT, "profile": OBJECT, "Reporting_To": OBJECT, "zuid": TEXT, "alias": TEXT, "phone": TEXT,
        "mobile": TEXT, "country": TEXT, "city": TEXT, "language": TEXT, "locale": TEXT, "country_locale": TEXT,
        "time_zone": {}, "Isonline": BOOL, "territories": ARRAY, "created_time": WHEN, USERS_CURSOR: WHEN,
        **_who("created_by", "Modified_By")}, cursor_field=USERS_CURSOR),
    OrgStream("Roles", "roles", "ZohoCRM.settings.roles.READ", {
        "name": TEXT, "display_label": TEXT, "api_name": TEXT, "description": TEXT, "share_with_peers": BOOL,
        "reporting_to": OBJECT, "forecast_manager": OBJECT, "created_time__s": WHEN, "modified_time__s": WHEN,
        **_who("created_by__s", "modified_by__s")}),
    OrgStream("Profiles", "profiles", "ZohoCRM.settings.profiles.READ", {
        "name": TEXT, "display_label": TEXT, "description": TEXT, "custom": BOOL, "default": BOOL, "type": TEXT,
        "permission_type": TEXT, "category": BOOL, "created_time": WHEN, "modified_time": WHEN,
        "permissions_details": ARRAY, "sections": ARRAY, **_who("created_by", "modified_by")}),
    OrgStream("Territories", "territories", "ZohoCRM.settings.territories.READ", {
        "name": TEXT, "api_name": TEXT, "description": TEXT, "permission_type": TEXT, "manager": OBJECT,
        "reporting_to": OBJECT, "created_time": WHEN, "modified_time": WHEN, **_who("created_by", "modified_by")}),
    OrgStream("Org", "org", "ZohoCRM.org.READ", {
        "company_name": TEXT, "domain_name": TEXT, "primary_email": TEXT, "primary_zuid": TEXT, "zgid": TEXT,
        "country_code": TEXT, "currency": TEXT, "currency_symbol": TEXT, "iso_code": TEXT, "time_zone": TEXT,
        "mc_status": BOOL, "type": TEXT, "license_details": OBJECT}),
    OrgStream("Currencies", "currencies", "ZohoCRM.settings.currencies.READ", {
        "name": TEXT, "iso_code": TEXT, "symbol": TEXT, "exchange_rate": TEXT, "is_base": BOOL, "is_active": BOOL,
        "prefix_symbol": BOOL, "exchange_rate_auto_update": BOOL, "format": OBJECT, "created_time": WHEN,
        "modified_time": WHEN, "exchange_rate_updated_time": WHEN, **_who("created_by", "modified_by")}),
    OrgStream("Layouts", "layouts", "ZohoCRM.settings.layouts.READ", {
        "name": TEXT, "api_name": TEXT, "display_label": TEXT, "status": TEXT, "visible": BOOL, "source": TEXT,
        "mode": TEXT, "generated_type": TEXT, "profiles": ARRAY, "sections": ARRAY, "created_time": WHEN,
        "modified_time": WHEN, **_who("created_by", "modified_by")}, per_module=True),
    OrgStream("Tags", "tags", "ZohoCRM.settings.tags.READ", {
        "name": TEXT, "color_code": TEXT, "created_time": WHEN, "modified_time": WHEN,
        **_who("created_by", "modified_by")}, per_module=True),
)}


def org_stream_for(name: str, properties: dict[str, Any]) -> StreamDef | None:
    """The organisation stream a catalog entry names, or None: a module stream of the same name (a custom module
    so called) carries the deletion column, which organisation streams never have."""
    spec = ORG_STREAMS.get(name)
    if spec is None or DELETED_AT in properties:
        return None
    column = properties.get("module")
    modules = column.get("enum") if isinstance(column, dict) else None
    return spec.definition([m for m in modules if isinstance(m, str)] if isinstance(modules, list) else None)


# Modules without tags or layouts of their own: Notes (the Add Tags page lists no Notes; docs/zoho-api/tags.md).
NO_TAGS_OR_LAYOUTS = frozenset({"Notes"})


def offered(taken: set[str], modules: list[str]) -> tuple[list[StreamDef], list[str]]:
    """The organisation streams discovery offers, and why any was left out. `taken`: the names of the module,
    COQL and search streams (they keep their names); `modules`: the module streams' modules.

    Territories is offered on every org: Zoho answers FEATURE_NOT_ENABLED wherever Territory Management is off,
    which is every Free, Standard and Professional org and any Enterprise or Ultimate org whose administrator has
    not enabled it (docs/zoho-api/org.md), so the edition alone cannot say; the stream is then empty, with a log
    line saying why (readers/org.py)."""
    streams, left_out = [], []
    per_module = [m for m in modules if m not in NO_TAGS_OR_LAYOUTS]
    for spec in ORG_STREAMS.values():
        if spec.name in taken:
            left_out.append(f"{spec.name}: the name is taken by a module, COQL or search stream of that name")
        else:
            streams.append(spec.definition(per_module if spec.per_module else None))
    return streams, left_out
