"""Can this token (and this Zoho user) use a feature? One cheap call per feature, for the connectors' checks.

Zoho's token answers do not reliably list the granted scopes (docs/zoho-api/scopes.md), so the only way to know
is to ask: each probe makes the smallest call of its feature and answers the refusal, if any: a
`ScopeMissingError` (the token lacks a scope; `.scopes` names it) or a `PermissionError_` (the user's profile
lacks a privilege). Any other 4xx means the endpoint let the token in, which is all a probe asks; server and
token failures propagate as from any call.
"""

from __future__ import annotations

from collections.abc import Callable

from zoho_crm_client import paths
from zoho_crm_client.errors import PermissionError_, RequestError, ScopeMissingError
from zoho_crm_client.transport import Call, Transport

Refusal = ScopeMissingError | PermissionError_


def _records(module: str) -> Call:
    return Call.to("GET", "/crm/v8/{module}", {"module": module}, params={"fields": "id", "per_page": 1})


def _deleted(module: str) -> Call:
    return Call.to("GET", "/crm/v8/{module}/deleted", {"module": module}, params={"per_page": 1})


def _coql(module: str) -> Call:
    query = f"select id from {paths.module_name(module)} where id is not null limit 1"
    return Call("POST", "/crm/v8/coql", "POST /crm/v8/coql", json={"select_query": query})


def _search(module: str) -> Call:
    return Call.to("GET", "/crm/v8/{module}/search", {"module": module},
                   params={"criteria": "(id:equals:1)", "per_page": 1})


def _bulk_read(module: str) -> Call:
    # the status of a job that does not exist: no job is created, yet the call passes Zoho's scope check first
    return Call("GET", "/crm/bulk/v8/read/1", "GET /crm/bulk/v8/read/{job_id}")


def _users(module: str) -> Call:
    return Call("GET", "/crm/v8/users", "GET /crm/v8/users", params={"type": "CurrentUser"})


def _org(module: str) -> Call:
    return Call("GET", "/crm/v8/org", "GET /crm/v8/org")


def _write(method: str) -> Callable[[str], Call]:
    """A write of no records: Zoho answers 400 MANDATORY_NOT_FOUND (nothing is written) once the scope passed."""
    def call(module: str) -> Call:
        return Call.to(method, "/crm/v8/{module}", {"module": module}, json={"data": []})
    return call


PROBES: dict[str, Callable[[str], Call]] = {
    "records": _records, "deleted": _deleted, "coql": _coql, "search": _search, "bulk_read": _bulk_read,
    "users": _users, "org": _org, "create": _write("POST"), "update": _write("PUT"),
}


def probe(transport: Transport, feature: str, module: str) -> Refusal | None:
    """The refusal of `feature` on `module` (modules matter for records, deleted, coql, search), else None."""
    try:
        transport.request(PROBES[feature](module))
    except (ScopeMissingError, PermissionError_) as refusal:
        return refusal
    except RequestError:
        return None
    return None
