"""Which OAuth scope each call needs, so a refusal can name it (docs/zoho-api/scopes.md).

Zoho checks every call against the token's scopes and answers 401 OAUTH_SCOPE_MISMATCH with empty details, and
its token answers do not reliably list the granted scopes: the client learns what is missing only by asking.
`needed(route)` names, for each route the client calls, the scope a user should add (the narrowest that Zoho's
pages document; `ZohoCRM.modules.ALL` covers every `ZohoCRM.modules.*` one, `ZohoCRM.settings.ALL` every
`ZohoCRM.settings.*` one, but neither covers COQL, Bulk Read, users or org).
"""

from __future__ import annotations

import re
from typing import Any

_MODULES_READ = "ZohoCRM.modules.READ"
# route template (as the client's Call.route spells it) -> scopes a user should grant for it
_BY_ROUTE: dict[str, tuple[str, ...]] = {
    "GET /crm/v8/users": ("ZohoCRM.users.READ",),
    "GET /crm/v8/org": ("ZohoCRM.org.READ",),
    "GET /crm/v8/settings/modules": ("ZohoCRM.settings.modules.READ",),
    # docs/zoho-api/org.md and tags.md: each settings list has a scope of its own
    "GET /crm/v8/settings/roles": ("ZohoCRM.settings.roles.READ",),
    "GET /crm/v8/settings/profiles": ("ZohoCRM.settings.profiles.READ",),
    "GET /crm/v8/settings/territories": ("ZohoCRM.settings.territories.READ",),
    "GET /crm/v8/org/currencies": ("ZohoCRM.settings.currencies.READ",),
    "GET /crm/v8/settings/layouts": ("ZohoCRM.settings.layouts.READ",),
    "GET /crm/v8/settings/tags": ("ZohoCRM.settings.tags.READ",),
    "POST /crm/v8/{module}/actions/add_tags": ("ZohoCRM.modules.UPDATE",),
    "POST /crm/v8/{module}/actions/remove_tags": ("ZohoCRM.modules.UPDATE",),
    "GET /crm/v8/settings/fields": ("ZohoCRM.settings.fields.READ",),
    # COQL, search and Bulk Read also need read access to the module; a token without it fails earlier
    "POST /crm/v8/coql": ("ZohoCRM.coql.READ",),
    "GET /crm/v8/{module}/search": ("ZohoSearch.securesearch.READ",),
    "GET /crm/v8/{module}": (_MODULES_READ,),
    "GET /crm/v8/{module}/deleted": (_MODULES_READ,),
    "GET /crm/v8/Notes": ("ZohoCRM.modules.notes.READ",),  # the Notes list (notes.py)
    "POST /crm/bulk/v8/read": ("ZohoCRM.bulk.READ",),
    "GET /crm/bulk/v8/read/{job_id}": ("ZohoCRM.bulk.READ",),
    "GET /crm/bulk/v8/read/{job_id}/result": ("ZohoCRM.bulk.READ",),
}
_WRITES = {"POST": "ZohoCRM.modules.CREATE", "PUT": "ZohoCRM.modules.UPDATE", "DELETE": "ZohoCRM.modules.DELETE"}
_SCOPE = re.compile(r"^Zoho\w*\.[\w.{}]+$")


def needed(route: str) -> tuple[str, ...]:
    """The scopes a call of `route` ("GET /crm/v8/{module}") needs; writes need the modules' write scopes."""
    if route.startswith("GET /crm/v8/settings/fields"):
        return _BY_ROUTE["GET /crm/v8/settings/fields"]
    if route.startswith("GET /crm/v8/settings/modules"):
        return _BY_ROUTE["GET /crm/v8/settings/modules"]
    if route in _BY_ROUTE:
        return _BY_ROUTE[route]
    method, _, _ = route.partition(" ")
    if route.endswith("/upsert"):
        return (_WRITES["POST"], _WRITES["PUT"])
    return (_WRITES[method],) if method in _WRITES else ()


def named_in(details: Any) -> tuple[str, ...]:
    """Scope names Zoho put in an error's details, if it did (its samples carry none; tolerate any key)."""
    if not isinstance(details, dict):
        return ()
    values = [v for value in details.values() for v in (value if isinstance(value, list) else [value])]
    return tuple(v for v in values if isinstance(v, str) and _SCOPE.match(v))
