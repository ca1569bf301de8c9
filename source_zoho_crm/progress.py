"""What a person watching a long sync sees: a log line per page and a summary per stream (issue 6, item 6)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    """Counters of one stream's read. Credits are those the pages reported (a call costs 1 unless told)."""

    stream: str
    records: int = 0
    tombstones: int = 0
    pages: int = 0
    calls: int = 0
    credits: int = 0
    started: float = field(default_factory=time.monotonic)

    def add_page(self, *, records: int, calls: int, credits: int, tombstones: bool = False) -> str:
        """Count one page and return its log line."""
        self.pages += 1
        self.calls += calls
        self.credits += credits
        if tombstones:
            self.tombstones += records
        else:
            self.records += records
        kind = "deleted records" if tombstones else "records"
        return (f"{self.stream}: page {self.pages}, {records} {kind} "
                f"({self.records} records, {self.tombstones} tombstones so far), "
                f"{calls} call(s), {self.calls} calls and {self.credits} credits so far")

    def summary(self, outcome: str) -> str:
        seconds = time.monotonic() - self.started
        return (f"{self.stream}: {outcome}: {self.records} records, {self.tombstones} tombstones, "
                f"{self.calls} calls, {self.credits} credits, {seconds:.1f}s")
