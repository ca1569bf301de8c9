"""Which OAuth scopes each endpoint accepts: one table, route -> requirements (docs/zoho-api/scopes.md).

A route has one or more requirements; a token passes when every requirement is granted by one of its scopes.
Each requirement lists alternatives, any one of which suffices. `{m}` stands for the module of the path
(`leads`, `salesorders`, ...; a custom module also accepts `custom`), as Zoho's pages write
`ZohoCRM.modules.{module_name}.{operation_type}`.

A granted scope grants a needed one when its path (all but the last part) is a prefix of the needed path and
its operation is the same, `ALL`, or `WRITE` for CREATE/UPDATE; case does not matter (Zoho's OpenAPI files write
`ZohoCRM.modules.all` and `ZohoCRM.modules.ALL`). So `ZohoCRM.modules.ALL` grants `ZohoCRM.modules.leads.READ`,
`ZohoCRM.settings.ALL` grants `ZohoCRM.settings.fields.READ`, and neither grants `ZohoCRM.coql.READ`.

Sources: the `security` of each operation in Zoho's crm-oas v8.0 files, and the "Scope" line of each API page.
Emulator choices where Zoho names only `modules.ALL`: routes without a module in the path (COQL, Bulk Read)
need `ZohoCRM.modules.READ` (or broader), not a module-specific scope.
"""

from __future__ import annotations

from collections.abc import Iterable

from zoho_crm_emulator import exceptions

Requirement = tuple[str, ...]  # alternatives, any one suffices

V = "/crm/{version}"
_READ, _CREATE, _UPDATE, _DELETE = (f"ZohoCRM.modules.{{m}}.{op}" for op in ("READ", "CREATE", "UPDATE", "DELETE"))
_ANY_MODULE_READ = "ZohoCRM.modules.READ"

# "METHOD template" (as in urls.ROUTES) -> requirements
TABLE: dict[str, tuple[Requirement, ...]] = {
    f"GET {V}/users": (("ZohoCRM.users.READ",),),
    f"GET {V}/org": (("ZohoCRM.org.READ",),),
    # docs/zoho-api/org.md and tags.md: each settings list has its own scope (crm-oas operation "Scopes")
    f"GET {V}/settings/roles": (("ZohoCRM.settings.roles.READ",),),
    f"GET {V}/settings/profiles": (("ZohoCRM.settings.profiles.READ",),),
    f"GET {V}/settings/territories": (("ZohoCRM.settings.territories.READ",),),
    f"GET {V}/org/currencies": (("ZohoCRM.settings.currencies.READ",),),
    f"GET {V}/settings/layouts": (("ZohoCRM.settings.layouts.READ",),),
    f"GET {V}/settings/tags": (("ZohoCRM.settings.tags.READ",),),
    # Add/Remove Tags pages: ZohoCRM.modules.ALL or ZohoCRM.modules.{module}.{ALL,WRITE,CREATE}
    f"POST {V}/{{module}}/actions/add_tags": ((_UPDATE,),),
    f"POST {V}/{{module}}/actions/remove_tags": ((_UPDATE,),),
    f"POST {V}/{{module}}/{{id}}/actions/add_tags": ((_UPDATE,),),
    f"POST {V}/{{module}}/{{id}}/actions/remove_tags": ((_UPDATE,),),
    f"GET {V}/settings/modules": (("ZohoCRM.settings.modules.READ",),),
    f"GET {V}/settings/modules/{{module}}": (("ZohoCRM.settings.modules.READ",),),
    f"GET {V}/settings/fields": (("ZohoCRM.settings.fields.READ",),),
    f"GET {V}/settings/fields/{{id}}": (("ZohoCRM.settings.fields.READ",),),
    # COQL page: ZohoCRM.coql.READ (and) a modules scope; modules.ALL alone is refused (scopes.md)
    f"POST {V}/coql": (("ZohoCRM.coql.READ",), (_ANY_MODULE_READ,)),
    f"POST {V}/Leads/actions/mass_convert": (("ZohoCRM.mass_convert.leads.CREATE",),),
    f"GET {V}/Leads/actions/mass_convert": (("ZohoCRM.mass_convert.leads.READ",),),
    f"POST {V}/Leads/{{id}}/actions/convert": (("ZohoCRM.modules.leads.CREATE",),),
    f"POST {V}/{{module}}/{{id}}/actions/clone": ((_CREATE,),),
    # The Notes list is its own endpoint (docs/zoho-api/notes.md); Notes/deleted is refused after the scope check
    f"GET {V}/Notes": (("ZohoCRM.modules.notes.READ",),),
    f"GET {V}/Notes/deleted": (("ZohoCRM.modules.notes.READ",),),
    f"GET {V}/{{module}}/{{id}}/Notes": (("ZohoCRM.modules.notes.READ",),),
    f"POST {V}/{{module}}/{{id}}/Notes": (("ZohoCRM.modules.notes.CREATE",),),
    # Search page: a modules scope (and) ZohoSearch.securesearch.READ
    f"GET {V}/{{module}}/search": ((_READ,), ("ZohoSearch.securesearch.READ",)),
    f"GET {V}/{{module}}/deleted": ((_READ,),),
    f"POST {V}/{{module}}/upsert": ((_CREATE,), (_UPDATE,)),
    f"GET {V}/{{module}}": ((_READ,),),
    f"POST {V}/{{module}}": ((_CREATE,),),
    f"PUT {V}/{{module}}": ((_UPDATE,),),
    f"DELETE {V}/{{module}}": ((_DELETE,),),
    f"GET {V}/{{module}}/{{id}}": ((_READ,),),
    f"PUT {V}/{{module}}/{{id}}": ((_UPDATE,),),
    f"DELETE {V}/{{module}}/{{id}}": ((_DELETE,),),
    # Bulk Read pages: ZohoCRM.bulk.read (and) a modules scope
    "POST /crm/bulk/{version}/read": (("ZohoCRM.bulk.READ",), (_ANY_MODULE_READ,)),
    "GET /crm/bulk/{version}/read/{job_id}": (("ZohoCRM.bulk.READ",),),
    "GET /crm/bulk/{version}/read/{job_id}/result": (("ZohoCRM.bulk.READ",),),
}

