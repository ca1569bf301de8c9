"""One module read as Modified_Time windows side by side (issue 14), each a ModifiedTimeKeyset (paging.py).

Get-records has only a lower bound (If-Modified-Since, docs/zoho-api.md section 3.1), so a window reads from its
start and stops at the first row at or past its end: each boundary costs at most one call beyond the floor (the
page that shows the end), half a call on average.

A read starts as one window. As soon as a page says there is more, the read estimates how many rows are left
from that page's rows per second of Modified_Time: when that points at a large module (PROBE_EARLY_ROWS; or
once PROBE_AFTER_ROWS rows are read, whatever the estimate said), the newest page is asked once
(`sort_order=desc`, one call) for the horizon and the density among the newest rows. From then on, while fewer
windows run than the calls in flight allow, the window with the most estimated rows left is halved (work
stealing). A window's rows left are its own rows per second read so far (the read's when it has read nothing)
times the span it has left. Two rules keep calls near the floor: both halves keep at least MIN_WINDOW_ROWS
estimated rows, and the calls beyond the floor (the newest page and the boundaries) stay within SPLIT_BUDGET of
the estimated floor: a module of fewer than 38 pages (7,600 rows) is never split.

Worked example: 100,000 rows from 2024-01-01 to 2026-12-01, 10 calls in flight, 2 field groups. Page 1 reads
200 rows over 15 hours: about 100,000 rows are left, so the newest page is asked (1 call) and the read splits
at once into 5 windows (10 calls in flight / 2 calls a page), each about 20,000 rows. When one finishes, the
window with most rows left is halved, until the halves would hold under 600 rows or the boundaries would
cost more than 4% of the floor (500 pages: 1 newest page + up to 37 boundaries). The last window has no end: it also reads rows edited during the read.

Progress is what the source saves: the position of the lowest unfinished window, and the Segments read above it
(docs/source-state.md). A resumed read starts a window in every gap between them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from zoho_crm_client.dates import parse_datetime
from zoho_crm_client.models import MODIFIED_TIME, Page, Position, Segment
from zoho_crm_client.paging import PER_PAGE, TOKEN_LIMIT, ModifiedTimeKeyset
from zoho_crm_client.records import ListPlan, RecordReader, Scan, page_body
from zoho_crm_client.transport import Call

PROBE_AFTER_ROWS = 20 * PER_PAGE  # the one call asking for the newest page is then <= 5% of the floor
PROBE_EARLY_ROWS = 2 * PROBE_AFTER_ROWS  # a first page that points at twice that many rows asks at once
MIN_WINDOW_ROWS = 3 * PER_PAGE  # halves of 3 pages or more: the budget below, not this, bounds the calls
SPLIT_BUDGET = 0.04  # the newest page's call and the boundaries, at half a page each: within 4% of the pages
BUSY = 0.5  # the process's CPU seconds per wall second from which a read is held back by its own CPU (Pace)
PACE_AFTER = 0.25  # wall seconds of reading before that share is trusted


class Pace:
    """Whether a read waits on its own CPU rather than on Zoho: the process's CPU seconds (every thread) per wall
    second since the read's first page (`begin`). The time before it says nothing about the read's pace: a
    stream's read is set up before the sync reaches it, and a server's first answer may come after a cold start
    (measured at 0 ms on 100,000 Leads: 0.47 of a core counted from the set-up, 0.73-0.77 from the first page).

    Windows hide round trips; when the answers come faster than the rows are processed (a server next door, 0 ms
    of latency), more calls in flight only add thread hand-offs (measured: 40,000 Leads at 0 ms, 10 slots, 12,500
    context switches against 4,800 and 9% more CPU) and boundary calls. A read that keeps the process's CPU busy
    for at least BUSY of its wall time stays in one window; at 100 ms a call one window uses about a sixth."""

    def __init__(self, cpu: Callable[[], float], wall: Callable[[], float]):
        self._cpu, self._wall = cpu, wall
        self._since: tuple[float, float] | None = None  # (CPU, wall) at the first page

    def begin(self) -> None:
        """The first page is in hand: the pace is measured from now on (later calls change nothing)."""
        if self._since is None:
            self._since = (self._cpu(), self._wall())

    def busy(self) -> bool | None:
        """None before `begin` and for PACE_AFTER seconds after it; then whether the CPU share reached BUSY."""
        if self._since is None:
            return None
        cpu0, wall0 = self._since
        wall = self._wall() - wall0
        if wall < PACE_AFTER:
            return None
        return (self._cpu() - cpu0) / wall >= BUSY


@dataclass
class Window:
    start: Position
    end: datetime | None  # exclusive; None: open, it also reads rows edited during the read
    scan: Scan | None  # None: a range an earlier attempt read (from the saved state), up to `read_to`
    done: bool = False
    read_to: Position | None = None
    rows: int = 0  # rows this window has read: its own density (WindowedRead._left)

    @property
    def position(self) -> Position:
        if self.scan is None:
            return self.read_to or self.start
        return self.scan.keyset.position

    def segment(self) -> Segment | None:
        """What this window has read, as a Segment; None when nothing."""
        if self.start.moment is None:
            return None
        if self.scan is None and self.read_to is not None:
            return Segment(self.start.moment, self.read_to)
        if self.done and self.end is not None:
            return Segment(self.start.moment, Position(self.end))
        position = self.position
        if position == self.start or position.moment is None:
            return None
        return Segment(self.start.moment, position)


class WindowedRead:
    def __init__(self, reader: RecordReader, module: str, fields: list[str], start: Position,
                 segments: tuple[Segment, ...], slots: Callable[[], int], pace: Pace | None = None):
        self._reader = reader
        self._pace = pace  # None: split whenever the estimate says so (tests of the split rules)
        self._plan = ListPlan.of(module, fields, MODIFIED_TIME, "asc")
        self._slots = slots  # the calls in flight allowed: known once the first call resolved the edition
        self._horizon = datetime.now(timezone.utc)
        self._density = 0.0  # rows per second of Modified_Time read so far (_estimate)
        self._first: datetime | None = None  # the first Modified_Time read: the read is large enough to estimate
        self._rows = 0
        self._top: float | None = None  # rows per second among the newest rows; None: not asked yet
        self._boundaries = 0  # windows split off so far (SPLIT_BUDGET)
        self.windows = self._plan_windows(start, segments)

    def _most(self) -> int:
        """Windows that fit: each keeps one page (a call per field group) in flight."""
        return max(1, self._slots() // len(self._plan.groups))

    def _scan(self, start: Position, end: datetime | None, *, probe: bool = False) -> Scan:
        keyset = ModifiedTimeKeyset(start, follow_edits=True, end=end, token_limit=TOKEN_LIMIT)
        return Scan(self._reader, self._plan, keyset, probe_known=probe, ahead=True)

    def _plan_windows(self, start: Position, segments: tuple[Segment, ...]) -> list[Window]:
        """A window in every gap: from `start` to the first segment, between segments, after the last."""
        windows: list[Window] = []
        low = start
        for seg in segments:
            windows.append(Window(low, seg.start, self._scan(low, seg.start, probe=not windows)))
            windows.append(Window(Position(seg.start), seg.end.moment, None, done=True, read_to=seg.end))
            low = seg.end
        windows.append(Window(low, None, self._scan(low, None, probe=not windows)))
        return windows

    def pages(self) -> Generator[Page, None, None]:
        try:
            while running := [w for w in self.windows if w.scan is not None and not w.done]:
                window = self._ready(running)
                assert window.scan is not None
                page = window.scan.step()
                window.done = window.scan.finished
                if page is None:  # Zoho answered 204: no rows from this window's start
                    page = Page(records=[], calls=len(self._plan.groups), credits=len(self._plan.groups))
                if page.records:
                    window.rows += len(page.records)
                    self._density = self._estimate(page)
                self._steal()
                page.position, page.segments = self.progress()
                page.more = any(not w.done for w in self.windows)
                yield page
        finally:
            for window in self.windows:
                if window.scan is not None:
                    window.scan.close()

    @staticmethod
    def _ready(running: list[Window]) -> Window:
        """A window whose next page has fully arrived (or that asks nothing: it steps at once)."""
        while True:
            waiting = []
            for window in running:
                assert window.scan is not None
                left = [f for f in window.scan.pending if not f.done()]
                if not left:
                    return window
                waiting += left
            wait(waiting, return_when=FIRST_COMPLETED)

    def progress(self) -> tuple[Position, tuple[Segment, ...]]:
        """The lowest unfinished window's position, and the Segments read above it: a finished window's range
        joins the next window's (they meet at its end)."""
        lowest = next((i for i, w in enumerate(self.windows) if not w.done), len(self.windows) - 1)
        segments: list[Segment] = []
        joins = False
        for window in self.windows[lowest + 1:]:
            seg = window.segment()
            if seg is not None and joins and segments:
                seg = Segment(segments.pop().start, seg.end)
            if seg is not None:
                segments.append(seg)
            joins = seg is not None and window.done
        return self.windows[lowest].position, tuple(segments)

    def _estimate(self, page: Page) -> float:
        """Rows per second of Modified_Time read so far, over every window; 0 while nothing is to be split.

        The newest page is asked once (_newest), when this page says there is more and either the read has
        PROBE_AFTER_ROWS rows or this page's own density points at PROBE_EARLY_ROWS rows up to now: that call
        stays under 5% of the floor, and a smaller module is read in one window at exactly the floor. Nor is it
        asked while the read's own CPU holds it back (Pace), or before that is known."""
        moments = [m for m in page.moments or [] if m is not None]
        if self._pace is not None:
            self._pace.begin()
        self._rows += len(page.records)
        if self._first is None:
            self._first = moments[0] if moments else None
        if self._top is None:
            if not page.more or self._most() < 2 or (self._rows < PROBE_AFTER_ROWS
                                                      and self._extrapolated(moments) < PROBE_EARLY_ROWS):
                return 0.0
            if self._pace is not None and self._pace.busy() is not False:
                return 0.0  # not yet known, or the read's own CPU holds it back: windows would not help (Pace)
            self._top = self._newest()
        covered = sum(((w.position.moment - (self._origin(w) or w.position.moment)).total_seconds()
                       for w in self.windows if w.scan is not None and w.position.moment is not None), 0.0)
        # rows are seldom spread evenly (recent ones are denser): the mean of the density read so far and the
        # density of the newest rows, never less than what has been read
        so_far = self._rows / max(covered, 1.0)
        return max(so_far, (so_far + self._top) / 2)

    def _extrapolated(self, moments: list[datetime]) -> float:
        """The rows up to now if the rest were as dense as this page; 0 (unknown) for a page within one second: a
        mass update or import puts 200 rows in one second, and an incremental sync after one is often a page or
        two (PROBE_AFTER_ROWS still applies)."""
        if len(moments) < 2:
            return 0.0
        span = (moments[-1] - moments[0]).total_seconds()
        return 0.0 if span <= 0 else len(moments) * (self._horizon - moments[0]).total_seconds() / span

    def _newest(self) -> float:
        """The newest page (one call, sort_order=desc): sets the horizon and returns its rows per second."""
        params = {"fields": MODIFIED_TIME, "sort_by": MODIFIED_TIME, "sort_order": "desc", "per_page": PER_PAGE,
                  "page": 1}
        resp = self._reader._transport.request(Call.to("GET", "/crm/v8/{module}", {"module": self._plan.module},
                                                       params=params))
        body = page_body(resp.body)
        moments = [m for m in (parse_datetime(r.get(MODIFIED_TIME)) for r in (body or {}).get("data", [])) if m]
        if not moments:
            return 0.0
        self._horizon = max(moments) + timedelta(seconds=1)
        return len(moments) / max((max(moments) - min(moments)).total_seconds(), 1.0)

    def _steal(self) -> None:
        """Halve the window with the most estimated rows left while slots are idle, halves stay large and the
        boundaries stay within budget."""
        while self._density and sum(1 for w in self.windows if not w.done) < self._most():
            best = max((w for w in self.windows if not w.done and w.scan is not None), default=None,
                       key=self._left)
            if best is None or self._left(best) < 2 * MIN_WINDOW_ROWS or not self._affordable():
                return
            self._split(best)

    def _affordable(self) -> bool:
        """One more boundary (half a page on average) keeps the calls beyond the floor (the newest page's one and
        the boundaries') within SPLIT_BUDGET of the pages estimated for the whole read."""
        left = sum(self._left(w) for w in self.windows if not w.done and w.scan is not None)
        pages = (self._rows + left) / PER_PAGE
        return 1 + (self._boundaries + 1) / 2 <= SPLIT_BUDGET * pages

    def _left(self, window: Window) -> float:
        """Estimated rows left: the window's own density once it has read a page, else the read's."""
        moment = window.position.moment
        if moment is None:
            return 0.0
        end = window.end or max(self._horizon, moment)
        density = self._density or 0.0
        origin = self._origin(window)
        if window.rows >= PER_PAGE and origin is not None and moment > origin:
            density = window.rows / (moment - origin).total_seconds()
        return (end - moment).total_seconds() * density

    def _origin(self, window: Window) -> datetime | None:
        """Where a window's rows begin: its start, or the first row read when that is later (a first sync starts
        at start_datetime, often years before the oldest row)."""
        start, first = window.start.moment, self._first
        if start is None or first is None:
            return start or first
        return max(start, first)

    def _split(self, window: Window) -> None:
        assert window.scan is not None and window.position.moment is not None
        low = window.position.moment
        end = window.end or max(self._horizon, low)
        middle = (low + (end - low) / 2).replace(microsecond=0)
        if middle <= low:
            self._density = 0.0  # nothing left to halve at second precision
            return
        window.scan.keyset.end = middle
        upper = Window(Position(middle), window.end, self._scan(Position(middle), window.end))
        self._boundaries += 1
        window.end = middle
        self.windows.insert(self.windows.index(window) + 1, upper)
