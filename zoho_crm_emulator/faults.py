"""Deterministic fault injection, driven by POST /__emulator__/faults (design.md; docs/zoho-api.md section 14.8).

A rule counts the requests that match its route (a route key such as "GET /crm/v8/{module}", a concrete
"GET /crm/v8/Leads", or "*" / absent for every API route) and fires on the Nth, 2Nth... (`every`) or on the
Kth only (`at`); with neither it fires on every match, `times` caps how often it fires. Effects:
`status` (429/500/502/503/504/401 with Zoho's bodies, `code` overrides the 401 code), `latency_ms`, `drop`
(connection closed mid-body), `expire_page_token`, `expire_access_token`, and for the token endpoint
`error` ("invalid_code" / "invalid_client").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from zoho_crm_emulator.exceptions import ZohoError, injected_fault

RULE_KEYS = frozenset({"route", "status", "code", "every", "at", "times", "latency_ms", "drop",
                       "expire_page_token", "expire_access_token", "error"})


@dataclass
class Rule:
    spec: dict[str, Any]
    seen: int = 0
    fired: int = 0

    def matches(self, route: str, concrete: str) -> bool:
        wanted = self.spec.get("route", "*")
        return wanted in ("*", route, concrete)

    def fires(self) -> bool:
        """Count one matching request; True when this one is hit."""
        self.seen += 1
        every, at, times = self.spec.get("every"), self.spec.get("at"), self.spec.get("times")
        if times is not None and self.fired >= times:
            return False
        hit = (every is not None and self.seen % every == 0) or (at is not None and self.seen == at) or (
            every is None and at is None)
        self.fired += hit
        return hit


@dataclass
class Effects:
    """What the firing rules ask for on one request."""

    latency_ms: float = 0.0
    error: ZohoError | None = None
    oauth_error: str | None = None
    drop: bool = False
    expire_page_tokens: bool = False
    expire_access_tokens: bool = False
    rules: list[int] = field(default_factory=list)


class FaultRules:
    """The installed fault rules and their counters; `effects` says what befalls one request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Rule] = []

    def set_rules(self, specs: list[dict[str, Any]]) -> None:
        for spec in specs:
            validate(spec)
        with self._lock:
            self._rules = [Rule(dict(spec)) for spec in specs]

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{**r.spec, "seen": r.seen, "fired": r.fired} for r in self._rules]

    def effects(self, route: str, concrete: str) -> Effects:
        out = Effects()
        with self._lock:
            for n, rule in enumerate(self._rules):
                if rule.matches(route, concrete) and rule.fires():
                    out.rules.append(n)
                    _apply(rule.spec, out)
        return out


def _apply(spec: dict[str, Any], out: Effects) -> None:
    out.latency_ms += float(spec.get("latency_ms", 0))
    out.drop = out.drop or bool(spec.get("drop"))
    out.expire_page_tokens = out.expire_page_tokens or bool(spec.get("expire_page_token"))
    out.expire_access_tokens = out.expire_access_tokens or bool(spec.get("expire_access_token"))
    if spec.get("error") and out.oauth_error is None:
        out.oauth_error = spec["error"]
    status = spec.get("status")
    if status is not None and out.error is None:
        out.error = injected_fault(status, spec.get("code"))


def validate(spec: Any) -> None:
    if not isinstance(spec, dict):
        raise ValueError("a rule is a JSON object")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise ValueError(f"unknown rule keys: {sorted(unknown)}")
    for key in ("every", "at", "times"):
        if key in spec and (not isinstance(spec[key], int) or spec[key] < (0 if key == "times" else 1)):
            raise ValueError(f"{key} must be a positive integer")
    if "status" in spec and not isinstance(spec["status"], int):
        raise ValueError("status must be an integer")
    if spec.get("error") not in (None, "invalid_code", "invalid_client"):
        raise ValueError("error must be invalid_code or invalid_client")