_OPERATIONS = {"READ", "CREATE", "UPDATE", "DELETE", "ALL", "WRITE"}


def parse(scopes: str | Iterable[str]) -> frozenset[str]:
    """A scope list as Zoho takes it (comma separated in the consent URL, space separated in token answers)."""
    items = scopes.replace(",", " ").split() if isinstance(scopes, str) else scopes
    found = frozenset(s.strip() for s in items if isinstance(s, str) and s.strip())
    if not found:
        raise ValueError("scopes must name at least one scope, e.g. ZohoCRM.modules.ALL")
    return found


def grants(granted: str, needed: str) -> bool:
    g_path, _, g_op = granted.casefold().rpartition(".")
    n_path, _, n_op = needed.casefold().rpartition(".")
    if g_op.upper() not in _OPERATIONS or not g_path:
        return False
    op_ok = g_op == n_op or g_op == "all" or (g_op == "write" and n_op in ("create", "update"))
    return op_ok and (n_path == g_path or n_path.startswith(g_path + "."))


def module_scope_names(api_name: str, custom: bool) -> tuple[str, ...]:
    """`Sales_Orders` -> `salesorders` (Zoho's scope spelling); custom modules also answer to `custom`."""
    own = api_name.replace("_", "").casefold()
    return (own, "custom") if custom else (own,)


def check(route_key: str, token_scopes: frozenset[str] | None, modules: tuple[str, ...] = ()) -> None:
    """401 OAUTH_SCOPE_MISMATCH unless the token's scopes meet every requirement of the route.

    `token_scopes` None is a full-scope token (the emulator's fixed refresh token); `modules` are the scope
    names of the path's module (module_scope_names)."""
    if token_scopes is None:
        return
    for requirement in TABLE.get(route_key, ()):
        needed = [alt.replace("{m}", m) for alt in requirement for m in modules] + [
            alt for alt in requirement if "{m}" not in alt]
        if not any(grants(g, n) for g in token_scopes for n in set(needed)):
            raise exceptions.scope_mismatch()


