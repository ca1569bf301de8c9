"""The incremental cursor: one field, an inclusive boundary, de-duplication on `id`.

Zoho filters `If-Modified-Since` inclusively (docs/zoho-api.md section 3.1, emulator choice; the
alternative is tolerated because we never add a second to the boundary, design.md "Rules of the road").
Rows at exactly the boundary that the previous sync already emitted are recognised by their id, which
is why the state keeps the ids seen at the highest cursor value. Reading a row twice is preferred to
missing one: a row is only dropped when it is provably a repeat.

The state keeps at most a page of those ids (MAX_IDS_IN_STATE), the latest accepted: when 10,000 rows share
one second, a STATE after every page would otherwise carry 200, 400, ... 10,000 ids (quadratic; issue 12).
A sync resumed from such a state reads the rows of that second it has no id for again: a repeat, never a loss.
A saved value in the future is refused: it would skip every change until then (issue 12).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from source_zoho_crm.config import SourceConfigError
from source_zoho_crm.dates import format_utc, require_datetime
from source_zoho_crm.state import StateError
from zoho_crm_client.models import MODIFIED_TIME, Position, Segment

MAX_IDS_IN_STATE = 200  # one get-records page (docs/zoho-api.md section 3.1)
FUTURE_TOLERANCE = timedelta(days=1)
RANGES_DONE = "ranges_done"  # additive key of a windowed read's state (docs/source-state.md)  # clock skew and time zone slips stay well inside a day


@dataclass
class Cursor:
    """The position a stream's state saves: the highest cursor value read and the ids that carry it.

    Example: a state of `{"Modified_Time": "2024-05-01T04:45:00Z", "ids_at_cursor": ["7"]}` starts
    the read at 04:45:00 inclusive; row 7 at 04:45:00 is dropped, row 8 at 04:45:00 is kept and the
    cursor then holds ids 7 and 8.

    A module's REST read leaves the paging and the filtering to the client's keyset (zoho_crm_client/paging.py):
    the cursor starts it (`position`) and follows it (`take`). Reads whose rows come in any order (Bulk Read,
    deleted records, Notes) filter here with `accept`.
    """

    field: str
    start: Position = Position()  # where this read began: rows below it, or at it with a known id, are repeats
    value: datetime | None = None
    # the ids at `value`, in the order read (the state keeps the latest); dataclasses.field in full: the class's
    # own `field` attribute hides the bare name here
    ids_at_cursor: dict[str, None] = dataclasses.field(default_factory=dict)
    # a windowed read (zoho_crm_client/windows.py): ranges above `value` already emitted (docs/source-state.md)
    segments: tuple[Segment, ...] = ()

    @classmethod
    def from_state(cls, field_name: str, state: dict[str, Any] | None, start: datetime | None) -> Cursor:
        """Start at the state's boundary, else at `start` (the config's start_datetime, or None for all)."""
        state = state if isinstance(state, dict) else {}
        raw = state.get(field_name)
        if raw in (None, ""):
            return cls(field=field_name, start=Position(start), value=start)
        try:
            floor = require_datetime(raw) if isinstance(raw, str) else None
        except ValueError:
            floor = None
        if floor is None:
            raise StateError(f"the saved state's {field_name} is {raw!r:.60}, not a date-time (e.g. "
                             "2024-05-01T04:45:00Z); fix it in the state, or reset the stream to read it again")
        if floor > datetime.now(timezone.utc) + FUTURE_TOLERANCE:
            raise SourceConfigError(
                f"the saved state has {field_name} {raw}, which is in the future: the read would skip every change "
                "made until then. Reset this stream (clear its state) to read it again from start_datetime")
        ids = state.get("ids_at_cursor") or ()
        if not isinstance(ids, (list, tuple, set, frozenset)):
            raise StateError(f"the saved state's ids_at_cursor is {ids!r:.60}, not a list of ids; fix it in the state, "
                             "or reset the stream to read it again")
        ordered = sorted({str(i) for i in ids})
        return cls(field=field_name, start=Position(floor, tuple(ordered)), value=floor,
                   ids_at_cursor=dict.fromkeys(ordered), segments=_segments(state.get(RANGES_DONE), floor))

    @property
    def floor(self) -> datetime | None:
        return self.start.moment

    def position(self) -> Position:
        """Where a keyset read picks up: the value, inclusive, and every id already read at it."""
        return Position(self.value, tuple(self.ids_at_cursor))

    def take(self, position: Position | None, segments: tuple[Segment, ...] = ()) -> None:
        """Follow a keyset read: the client has already dropped every row before `position`."""
        if position is not None and position.moment is not None:
            self.value, self.ids_at_cursor = position.moment, dict.fromkeys(position.ids_at_cursor)
            self.segments = segments

    def accept(self, record_id: str, moment: datetime) -> bool:
        """True if the row must be emitted; advances the cursor. Rows may arrive in any order."""
        floor = self.start.moment
        if floor is not None and moment < floor:
            return False
        if (moment == floor and record_id in self.start.ids_at_cursor) or (
            moment == self.value and record_id in self.ids_at_cursor
        ):
            return False
        if self.value is None or moment > self.value:
            self.value = moment
            self.ids_at_cursor = {record_id: None}
        elif moment == self.value:
            self.ids_at_cursor[record_id] = None
        return True

    def rebase(self) -> None:
        """Make the current position the start, before a read whose rows come in any order (Bulk Read):
        rows older than it are dropped, rows at it already emitted are recognised by id."""
        self.start = self.position()

    def to_state(self) -> dict[str, Any]:
        """UTC serialisation; empty when nothing was ever seen (no start date, no rows)."""
        if self.value is None:
            return {}
        latest = list(self.ids_at_cursor)[-MAX_IDS_IN_STATE:]
        state: dict[str, Any] = {self.field: format_utc(self.value), "ids_at_cursor": sorted(latest)}
        if self.segments:
            state[RANGES_DONE] = [{"from": format_utc(s.start), self.field: format_utc(s.end.moment),
                                   "ids_at_cursor": sorted(s.end.ids_at_cursor[-MAX_IDS_IN_STATE:])}
                                  for s in self.segments if s.end.moment is not None]
        return state


def _segments(raw: Any, floor: datetime) -> tuple[Segment, ...]:
    """The saved ranges_done, each above the one before and above the cursor; anything else is ignored (the
    read then repeats those rows, never loses one)."""
    if not isinstance(raw, list):
        return ()
    out: list[Segment] = []
    low = floor
    for item in raw:
        try:
            start, end = require_datetime(item["from"]), require_datetime(item[MODIFIED_TIME])
            ids = tuple(str(i) for i in item.get("ids_at_cursor") or ())
        except (KeyError, TypeError, ValueError, AttributeError):
            return ()
        if start is None or end is None or not low < start <= end:
            return ()
        out.append(Segment(start, Position(end, ids)))
        low = end
    return tuple(out)
