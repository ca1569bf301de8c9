"""Fault rules in the emulator's language (zoho_crm_emulator/faults.py): one builder per fault of issue 7.

A rule counts the requests matching its route, retries included, and fires on every Nth (`every`) or on the
Kth only (`at`); `times` caps it. Routes are the emulator's route keys, e.g. "GET /crm/v8/{module}".
"""

from __future__ import annotations

from typing import Any

RECORDS = "GET /crm/v8/{module}"
TOKEN = "POST /oauth/v2/token"
ANY = "*"

Rule = dict[str, Any]


def status_every(status: int, every: int, route: str = RECORDS) -> list[Rule]:
    return [{"route": route, "status": status, "every": every}]


def bursts(statuses: list[int], *, first: int, gap: int, length: int = 5, route: str = RECORDS) -> list[Rule]:
    """`length` consecutive failures per status, the first burst at the `first`th matching request."""
    rules = []
    for n, status in enumerate(statuses):
        start = first + n * (length + gap)
        rules += [{"route": route, "status": status, "at": start + i} for i in range(length)]
    return rules


def drop_at(*positions: int, route: str = RECORDS) -> list[Rule]:
    return [{"route": route, "drop": True, "at": k} for k in positions]


def latency_every(ms: int, every: int, route: str = ANY) -> list[Rule]:
    return [{"route": route, "latency_ms": ms, "every": every}]


def token_expiry_every(requests: int) -> list[Rule]:
    return [{"route": ANY, "expire_access_token": True, "every": requests}]


def token_error(error: str) -> list[Rule]:
    return [{"route": TOKEN, "error": error}]


def page_token_expiry_at(request: int, route: str = RECORDS) -> list[Rule]:
    return [{"route": route, "expire_page_token": True, "at": request}]


def fired(emulator_faults: list[dict[str, Any]]) -> int:
    """How many times the installed rules fired, from the emulator's own count (`GET /__emulator__/faults`)."""
    return sum(int(rule.get("fired", 0)) for rule in emulator_faults)


def installed(emulator: Any) -> list[dict[str, Any]]:
    """The rules in place with their `seen` and `fired` counters (the emulator's `GET /__emulator__/faults`)."""
    answer = emulator.http.get(f"{emulator.url}/__emulator__/faults", timeout=30)
    answer.raise_for_status()
    body = answer.json()
    return body.get("rules", []) if isinstance(body, dict) else body
