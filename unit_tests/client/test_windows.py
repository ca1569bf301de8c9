"""The windowed read of one module (zoho_crm_client/windows.py) over the fake get-records endpoint: a large module
splits into windows read side by side at no more than 1.05 x the floor of calls, a small one is read in one window
at exactly the floor, and a read stopped at any page resumes from its saved progress without a gap or a repeat."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta, timezone

import requests_mock

from unit_tests.client.builders import T0, FakeRecords, client, config, lead, token_ok
from zoho_crm_client.models import Page, Position, Segment

FIELDS = ["Last_Name", "Email"]
START = Position(T0 - timedelta(days=365))  # a first sync's start_datetime, long before the oldest row


def leads(count: int, every: int = 60, *, recent: bool = False) -> list[dict]:
    """`count` rows one every `every` seconds from T0, or ending an hour ago when `recent`."""
    first = int((datetime.now(timezone.utc) - T0).total_seconds()) - 3600 - count * every if recent else 0
    return [lead(n, seconds=first + n * every, Last_Name=f"L{n}") for n in range(count)]


def pages_needed(count: int) -> int:
    """Each keyset page starts at the last Modified_Time read, inclusive: it re-reads that row, 199 are new."""
    return math.ceil((count - 1) / 199)


class Ticks:
    """A wall clock that moves 50 ms at each reading, and a process CPU clock that uses `share` of that;
    `idle` moves the wall clock alone (the process waits)."""

    def __init__(self, share: float):
        self.share, self.now, self.used = share, 0.0, 0.0

    def wall(self) -> float:
        self.now += 0.05
        self.used += 0.05 * self.share
        return self.now

    def cpu(self) -> float:
        return self.used

    def idle(self, seconds: float) -> None:
        self.now += seconds


def read(fake: FakeRecords, start: Position = START, segments: tuple[Segment, ...] = (), *, slots: int = 4,
         stop_after: int | None = None, ticks: Ticks | None = None, idle_before: float = 0.0) -> list[Page]:
    pages: list[Page] = []
    paced = {"clock": ticks.wall, "cpu": ticks.cpu} if ticks else {}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        fake.install(mock)
        zoho = client(config(max_concurrent_requests=slots), **paced)
        read_pages = zoho.module_pages("Leads", FIELDS, start, segments)
        if ticks:
            ticks.idle(idle_before)
        for page in read_pages:
            pages.append(page)
            if stop_after is not None and len(pages) == stop_after:
                break
    return pages


def windows_seen(pages: list[Page]) -> int:
    """The most windows that ran at once: the lowest one plus the Segments read above it."""
    return 1 + max(len(p.segments or ()) for p in pages)


def test_a_large_module_is_read_in_windows_side_by_side_within_105_percent_of_the_floor() -> None:
    fake = FakeRecords(leads(24_000))
    pages = read(fake, slots=4)
    counts = Counter(r["id"] for p in pages for r in p.records)
    assert len(counts) == 24_000 and set(counts.values()) == {1}  # every row once, boundaries included
    assert windows_seen(pages) == 4  # 4 calls in flight, one field group: 4 windows
    assert len(fake.calls) <= 1.05 * math.ceil(24_000 / 200)
    assert sum(1 for c in fake.calls if c["qs"].get("sort_order") == "desc") == 1  # the newest page, asked once


def test_a_small_module_of_recent_rows_is_read_in_one_window_at_exactly_the_floor() -> None:
    fake = FakeRecords(leads(3_000, recent=True))
    pages = read(fake, slots=4)
    assert sum(len(p.records) for p in pages) == 3_000
    assert len(fake.calls) == pages_needed(3_000) == 16 and windows_seen(pages) == 1


def test_a_small_module_of_old_rows_pays_one_call_for_the_newest_page_and_is_not_split() -> None:
    # page 1 covers 200 minutes of 2024: extrapolated to today it points at a large module, so the newest page is
    # asked; that shows the rows end two days later and no window is worth a boundary
    fake = FakeRecords(leads(3_000))
    pages = read(fake, slots=4)
    assert sum(len(p.records) for p in pages) == 3_000
    assert len(fake.calls) == pages_needed(3_000) + 1 and windows_seen(pages) == 1


def test_a_read_held_back_by_its_own_cpu_stays_in_one_window_at_the_floor() -> None:
    # answers faster than the rows are processed (the process busy 80% of the wall time): more calls in flight
    # would only add thread hand-offs, so neither the newest page nor a boundary is asked
    fake = FakeRecords(leads(24_000))
    pages = read(fake, slots=4, ticks=Ticks(share=0.8))
    assert sum(len(p.records) for p in pages) == 24_000
    assert len(fake.calls) == pages_needed(24_000) and windows_seen(pages) == 1


def test_a_wait_before_the_first_page_does_not_count_as_waiting_on_zoho() -> None:
    # the read is set up, then the sync reaches it 5 s later (other streams first, or a slow first answer): its
    # pace is measured from its first page, so a read held back by its own CPU still stays in one window
    # (before: 0.47 of a core at the first look in a 100,000-row read at 0 ms, 15 calls over the floor)
    fake = FakeRecords(leads(24_000))
    pages = read(fake, slots=4, ticks=Ticks(share=0.8), idle_before=5.0)
    assert sum(len(p.records) for p in pages) == 24_000
    assert len(fake.calls) == pages_needed(24_000) and windows_seen(pages) == 1


def test_a_read_that_waits_on_zoho_splits_once_its_pace_is_known() -> None:
    fake = FakeRecords(leads(24_000))
    pages = read(fake, slots=4, ticks=Ticks(share=0.15))
    counts = Counter(r["id"] for p in pages for r in p.records)
    assert len(counts) == 24_000 and set(counts.values()) == {1}
    assert windows_seen(pages) == 4 and len(fake.calls) <= 1.05 * math.ceil(24_000 / 200)
    # the first pages are read before PACE_AFTER seconds have passed: the split waits for them, not for 20 pages
    first_split = next(i for i, p in enumerate(pages) if p.segments)
    assert 1 <= first_split < 20


def test_a_page_within_one_second_does_not_ask_for_the_newest_page() -> None:
    # an incremental sync after a mass update: 400 rows edited in the same second say nothing about the density
    # of the rest, so the 3 pages cost exactly the floor (before: one more call per module for the newest page)
    rows = [lead(n, seconds=86_400 * 700, Last_Name=f"L{n}") for n in range(400)]
    fake = FakeRecords(rows)
    pages = read(fake, slots=4)
    assert sum(len(p.records) for p in pages) == 400
    assert not any(c["qs"].get("sort_order") == "desc" for c in fake.calls) and windows_seen(pages) == 1


def test_one_call_in_flight_never_splits_nor_asks_for_the_newest_page() -> None:
    fake = FakeRecords(leads(6_000))
    pages = read(fake, slots=1)
    assert len(fake.calls) == pages_needed(6_000) and windows_seen(pages) == 1


def test_a_read_stopped_at_any_page_resumes_from_its_progress_without_a_gap_or_a_repeat() -> None:
    rows = leads(12_000)
    for stop in (3, 17, 31, 44):
        first = read(FakeRecords(rows), slots=4, stop_after=stop)
        assert len(first[-1].segments or ()) >= 1 or stop < 5  # windows above the lowest one have been read
        rest = read(FakeRecords(rows), first[-1].position, first[-1].segments or (), slots=4)
        # the resumed read starts at the saved position (inclusive, its ids skipped): what the source keeps is
        # every row the first attempt emitted and every row the second one emits
        got = Counter(r["id"] for p in first + rest for r in p.records)
        assert set(got) == {r["id"] for r in rows}, f"stopped after {stop} pages"
        assert max(got.values()) == 1, f"stopped after {stop} pages: {[k for k, v in got.items() if v > 1][:3]}"
