"""Get records past every ceiling, field groups of 50, and deleted records (docs/zoho-api.md sections 3.1, 5).

Windows. A page_token chain reaches 100,000 rows; past that (predicted, or PAGINATION_LIMIT_EXCEEDED), and
when a token expires or stops matching its query (EXPIRED_VALUE, TOKEN_BOUND_DATA_MISMATCH), the scan starts
a new window at the last Modified_Time it yielded. Rows are sorted by Modified_Time ascending, so every row
older than that instant has been yielded already, and the window loses nothing.

Inclusive `since`, done here. Whether If-Modified-Since is inclusive is UNCONFIRMED (section 3.1), so the
header is sent one second early and rows older than the window's floor are dropped locally; rows AT the floor
that this scan already yielded (same id, same Modified_Time) are dropped too. The caller therefore gets every
row with Modified_Time >= since exactly once per scan, and need not de-duplicate within a scan.

Field groups. v8 takes at most 50 `fields` per call. With more, group 1 holds the sort field and the first
49 others, later groups 50 each, and the groups are scanned in lockstep with identical parameters, so the
call count stays at the floor (pages x groups). Page n of each later group is merged onto group 1's page n by
`id`. If a record changed between the calls it may sit on another page of a later group; those ids are fetched
with `?ids=` (at most 100 per call). Rows of a later group that are not on group 1's page are dropped: group 1
meets them on a later page, or the next incremental sync does, and group 1 alone decides what is yielded.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from zoho_crm_client.dates import format_datetime, parse_datetime
from zoho_crm_client.errors import (
    InvalidResponseError,
    PageTokenExpired,
    PaginationLimitExceeded,
)
from zoho_crm_client.models import Page
from zoho_crm_client.paging import PER_PAGE, TOKEN_LIMIT, PageCursor, RepeatGuard
from zoho_crm_client.paths import ids_value
from zoho_crm_client.transport import Call, Transport

MAX_FIELDS = 50  # section 3.1
MAX_IDS = 100  # ids per `?ids=` call the emulator (and Zoho's list call) accepts
MAX_RESTARTS_WITHOUT_PROGRESS = 3
ONE_SECOND = timedelta(seconds=1)


def field_groups(fields: list[str], sort_by: str) -> list[list[str]]:
    """Split `fields` into groups of <= 50; group 1 starts with the sort field (and Modified_Time)."""
    first = [sort_by] + (["Modified_Time"] if sort_by != "Modified_Time" else [])
    rest = [f for f in dict.fromkeys(fields) if f not in first and f != "id"]
    head = first + rest[: MAX_FIELDS - len(first)]
    tail = rest[MAX_FIELDS - len(first):]
    return [head] + [tail[i:i + MAX_FIELDS] for i in range(0, len(tail), MAX_FIELDS)]


@dataclass
class Boundary:
    """The floor of the current window and the ids already yielded at it (section 3.1 dedup on id)."""

    floor: datetime | None
    order: str = "asc"  # sort_order of the scan; only an ascending scan can open a new window
    last: datetime | None = None
    ids_at_last: set[str] = field(default_factory=set)
    ids_at_floor: set[str] = field(default_factory=set)
    sorted_on_moment: bool = True  # sort_by is Modified_Time: every page must come in its order
    latest: datetime | None = None  # the highest Modified_Time of this page_token chain so far

    def in_order(self, moment: datetime | None) -> bool:
        """Note a row's Modified_Time; False when it is older than a row before it in the same chain."""
        if not self.sorted_on_moment or moment is None:
            return True
        if self.latest is not None and moment < self.latest:
            return False
        self.latest = moment
        return True

    def admits(self, record: dict[str, Any], moment: datetime | None) -> bool:
        if self.floor is None or moment is None:
            return True
        return moment > self.floor or (moment == self.floor and str(record.get("id")) not in self.ids_at_floor)

    def saw(self, record_id: str, moment: datetime | None) -> None:
        if moment is None:
            return
        if self.last is None or moment > self.last:
            self.last, self.ids_at_last = moment, {record_id}
        elif moment == self.last:
            self.ids_at_last.add(record_id)

    def next_window(self) -> bool:
        """Move the floor to the last instant yielded; False when that would not move forward."""
        if self.last is None:
            return False
        moved = self.floor is None or self.last > self.floor or not self.ids_at_last <= self.ids_at_floor
        if self.last == self.floor:
            self.ids_at_floor |= self.ids_at_last
        else:
            self.floor, self.ids_at_floor = self.last, set(self.ids_at_last)
        return moved

    def header(self) -> dict[str, str]:
        return {"If-Modified-Since": format_datetime(self.floor - ONE_SECOND)} if self.floor else {}


