"""Request counters behind GET /__emulator__/stats (design.md)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.by_route: Counter[str] = Counter()
        self.status_counts: Counter[str] = Counter()

    def count_request(self, route: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_route[route] += 1

    def count_status(self, status: int) -> None:
        with self._lock:
            self.status_counts[str(status)] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": self.requests, "by_route": dict(self.by_route),
                    "status_counts": dict(self.status_counts)}
