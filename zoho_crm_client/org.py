"""The org's own lists: users, roles, profiles, territories, currencies, the org, layouts and tags of a module
(docs/zoho-api/org.md, docs/zoho-api/tags.md).

Each is one documented GET whose answer keeps its rows under a key of its own (`{"roles": [...]}`); users and
territories are paged with `page`/`per_page` and `info.more_records`. Users take `If-Modified-Since` ("to get
the list of recently modified users", Zoho's Get Users page); whether Zoho filters inclusively is not published,
so the header is sent one second before the boundary (as records.py does) and the caller filters exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from zoho_crm_client.dates import format_datetime
from zoho_crm_client.errors import InvalidResponseError
from zoho_crm_client.models import Page
from zoho_crm_client.paths import module_name
from zoho_crm_client.transport import Call, Transport

V8 = "/crm/v8"
ONE_SECOND = timedelta(seconds=1)
USERS_PER_PAGE = 200  # Get Users: per_page at most 200
MAX_PAGES = 10_000  # a list that never says "no more" stops here instead of looping


@dataclass(frozen=True)
class OrgList:
    """One of the org's lists: where it lives, the key its rows come under, whether it pages."""

    path: str
    key: str
    paged: bool = False
    params: tuple[tuple[str, str], ...] = ()

    @property
    def route(self) -> str:
        return f"GET {V8}{self.path}"


# list name -> how to read it (docs/zoho-api/org.md has each one's page, answer key and scope)
LISTS: dict[str, OrgList] = {
    "users": OrgList("/users", "users", paged=True, params=(("type", "AllUsers"),)),
    "roles": OrgList("/settings/roles", "roles"),
    "profiles": OrgList("/settings/profiles", "profiles"),
    "territories": OrgList("/settings/territories", "territories", paged=True),
    "currencies": OrgList("/org/currencies", "currencies"),
    "org": OrgList("/org", "org"),
    "layouts": OrgList("/settings/layouts", "layouts"),
    "tags": OrgList("/settings/tags", "tags"),
}
PER_MODULE = frozenset({"layouts", "tags"})  # asked with ?module=X


class OrgReader:
    def __init__(self, transport: Transport):
        self._transport = transport

    def pages(self, name: str, *, module: str | None = None, since: datetime | None = None) -> Iterator[Page]:
        """The list's rows, a page at a time. `module` for layouts and tags; `since` (users only) asks for the
        users modified since then: a 304 or 204 is an empty list."""
        spec = LISTS[name]
        params = dict(spec.params)
        if name in PER_MODULE:
            if module is None:
                raise ValueError(f"the {name} list is per module: give the module")
            params["module"] = module_name(module)
        headers = {"If-Modified-Since": format_datetime(since - ONE_SECOND)} if since and name == "users" else None
        for page in range(1, MAX_PAGES + 1):
            if spec.paged:
                params.update(page=str(page), per_page=str(USERS_PER_PAGE))
            body = self._transport.request(Call("GET", V8 + spec.path, spec.route, params=params,
                                                headers=headers)).body
            rows = _rows(body, spec.key)
            more = spec.paged and _more(body) and bool(rows)
            yield Page(records=rows, more=more)
            if not more:
                return


def _rows(body: Any, key: str) -> list[dict[str, Any]]:
    if body is None:
        return []  # 204 / 304: nothing
    items = body.get(key) if isinstance(body, dict) else None
    if items is None and isinstance(body, dict) and not body:
        return []
    if not isinstance(items, list):
        raise InvalidResponseError(f"Zoho's answer has no '{key}' list")
    return [item for item in items if isinstance(item, dict)]


def _more(body: Any) -> bool:
    info = body.get("info") if isinstance(body, dict) else None
    return isinstance(info, dict) and info.get("more_records") is True
