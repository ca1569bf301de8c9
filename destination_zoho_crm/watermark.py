"""STATE messages held until every record before them has settled: a low-water mark over the input.

design.md "Rules of the road": STATE leaves the destination only after every record before it is committed in
Zoho (or rejected and reported). Each record sent towards Zoho is opened under its checkpoint, the number of STATE
messages that came before it, and settled when its outcome is reported. The k-th STATE (counting from 0) may
leave once no record of checkpoint <= k is still open, whichever batch finishes first; STATEs leave in input order.
A record whose batch failed is never settled, so no later STATE can leave.

Worked example: records a, b, STATE 0, record c, STATE 1. a and b are opened under checkpoint 0, c under 1.
If c's batch finishes first, nothing leaves (a and b are open); when a and b settle, STATE 0 and STATE 1 leave.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from airbyte_cdk.models import AirbyteStateMessage


class Held(NamedTuple):
    checkpoint: int
    opened_before: int  # records opened before this STATE arrived
    state: AirbyteStateMessage


class Watermark:
    def __init__(self) -> None:
        self._checkpoint = 0  # STATE messages seen so far
        self._opened = 0
        # checkpoint -> records still open; insertion order is ascending, as checkpoints only grow
        self._open: dict[int, int] = {}
        self._held: deque[Held] = deque()

    def open(self) -> int:
        """A record is on its way to Zoho; returns the checkpoint to settle it with."""
        self._opened += 1
        self._open[self._checkpoint] = self._open.get(self._checkpoint, 0) + 1
        return self._checkpoint

    def settle(self, checkpoint: int) -> None:
        """A record's outcome (committed or rejected) has been reported."""
        left = self._open[checkpoint] - 1
        if left:
            self._open[checkpoint] = left
        else:
            del self._open[checkpoint]

    def hold(self, state: AirbyteStateMessage) -> None:
        self._held.append(Held(self._checkpoint, self._opened, state))
        self._checkpoint += 1

    def release(self) -> list[AirbyteStateMessage]:
        """The held STATEs, oldest first, that no open record precedes."""
        oldest_open = next(iter(self._open), self._checkpoint)
        released = []
        while self._held and self._held[0].checkpoint < oldest_open:
            released.append(self._held.popleft().state)
        return released

    def newest(self) -> int | None:
        """The checkpoint of the newest STATE still held, if any."""
        return self._held[-1].checkpoint if self._held else None

    def overdue(self, records: int) -> int | None:
        """The checkpoint of the oldest held STATE once `records` more records have been opened after it."""
        if self._held and self._opened - self._held[0].opened_before >= records:
            return self._held[0].checkpoint
        return None
