"""The route table: method + path template -> handler, price in credits, and whether the call is heavy.

Routes are tried in order; a path that matches some template but not the method is 400
INVALID_REQUEST_METHOD, a path that matches none is 404 INVALID_URL_PATTERN (section 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zoho_crm_emulator import (
    exceptions,
    handlers_actions,
    handlers_meta,
    handlers_notes,
    handlers_org,
    handlers_queries,
    handlers_records,
    handlers_writes,
)
from zoho_crm_emulator.wire import Request, Response

Handler = Callable[[Any, Request], Response]
VERSIONS = {"v8": "v8", "v2": "v2", "v2.1": "v2"}
_PARTS = {"version": r"v8|v2\.1|v2", "module": r"[A-Za-z][A-Za-z0-9_]*", "id": r"[^/]+", "job_id": r"[^/]+"}


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler | None  # None: answered by the server itself (OAuth)
    cost: int | Callable[[Request], int] = 1
    heavy: bool | Callable[[Request], bool] = False
    auth: bool = True
    regex: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>{_PARTS[m.group(1)]})", self.template)
        object.__setattr__(self, "regex", re.compile(f"^{pattern}/?$"))

    @property
    def template_key(self) -> str:
        """`METHOD template` with `{version}` kept: the key of scopes.TABLE."""
        return f"{self.method} {self.template}"

    def key(self, version: str) -> str:
        return f"{self.method} {self.template.replace('{version}', version)}"

    def price(self, req: Request) -> int:
        return self.cost(req) if callable(self.cost) else self.cost

    def is_heavy(self, req: Request) -> bool:
        return self.heavy(req) if callable(self.heavy) else self.heavy


V = "/crm/{version}"
ROUTES: list[Route] = [
    Route("GET", "/oauth/v2/auth", None, cost=0, auth=False),  # the consent page (docs/zoho-api/oauth.md)
    Route("POST", "/oauth/v2/token", None, cost=0, auth=False),
    Route("POST", "/oauth/v2/token/revoke", None, cost=0, auth=False),
    Route("GET", f"{V}/users", handlers_org.users),
    Route("GET", f"{V}/org", handlers_meta.org),
    Route("GET", f"{V}/settings/modules", handlers_meta.modules),
    Route("GET", f"{V}/settings/modules/{{module}}", handlers_meta.module),
    Route("GET", f"{V}/settings/fields", handlers_meta.fields),
    Route("GET", f"{V}/settings/fields/{{id}}", handlers_meta.field),
    Route("GET", f"{V}/settings/roles", handlers_org.roles),
    Route("GET", f"{V}/settings/profiles", handlers_org.profiles),
    Route("GET", f"{V}/settings/territories", handlers_org.territories),
    Route("GET", f"{V}/org/currencies", handlers_org.currencies),
    Route("GET", f"{V}/settings/layouts", handlers_org.layouts),
    Route("GET", f"{V}/settings/tags", handlers_org.tags),
    Route("POST", f"{V}/{{module}}/actions/add_tags", handlers_org.add_tags),
    Route("POST", f"{V}/{{module}}/actions/remove_tags", handlers_org.remove_tags),
    Route("POST", f"{V}/{{module}}/{{id}}/actions/add_tags", handlers_org.add_tags),
    Route("POST", f"{V}/{{module}}/{{id}}/actions/remove_tags", handlers_org.remove_tags),
    Route("POST", f"{V}/coql", handlers_queries.coql, cost=handlers_queries.coql_cost, heavy=True),
    Route("POST", f"{V}/Leads/actions/mass_convert", handlers_actions.mass_convert,
          cost=handlers_actions.mass_convert_cost, heavy=True),
    Route("GET", f"{V}/Leads/actions/mass_convert", handlers_actions.mass_convert_status),
    Route("POST", f"{V}/Leads/{{id}}/actions/convert", handlers_actions.convert, cost=handlers_actions.CONVERT_COST,
          heavy=True),
    Route("POST", f"{V}/{{module}}/{{id}}/actions/clone", handlers_actions.clone),
    Route("GET", f"{V}/{{module}}/{{id}}/Notes", handlers_notes.related_notes),
    Route("POST", f"{V}/{{module}}/{{id}}/Notes", handlers_notes.add_notes, cost=handlers_writes.write_cost,
          heavy=handlers_writes.is_heavy_write),
    Route("GET", f"{V}/Notes/deleted", handlers_notes.deleted_notes),  # before {module}/deleted and Notes/{id}
    Route("GET", f"{V}/Notes", handlers_notes.list_notes),  # before {module}: the Notes list is not Get Records
    Route("GET", f"{V}/{{module}}/search", handlers_queries.search, heavy=True),
    Route("GET", f"{V}/{{module}}/deleted", handlers_records.deleted_records),
    Route("POST", f"{V}/{{module}}/upsert", handlers_writes.upsert, cost=handlers_writes.write_cost,
          heavy=handlers_writes.is_heavy_write),
    Route("GET", f"{V}/{{module}}", handlers_records.list_records),
    Route("POST", f"{V}/{{module}}", handlers_writes.insert, cost=handlers_writes.write_cost,
          heavy=handlers_writes.is_heavy_write),
    Route("PUT", f"{V}/{{module}}", handlers_writes.update, cost=handlers_writes.write_cost,
          heavy=handlers_writes.is_heavy_write),
    Route("DELETE", f"{V}/{{module}}", handlers_writes.delete),
    Route("GET", f"{V}/{{module}}/{{id}}", handlers_records.get_record),
    Route("PUT", f"{V}/{{module}}/{{id}}", handlers_writes.update),
    Route("DELETE", f"{V}/{{module}}/{{id}}", handlers_writes.delete),
    Route("POST", "/crm/bulk/{version}/read", handlers_queries.bulk_create, cost=handlers_queries.BULK_CREATE_COST),
    Route("GET", "/crm/bulk/{version}/read/{job_id}", handlers_queries.bulk_status),
    Route("GET", "/crm/bulk/{version}/read/{job_id}/result", handlers_queries.bulk_download),
]


def resolve(method: str, path: str, routes: list[Route] | None = None) -> tuple[Route, dict[str, str]]:
    """The first route for this method and path, with its path parameters."""
    path_matched = False
    for route in routes or ROUTES:
        m = route.regex.match(path)
        if not m:
            continue
        if route.method == method:
            return route, m.groupdict()
        path_matched = True
    raise exceptions.invalid_method() if path_matched else exceptions.invalid_url()