class RecordReader:
    def __init__(self, transport: Transport, logger: logging.Logger):
        self._transport = transport
        self._log = logger

    def iter_records(self, module: str, fields: list[str], *, since: datetime | None = None,
                     sort_by: str = "Modified_Time", known_ids: Collection[str] = (),
                     probe_known: bool = False, sort_order: str = "asc") -> Generator[Page, None, None]:
        """Every record with Modified_Time >= `since` (all when None), sorted ascending, one Page per 200.

        `sort_order="desc"` (the `zoho-crm record list` action) reads newest first; new windows need an
        ascending Modified_Time scan, so a descending list stops at the 100,000-row page_token ceiling.

        `known_ids`: ids the caller already has at exactly `since`; they are not yielded again.
        `probe_known`: the first page may well hold only those rows (the first read of an incremental sync),
        so group 1 is asked alone before the other field groups (_known_only_head). A caller restarting
        mid-sync leaves it False: its next page nearly always has new rows, and asking the groups one after
        the other would double the page's latency.
        """
        groups = field_groups(fields, sort_by)
        floor = parse_datetime(since) if since else None
        bound = Boundary(floor=floor, ids_at_floor={str(i) for i in known_ids} if floor else set(),
                         order=sort_order, sorted_on_moment=sort_by == "Modified_Time" and sort_order == "asc")
        stalls = 0
        # the groups of one page are fetched side by side; the in-flight limiter still caps the total
        with ThreadPoolExecutor(len(groups), "zoho-groups") if len(groups) > 1 else nullcontext() as pool:
            while True:
                try:
                    for page in self._window(module, groups, sort_by, bound, pool, probe_known):
                        stalls = 0 if page.records else stalls
                        yield page
                    return
                except (PageTokenExpired, PaginationLimitExceeded) as exc:
                    stalls += 1
                    self._restart_or_raise(module, exc, sort_by, bound, stalls)

    def _restart_or_raise(self, module: str, exc: PageTokenExpired | PaginationLimitExceeded, sort_by: str,
                          bound: Boundary, stalls: int) -> None:
        windowed = sort_by == "Modified_Time" and bound.order == "asc"
        moved = windowed and bound.next_window()
        ceiling = isinstance(exc, PaginationLimitExceeded)
        if not windowed:
            raise type(exc)(f"{module}: cannot page past {exc.code}: only an ascending Modified_Time scan starts "
                            "new windows; sort by Modified_Time asc (the default) to read every row",
                            status=exc.status, code=exc.code, details=exc.details) from exc
        if (ceiling and not moved) or stalls > MAX_RESTARTS_WITHOUT_PROGRESS:
            raise type(exc)(f"{module}: cannot page past {exc.code} without progress (window at "
                            f"{bound.floor}); use Bulk Read for this module", status=exc.status,
                            code=exc.code, details=exc.details) from exc
        self._log.info("%s: %s, new window from Modified_Time %s", module, exc.code, bound.floor)

    def _window(self, module: str, groups: list[list[str]], sort_by: str, bound: Boundary,
                pool: ThreadPoolExecutor | None, probe_known: bool) -> Iterator[Page]:
        """One page_token chain; raises PaginationLimitExceeded itself at the predicted 100,000 ceiling."""
        cursors = [PageCursor() for _ in groups]
        rows, bound.latest = 0, None
        prefetched = self._known_only_head(module, groups, sort_by, bound, cursors[0]) if probe_known else None
        if prefetched is not None and not prefetched["data"]:
            yield self._page(module, [], 1, bound, more=False)
            return
        while True:
            answers = self._list_groups(module, groups, sort_by, bound, cursors, pool, prefetched)
            prefetched = None
            head = answers[0]
            if head is None:
                return
            records, calls = self._merge(module, groups, answers)
            yield self._page(module, records, calls, bound, more=bool(head["info"].get("more_records")))
            if not head["info"].get("more_records"):
                return
            rows += len(head["data"])
            if rows >= TOKEN_LIMIT:
                raise PaginationLimitExceeded("predicted 100,000-row page_token ceiling",
                                              code="PAGINATION_LIMIT_EXCEEDED")
            for cursor, answer in zip(cursors, answers, strict=True):
                if answer is not None:
                    cursor.advance(answer["info"])

    def _known_only_head(self, module: str, groups: list[list[str]], sort_by: str, bound: Boundary,
                         cursor: PageCursor) -> dict[str, Any] | None:
        """Group 1's first page alone, when it may hold only rows the caller already has.

        A no-change incremental sync reads one page of rows at the boundary second that the caller has:
        asking the later field groups for it would spend a call per group on nothing (issue 4's goal is one
        call per stream). Only the first page of a window with known ids at its floor is fetched this way.
        Returns {"data": []} when there is nothing new, the page to merge when there is, None otherwise.
        """
        if len(groups) == 1 or not bound.ids_at_floor:
            return None
        head = self._list(module, groups[0], sort_by, bound, cursor)
        if head is None:
            return {"data": [], "info": {}}
        new = any(bound.admits(r, parse_datetime(r.get("Modified_Time"))) for r in head["data"])
        return head if new or head["info"].get("more_records") else {"data": [], "info": {}}

    def _list_groups(self, module: str, groups: list[list[str]], sort_by: str, bound: Boundary,
                     cursors: list[PageCursor], pool: ThreadPoolExecutor | None,
                     head: dict[str, Any] | None = None) -> list[dict[str, Any] | None]:
        """Page n of every group; `head`, when given, is group 1's page n already fetched."""
        todo = list(zip(groups, cursors, strict=True))[1 if head is not None else 0:]
        if pool is None:
            answers = [self._list(module, g, sort_by, bound, c) for g, c in todo]
        else:
            answers = [f.result() for f in [pool.submit(self._list, module, g, sort_by, bound, c) for g, c in todo]]
        return [head, *answers] if head is not None else answers

    def _list(self, module: str, fields: list[str], sort_by: str, bound: Boundary,
              cursor: PageCursor) -> dict[str, Any] | None:
        params = {"fields": ",".join(fields), "sort_by": sort_by, "sort_order": bound.order, "per_page": PER_PAGE,
                  "converted": "both", **cursor.params()}
        resp = self._transport.request(Call.to("GET", "/crm/v8/{module}", {"module": module}, params=params,
                                               headers=bound.header()))
        return page_body(resp.body)

    def _merge(self, module: str, groups: list[list[str]],
               answers: list[dict[str, Any] | None]) -> tuple[list[dict[str, Any]], int]:
        head = answers[0]
        assert head is not None  # the caller stops on an empty head
        records = head["data"]  # fresh from the JSON decoder: merged into in place
        calls = len(groups)
        for fields, answer in zip(groups[1:], answers[1:], strict=True):
            calls += self.fill(module, records, fields, answer)
        return records, calls

    def fill(self, module: str, records: list[dict[str, Any]], fields: list[str],
             answer: dict[str, Any] | None = None) -> int:
        """Merge one more field group into `records` (in place) on `id`: from `answer` (that group's page) where
        it has the row, else asked by id, 100 ids a call. Returns the calls made. Search streams use it for
        their groups after the first (search.py)."""
        by_id = {str(r.get("id")): r for r in (answer or {}).get("data", [])}
        missing = [str(r["id"]) for r in records if r.get("id") is not None and str(r.get("id")) not in by_id]
        calls = 0
        for start in range(0, len(missing), MAX_IDS):
            by_id.update(self._by_ids(module, fields, missing[start:start + MAX_IDS]))
            calls += 1
        for record in records:
            extra = by_id.get(str(record.get("id")), {})
            record.update({k: v for k, v in extra.items() if k != "id"})
        return calls

    def _by_ids(self, module: str, fields: list[str], ids: list[str]) -> dict[str, dict[str, Any]]:
        params = {"ids": ids_value(ids), "fields": ",".join(fields), "converted": "both"}
        resp = self._transport.request(Call.to("GET", "/crm/v8/{module}", {"module": module}, params=params))
        body = page_body(resp.body)
        return {str(r.get("id")): r for r in (body or {}).get("data", [])}

    @staticmethod
    def _page(module: str, records: list[dict[str, Any]], calls: int, bound: Boundary, *, more: bool) -> Page:
        kept: list[dict[str, Any]] = []
        moments: list[datetime | None] = []
        top = None
        for record in records:
            moment = parse_datetime(record.get("Modified_Time"))
            if not bound.in_order(moment):
                assert moment is not None and bound.latest is not None  # in_order is False only between two
                raise OutOfOrder(
                    f"{module}: Zoho's rows are not in Modified_Time order although sort_by=Modified_Time was asked "
                    f"(a row of {format_datetime(moment)} came after one of {format_datetime(bound.latest)}). "
                    "Something between the connector and Zoho may drop sort_by; reading on would skip rows, so the "
                    "read stops. Remove that proxy, or read this stream with bulk_read set to always",
                    code="OUT_OF_ORDER")
            if not bound.admits(record, moment):
                continue
            kept.append(record)
            moments.append(moment)
            bound.saw(str(record.get("id")), moment)
            top = moment if top is None or (moment and moment > top) else top
        return Page(records=kept, cursor_max=top, last_id=str(kept[-1]["id"]) if kept else None, calls=calls,
                    more=more, credits=calls, moments=moments)

    def iter_deleted(self, module: str, *, since: datetime | None = None, kind: str = "all") -> Iterator[Page]:
        """Deleted records of `kind` (all, recycle, permanent) with deleted_time >= `since`. Their order is
        UNCONFIRMED (section 5), so every page of the window is read and nothing is assumed about where the
        newest are."""
        floor = parse_datetime(since) if since else None
        headers = {"If-Modified-Since": format_datetime(floor - ONE_SECOND)} if floor else {}
        page, guard = 1, RepeatGuard(f"{module}: deleted records")
        while True:
            params = {"type": kind, "page": page, "per_page": PER_PAGE}
            resp = self._transport.request(Call.to("GET", "/crm/v8/{module}/deleted", {"module": module},
                                                   params=params, headers=headers))
            body = page_body(resp.body)
            if body is None:
                return
            more = bool(body["info"].get("more_records"))
            if page > 1 or more:
                guard.check(body["data"], page)
            rows = [r for r in body["data"] if floor is None or (parse_datetime(r.get("deleted_time")) or floor) >= floor]
            moments = [m for m in (parse_datetime(r.get("deleted_time")) for r in rows) if m]
            yield Page(records=rows, cursor_max=max(moments, default=None), calls=1, more=more)
            if not more:
                return
            page += 1


    def get_record(self, module: str, record_id: str) -> dict[str, Any] | None:
        """One record with every field: without `fields`, the single-record GET returns them all, subforms and
        multi-select lookups included, which list calls never carry (section 3.2). None when Zoho answers 204."""
        resp = self._transport.request(Call.to("GET", "/crm/v8/{module}/{id}", {"module": module, "id": record_id}))
        body = page_body(resp.body)
        return body["data"][0] if body and body["data"] else None

    def iter_related_notes(self, module: str, record_id: str, fields: list[str]) -> Iterator[Page]:
        """The notes of one record, through its related list (section 6: works for users who are not admins;
        paged by number, 200 a page, no page_token)."""
        page = 1
        while True:
            params = {"fields": ",".join(fields), "page": page, "per_page": PER_PAGE}
            resp = self._transport.request(Call.to("GET", "/crm/v8/{module}/{id}/Notes",
                                                   {"module": module, "id": record_id}, params=params))
            body = page_body(resp.body)
            if body is None:
                return
            more = bool(body["info"].get("more_records"))
            yield Page(records=body["data"], calls=1, more=more)
            if not more:
                return
            page += 1


class OutOfOrder(InvalidResponseError):
    """Rows came back out of the order asked for: a keyset over them would skip rows (issue 12)."""


def page_body(body: Any) -> dict[str, Any] | None:
    """{"data": [...], "info": {...}} or None for 204/304 (section 0: both mean no rows)."""
    if body is None:
        return None
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise InvalidResponseError("Zoho's list answer has no 'data' array")
    info = body.get("info") if isinstance(body.get("info"), dict) else {}
    rows = [r for r in data if isinstance(r, dict)]
    if any(r.get("id") in (None, "") for r in rows):
        # every record has an id (section 0); a row without one cannot be merged, de-duplicated or keyed
        raise InvalidResponseError("Zoho's list answer has a record without an 'id'")
    return {"data": rows, "info": info}
