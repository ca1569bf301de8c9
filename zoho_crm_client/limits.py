"""Concurrency and credits (docs/zoho-api.md sections 11.3, 11.4): the in-flight limiter and the credit ledger."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from zoho_crm_client.errors import CreditBudgetExhausted

# Section 11.4: simultaneous in-flight calls per org and connected app, by edition. THE list of editions: the
# client's config, both specs and their descriptions read it (the emulator, which imports nothing of ours, keeps
# its own table in zoho_crm_emulator/limits.py).
EDITION_CONCURRENCY = {"free": 5, "standard": 10, "professional": 15, "enterprise": 20, "ultimate": 25}
# How both connectors' specs spell them (a config may spell them in any case: canonical_edition)
EDITION_NAMES = tuple(name.title() for name in EDITION_CONCURRENCY)
DEFAULT_CONCURRENCY = 5  # section 11.4: "Client: default max 5 parallel requests" when the edition is unknown
HEAVY_CONCURRENCY = 10  # section 11.4: sub-concurrency of COQL, search, writes > 10 records, convert

# Names Zoho uses in org.license_details.paid_type for the editions above (Zoho One and CRM Plus bundle them).
EDITION_ALIASES = {"starter": "standard", "zoho one": "enterprise", "zohoone": "enterprise",
                   "crm plus": "ultimate", "crmplus": "ultimate"}


def canonical_edition(edition: Any) -> str | None:
    """One of EDITION_CONCURRENCY's names for a configured or GET org edition; None when it is none of them."""
    if not isinstance(edition, str):  # a remembered edition of another type is no edition (source edition.py)
        return None
    name = edition.strip().lower()
    name = EDITION_ALIASES.get(name, name)
    return name if name in EDITION_CONCURRENCY else None


def edition_concurrency(edition: str | None) -> int:
    return EDITION_CONCURRENCY.get(canonical_edition(edition) or "", DEFAULT_CONCURRENCY)


class InFlightLimiter:
    """A cap on simultaneous calls shared by all threads, with a tighter cap for heavy calls.

    The cap may be unknown when the limiter is built (it comes from GET org); `resolve` is then called once,
    by the first caller, under a lock, and every other caller waits for it.
    """

    def __init__(self, limit: int | None, resolve: Callable[[], int] | None = None):
        self._limit = limit
        self._resolve = resolve
        self._lock = threading.Lock()
        self._slots: threading.BoundedSemaphore | None = None
        self._heavy = threading.BoundedSemaphore(HEAVY_CONCURRENCY)
        self.peak = 0
        self._in_flight = 0
        if limit is not None:
            self._slots = threading.BoundedSemaphore(limit)

    @property
    def limit(self) -> int | None:
        return self._limit

    def _ensure(self) -> threading.BoundedSemaphore:
        with self._lock:
            if self._slots is None:
                self._limit = self._resolve() if self._resolve else DEFAULT_CONCURRENCY
                self._slots = threading.BoundedSemaphore(self._limit)
            return self._slots

    @contextmanager
    def slot(self, *, heavy: bool = False) -> Iterator[None]:
        slots = self._ensure()
        with self._heavy if heavy else _nothing(), slots:
            with self._lock:
                self._in_flight += 1
                self.peak = max(self.peak, self._in_flight)
            try:
                yield
            finally:
                with self._lock:
                    self._in_flight -= 1


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@dataclass
class RouteStats:
    calls: int = 0
    credits: int = 0


@dataclass
class CallStats:
    """Calls and credits spent, by route (`GET /crm/v8/{module}`), plus retries and token refreshes."""

    calls: int = 0
    credits: int = 0
    retries: int = 0
    token_refreshes: int = 0
    by_route: dict[str, RouteStats] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"calls": self.calls, "credits": self.credits, "retries": self.retries,
                "token_refreshes": self.token_refreshes,
                "by_route": {k: {"calls": v.calls, "credits": v.credits} for k, v in sorted(self.by_route.items())}}


class CreditLedger:
    """Counts the credits each call costs and refuses a call that would go past `api_credit_budget`.

    The check happens BEFORE the call (`reserve`), so a connector stops with its state intact instead of
    meeting a 429 half-way through a page. A reservation is released when Zoho did not count the call
    (429, 5xx, no answer; section 11.3 charges calls that were served).
    """

    def __init__(self, budget: int | None):
        self.budget = budget
        self.stats = CallStats()
        self._reserved = 0
        self._lock = threading.Lock()

    def reserve(self, route: str, cost: int) -> None:
        with self._lock:
            if self.budget is not None and self.stats.credits + self._reserved + cost > self.budget:
                raise CreditBudgetExhausted(
                    f"api_credit_budget of {self.budget} credits reached ({self.stats.credits} spent); "
                    f"{route} would cost {cost} more. Stopping cleanly; the next sync resumes from the saved state.",
                    details={"budget": self.budget, "spent": self.stats.credits, "route": route, "cost": cost})
            self._reserved += cost

    def count_call(self, route: str, cost: int, *, charged: bool) -> None:
        """A call answered (or lost): its reservation released, its credits counted when Zoho charged it."""
        with self._lock:
            self._reserved -= cost
            route_stats = self.stats.by_route.setdefault(route, RouteStats())
            self.stats.calls += 1
            route_stats.calls += 1
            if charged:
                self.stats.credits += cost
                route_stats.credits += cost

    def count_retry(self) -> None:
        with self._lock:
            self.stats.retries += 1

    def count_refresh(self) -> None:
        with self._lock:
            self.stats.token_refreshes += 1


# Section 11.3: credits per call.
def write_cost(n_records: int) -> int:
    """insert/update/upsert: 1 credit per 10 records, rounded up."""
    return max(1, math.ceil(n_records / 10))


def coql_cost(limit: int) -> int:
    """COQL: 1 up to LIMIT 200, 2 up to 1,000, 3 up to 2,000."""
    return 1 if limit <= 200 else 2 if limit <= 1000 else 3


CONVERT_COST = 5
BULK_READ_COST = 50  # UNCONFIRMED in Zoho's docs; the emulator charges 50
