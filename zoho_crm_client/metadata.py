"""Modules, fields, the current user and the org (docs/zoho-api.md sections 1.3, 2): each fetched once per client."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from zoho_crm_client.errors import InvalidResponseError
from zoho_crm_client.models import FieldMeta, ModuleMeta
from zoho_crm_client.paths import module_name
from zoho_crm_client.transport import Call, Transport

V8 = "/crm/v8"
# Section 2.1: Notes is system_hidden, so ask for every status a connector may read.
MODULE_STATUSES = "visible,user_hidden,system_hidden"

T = TypeVar("T")


class Metadata:
    """A thread-safe cache: concurrent first callers wait for one fetch instead of each making it."""

    def __init__(self, transport: Transport):
        self._transport = transport
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, fetch: Callable[[], T]) -> T:
        with self._lock:
            if key in self._cache:
                return cast(T, self._cache[key])
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self._cache:
                value = fetch()
                with self._lock:
                    self._cache[key] = value
            return cast(T, self._cache[key])

    def current_user(self) -> dict[str, Any]:
        return self._once("user", lambda: _first(self._get("/users", "GET /crm/v8/users",
                                                           {"type": "CurrentUser"}), "users"))

    def org(self) -> dict[str, Any]:
        # Not limited: the in-flight limit itself may come from the org's edition (limits.py).
        return self._once("org", lambda: _first(self._get("/org", "GET /crm/v8/org", limited=False), "org"))

    def modules(self) -> list[ModuleMeta]:
        def fetch() -> list[ModuleMeta]:
            body = self._get("/settings/modules", "GET /crm/v8/settings/modules", {"status": MODULE_STATUSES})
            return [ModuleMeta.from_json(m) for m in self._named(_list(body, "modules"), "modules")]

        return self._once("modules", fetch)

    def fields(self, module: str) -> list[FieldMeta]:
        def fetch() -> list[FieldMeta]:
            body = self._get("/settings/fields", "GET /crm/v8/settings/fields", {"module": module_name(module)})
            return [FieldMeta.from_json(f) for f in self._named(_list(body, "fields"), f"fields of {module}")]

        return self._once(f"fields:{module}", fetch)

    def _named(self, items: list[dict[str, Any]], what: str) -> list[dict[str, Any]]:
        """The entries with an api_name: one without cannot be requested or written by name, so it is left out
        with a warning rather than failing every stream over one odd entry."""
        named = [item for item in items if isinstance(item.get("api_name"), str) and item["api_name"]]
        if len(named) < len(items):
            labels = [str(i.get("field_label") or i.get("plural_label") or i.get("id") or "?") for i in items
                      if i not in named]
            self._transport.log.warning("Zoho's %s include %d entr%s without an api_name, left out: %s", what,
                                        len(labels), "y" if len(labels) == 1 else "ies", ", ".join(labels)[:200])
        return named

    def _get(self, path: str, route: str, params: dict[str, str] | None = None, *, limited: bool = True) -> Any:
        return self._transport.request(Call("GET", V8 + path, route, params=params, limited=limited)).body


def _list(body: Any, key: str) -> list[dict[str, Any]]:
    if body is None:
        return []  # 204: nothing
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise InvalidResponseError(f"Zoho's answer has no '{key}' list")
    return [item for item in items if isinstance(item, dict)]


def _first(body: Any, key: str) -> dict[str, Any]:
    items = _list(body, key)
    if not items:
        raise InvalidResponseError(f"Zoho's answer has an empty '{key}' list")
    return items[0]


def edition_of(org: dict[str, Any]) -> str | None:
    """The edition in GET org (OAS org.json: license_details.paid_type; an unpaid org is on the free edition)."""
    details = org.get("license_details") or {}
    if not isinstance(details, dict):
        return None
    if details.get("paid") is False and not details.get("paid_type"):
        return "free"
    paid_type = details.get("paid_type")
    return str(paid_type) if paid_type else None
