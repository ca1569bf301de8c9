"""Daily API credits and the concurrency limits of an edition (docs/zoho-api.md sections 11.3 and 11.4)."""

from __future__ import annotations

import threading
import time
from collections import deque

# edition -> (credits per user, ceiling, concurrent calls); section 11.3/11.4. Free is a flat 5,000.
EDITIONS = {
    "free": (0, 5_000, 5),
    "standard": (250, 100_000, 10),
    "professional": (500, 3_000_000, 15),
    "enterprise": (1_000, 5_000_000, 20),
    "ultimate": (2_000, None, 25),
}
BASE_CREDITS = 50_000
SUB_CONCURRENCY = 10  # heavy calls, all editions (section 11.4)
WINDOW = 24 * 3600


def daily_allowance(edition: str, users: int) -> int:
    per_user, ceiling, _ = EDITIONS[edition]
    if edition == "free":
        assert ceiling is not None  # Free is a flat allowance (the table above)
        return ceiling
    allowance = BASE_CREDITS + per_user * users
    return allowance if ceiling is None else min(allowance, ceiling)


class CreditLedger:
    """Credits spent in a rolling 24-hour window."""

    def __init__(self, allowance: int):
        self.allowance = allowance
        self._lock = threading.Lock()
        self._spent: deque[tuple[float, int]] = deque()
        self._used = 0
        self.total = 0  # since start or reset, for stats

    def charge(self, cost: int) -> bool:
        """Spend `cost` credits; False (nothing spent) when the allowance would be exceeded."""
        now = time.time()
        with self._lock:
            while self._spent and self._spent[0][0] <= now - WINDOW:
                self._used -= self._spent.popleft()[1]
            if self._used + cost > self.allowance:
                return False
            self._spent.append((now, cost))
            self._used += cost
            self.total += cost
            return True

    def set_used(self, used: int) -> None:
        with self._lock:
            self._spent = deque([(time.time(), used)])
            self._used = used

    @property
    def used(self) -> int:
        return self._used

    def remaining(self) -> int:
        return max(0, self.allowance - self._used)


class Concurrency:
    """In-flight calls against the edition's limit, and heavy calls against the sub-limit of 10."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self.in_flight = 0
        self.heavy = 0
        self.max_in_flight = 0

    def enter(self, heavy: bool) -> bool:
        with self._lock:
            if self.in_flight >= self.limit or (heavy and self.heavy >= SUB_CONCURRENCY):
                return False
            self.in_flight += 1
            self.heavy += heavy
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return True

    def leave(self, heavy: bool) -> None:
        with self._lock:
            self.in_flight -= 1
            self.heavy -= heavy
