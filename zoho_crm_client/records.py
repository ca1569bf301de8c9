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
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zoho_crm_client.dates import format_datetime, parse_datetime
from zoho_crm_client.errors import (
    InvalidResponseError,
    PageTokenExpired,
    PaginationLimitExceeded,
)
from zoho_crm_client.models import MODIFIED_TIME, Page, Position
from zoho_crm_client.paging import (
    ONE_SECOND,
    PER_PAGE,
    TOKEN_LIMIT,
    ModifiedTimeKeyset,
    RepeatGuard,
)
from zoho_crm_client.paths import ids_value
from zoho_crm_client.transport import Call, Transport

MAX_FIELDS = 50  # section 3.1
MAX_IDS = 100  # ids per `?ids=` call the emulator (and Zoho's list call) accepts
MAX_RESTARTS_WITHOUT_PROGRESS = 3


def field_groups(fields: list[str], sort_by: str) -> list[list[str]]:
    """Split `fields` into groups of <= 50; group 1 starts with the sort field (and Modified_Time)."""
    first = [sort_by] + ([MODIFIED_TIME] if sort_by != MODIFIED_TIME else [])
    rest = [f for f in dict.fromkeys(fields) if f not in first and f != "id"]
    head = first + rest[: MAX_FIELDS - len(first)]
    tail = rest[MAX_FIELDS - len(first):]
    return [head] + [tail[i:i + MAX_FIELDS] for i in range(0, len(tail), MAX_FIELDS)]


@dataclass(frozen=True)
class ListPlan:
    """What every list call of one read sends, built once per read: the field groups joined, the sort."""

    module: str
    groups: list[list[str]]
    joined: list[str]
    sort_by: str
    sort_order: str

    @classmethod
    def of(cls, module: str, fields: list[str], sort_by: str, sort_order: str) -> ListPlan:
        groups = field_groups(fields, sort_by)
        return cls(module, groups, [",".join(g) for g in groups], sort_by, sort_order)


class RecordReader:
    def __init__(self, transport: Transport, logger: logging.Logger, pool: Executor):
        self._transport = transport
        self._log = logger
        self._pool = pool  # the client's one pool: field groups and the page read ahead run on it

    def iter_records(self, module: str, fields: list[str], *, since: datetime | None = None,
                     sort_by: str = MODIFIED_TIME, ids_at_cursor: Collection[str] = (),
                     probe_known: bool = False, sort_order: str = "asc") -> Generator[Page, None, None]:
        """Every record with Modified_Time >= `since` (all when None), sorted ascending, one Page per 200: a
        one-off listing, paged by page and page_token, new chains only at the ceiling or an expired token.

        `sort_order="desc"` (the `zoho-crm record list` action) reads newest first; new chains need an
        ascending Modified_Time scan, so a descending list stops at the 100,000-row page_token ceiling.
        `ids_at_cursor`: ids the caller already has at exactly `since`; they are not yielded again.
        `probe_known`: see `pages`.
        """
        floor = parse_datetime(since) if since else None
        start = Position(floor, tuple(str(i) for i in ids_at_cursor) if floor else ())
        ordered = sort_by == MODIFIED_TIME and sort_order == "asc"
        keyset = ModifiedTimeKeyset(start, follow_edits=False, ordered=ordered, token_limit=TOKEN_LIMIT)
        return self._scan(ListPlan.of(module, fields, sort_by, sort_order), keyset, probe_known=probe_known)

    def pages(self, module: str, fields: list[str], start: Position, *, end: datetime | None = None,
              probe_known: bool = False, max_pages: int | None = None) -> Generator[Page, None, None]:
        """The keyset read of a module stream: rows from `start` (inclusive, its ids_at_cursor not again) up to
        `end` (exclusive), each Page carrying the Position after it. A new chain starts from the position after
        every page that moved it (ModifiedTimeKeyset, follow_edits), and the next page is asked for before this
        one is handed over, so its round trip overlaps the caller's work; never past `max_pages` pages.

        `probe_known`: the first page may well hold only rows the caller has (an incremental sync with no
        change), so group 1 is asked alone before the other field groups (_known_only_head).
        """
        keyset = ModifiedTimeKeyset(start, follow_edits=True, end=end, token_limit=TOKEN_LIMIT)
        return self._scan(ListPlan.of(module, fields, MODIFIED_TIME, "asc"), keyset, probe_known=probe_known,
                          ahead=True, max_pages=max_pages)

    def _scan(self, plan: ListPlan, keyset: ModifiedTimeKeyset, *, probe_known: bool, ahead: bool = False,
              max_pages: int | None = None) -> Generator[Page, None, None]:
        scan = Scan(self, plan, keyset, probe_known=probe_known, ahead=ahead, max_pages=max_pages)
        try:
            while (page := scan.step()) is not None:
                yield page
        finally:
            scan.close()

    def _answers(self, plan: ListPlan, keyset: ModifiedTimeKeyset, pending: list[Future[dict[str, Any] | None]],
                 stalls: list[int]) -> list[dict[str, Any] | None]:
        """The answers of one page's calls; a chain Zoho ends (expired token, ceiling) restarts from the position."""
        while True:
            try:
                return [f.result() for f in pending]
            except (PageTokenExpired, PaginationLimitExceeded) as exc:
                wait(pending)
                stalls[0] += 1
                self._restart_or_raise(plan, exc, keyset, stalls[0])
                pending = self._ask(plan, keyset)

    def _next_page(self, plan: ListPlan, answers: list[dict[str, Any] | None],
                   keyset: ModifiedTimeKeyset) -> Page | None:
        head = answers[0]
        if head is None:
            return None
        records, calls = self._merge(plan, answers)
        return self._page(plan, records, calls, keyset, more=bool(head["info"].get("more_records")))

    def _move_on(self, plan: ListPlan, keyset: ModifiedTimeKeyset, head: dict[str, Any] | None,
                 stalls: list[int]) -> list[Future[dict[str, Any] | None]]:
        """Send the next page's calls now; at the predicted 100,000-row ceiling, from a new chain."""
        assert head is not None
        try:
            keyset.advance(head["info"], len(head["data"]))
        except PaginationLimitExceeded as exc:
            stalls[0] += 1
            self._restart_or_raise(plan, exc, keyset, stalls[0])
        return self._ask(plan, keyset)

    def _restart_or_raise(self, plan: ListPlan, exc: PageTokenExpired | PaginationLimitExceeded,
                          keyset: ModifiedTimeKeyset, stalls: int) -> None:
        module = plan.module
        moved = keyset.ordered and keyset.restart()
        ceiling = isinstance(exc, PaginationLimitExceeded)
        if not keyset.ordered:
            raise type(exc)(f"{module}: cannot page past {exc.code}: only an ascending Modified_Time scan starts "
                            "new windows; sort by Modified_Time asc (the default) to read every row",
                            status=exc.status, code=exc.code, details=exc.details) from exc
        if (ceiling and not moved) or stalls > MAX_RESTARTS_WITHOUT_PROGRESS:
            raise type(exc)(f"{module}: cannot page past {exc.code} without progress (window at "
                            f"{keyset.floor.moment}); use Bulk Read for this module", status=exc.status,
                            code=exc.code, details=exc.details) from exc
        self._log.info("%s: %s, new window from Modified_Time %s", module, exc.code, keyset.floor.moment)

    def _known_only_head(self, plan: ListPlan, keyset: ModifiedTimeKeyset) -> dict[str, Any] | None:
        """Group 1's first page alone, when it may hold only rows the caller already has.

        A no-change incremental sync reads one page of rows at the boundary second that the caller has:
        asking the later field groups for it would spend a call per group on nothing (issue 4's goal is one
        call per stream). Only the first page of a scan with ids_at_cursor at its start is fetched this way.
        Returns {"data": []} when there is nothing new, the page to merge when there is, None otherwise.
        """
        if len(plan.groups) == 1 or not keyset.floor.ids_at_cursor:
            return None
        head = self._list(plan, 0, keyset.header(), keyset.chain.params())
        if head is None:
            return {"data": [], "info": {}}
        new = any(keyset.beyond_floor(str(r.get("id")), parse_datetime(r.get(MODIFIED_TIME))) for r in head["data"])
        return head if new or head["info"].get("more_records") else {"data": [], "info": {}}

    def _ask(self, plan: ListPlan, keyset: ModifiedTimeKeyset,
             head: dict[str, Any] | None = None) -> list[Future[dict[str, Any] | None]]:
        """Page n of every field group, sent side by side on the client's pool; `head`, when given, is group 1's
        page n already fetched."""
        headers, params = keyset.header(), keyset.chain.params()
        futures = [self._pool.submit(self._list, plan, i, headers, params)
                   for i in range(1 if head is not None else 0, len(plan.groups))]
        if head is not None:
            done: Future[dict[str, Any] | None] = Future()
            done.set_result(head)
            futures.insert(0, done)
        return futures

    def _list(self, plan: ListPlan, group: int, headers: dict[str, str],
              chain: dict[str, Any]) -> dict[str, Any] | None:
        params = {"fields": plan.joined[group], "sort_by": plan.sort_by, "sort_order": plan.sort_order,
                  "per_page": PER_PAGE, "converted": "both", **chain}
        resp = self._transport.request(Call.to("GET", "/crm/v8/{module}", {"module": plan.module}, params=params,
                                               headers=headers))
        return page_body(resp.body)

    def _merge(self, plan: ListPlan, answers: list[dict[str, Any] | None]) -> tuple[list[dict[str, Any]], int]:
        head = answers[0]
        assert head is not None  # the caller stops on an empty head
        records = head["data"]  # fresh from the JSON decoder: merged into in place
        calls = len(plan.groups)
        for fields, answer in zip(plan.groups[1:], answers[1:], strict=True):
            calls += self.fill(plan.module, records, fields, answer)
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
            extra = by_id.get(str(record.get("id")))
            if extra:  # fresh from the JSON decoder and read nowhere else: its `id` goes, the rest merges uncopied
                extra.pop("id", None)
                record.update(extra)
        return calls

    def _by_ids(self, module: str, fields: list[str], ids: list[str]) -> dict[str, dict[str, Any]]:
        params = {"ids": ids_value(ids), "fields": ",".join(fields), "converted": "both"}
        resp = self._transport.request(Call.to("GET", "/crm/v8/{module}", {"module": module}, params=params))
        body = page_body(resp.body)
        return {str(r.get("id")): r for r in (body or {}).get("data", [])}

    @staticmethod
    def _page(plan: ListPlan, records: list[dict[str, Any]], calls: int, keyset: ModifiedTimeKeyset, *,
              more: bool) -> Page:
        kept: list[dict[str, Any]] = []
        moments: list[datetime | None] = []
        top = None
        text: Any = None  # the last Modified_Time text parsed: rows come sorted, and many share a second
        moment: datetime | None = None
        for record in records:
            value = record.get(MODIFIED_TIME)
            if type(value) is not str or value != text:
                moment, text = parse_datetime(value), value
            if not keyset.in_order(moment):
                assert moment is not None and keyset.latest is not None  # in_order is False only between two
                raise OutOfOrder(
                    f"{plan.module}: Zoho's rows are not in Modified_Time order although sort_by=Modified_Time was "
                    f"asked (a row of {format_datetime(moment)} came after one of {format_datetime(keyset.latest)})."
                    " Something between the connector and Zoho may drop sort_by; reading on would skip rows, so the "
                    "read stops. Remove that proxy, or read this stream with bulk_read set to always",
                    code="OUT_OF_ORDER")
            if not keyset.take(str(record.get("id")), moment):
                continue
            kept.append(record)
            moments.append(moment)
            top = moment if top is None or (moment and moment > top) else top
        return Page(records=kept, cursor_max=top, last_id=str(kept[-1]["id"]) if kept else None, calls=calls,
                    more=more and not keyset.done, credits=calls, moments=moments, position=keyset.position)

    def iter_deleted(self, module: str, *, since: datetime | None = None, kind: str = "all",
                     ahead: bool = True) -> Iterator[Page]:
        """Deleted records of `kind` (all, recycle, permanent) with deleted_time >= `since`. Their order is
        UNCONFIRMED (section 5), so every page of the window is read and nothing is assumed about where the
        newest are.

        Paged by number (section 5 documents `page` and `per_page` only), two pages ahead of the caller once page
        1 says there is more: page n+1 is known to exist, page n+2 is a guess. Each page that says more_records
        sends the call of the page after the one already in flight, so two calls run side by side and the caller
        works on page n meanwhile. Waste: none when page 1 is the last; otherwise at most the one guessed page
        past the last, whose answer (rows, 204 or an error) is never used.
        Worked example, 10,000 deletions (50 pages): page 1 alone, then 2 and 3 together, then one more call
        per page handed over; 51 calls, about 26 round trips instead of 50. `ahead=False` asks each page only
        when the caller wants it: for a caller that may stop early (a listing with a limit), nothing is wasted.
        """
        floor = parse_datetime(since) if since else None
        headers = {"If-Modified-Since": format_datetime(floor - ONE_SECOND)} if floor else {}
        guard = RepeatGuard(f"{module}: deleted records")
        asked: dict[int, Future[dict[str, Any] | None]] = {}
        number, body = 1, self._deleted_page(module, kind, 1, headers)
        try:
            while body is not None:
                more = bool(body["info"].get("more_records"))
                if number > 1 or more:
                    guard.check(body["data"], number)
                for n in (number + 1, number + 2) if more and ahead else ():
                    if n not in asked:
                        asked[n] = self._pool.submit(self._deleted_page, module, kind, n, headers)
                rows = [r for r in body["data"]
                        if floor is None or (parse_datetime(r.get("deleted_time")) or floor) >= floor]
                moments = [m for m in (parse_datetime(r.get("deleted_time")) for r in rows) if m]
                yield Page(records=rows, cursor_max=max(moments, default=None), calls=1, more=more)
                if not more:
                    return
                number += 1
                future = asked.pop(number, None)
                body = future.result() if future else self._deleted_page(module, kind, number, headers)
        finally:
            for future in asked.values():  # the guessed page past the last: its answer is not used
                future.cancel()
            wait(list(asked.values()))

    def _deleted_page(self, module: str, kind: str, number: int, headers: dict[str, str]) -> dict[str, Any] | None:
        params = {"type": kind, "page": number, "per_page": PER_PAGE}
        resp = self._transport.request(Call.to("GET", "/crm/v8/{module}/deleted", {"module": module},
                                               params=params, headers=headers))
        return page_body(resp.body)

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


class Scan:
    """One keyset's pages, a step at a time; with `ahead`, the next page's calls are in flight between steps.

    Nothing is fetched past the last page (`more_records` false, the keyset's end, `max_pages`): a page fetched
    and dropped would cost a credit.
    """

    def __init__(self, reader: RecordReader, plan: ListPlan, keyset: ModifiedTimeKeyset, *, probe_known: bool,
                 ahead: bool, max_pages: int | None = None):
        self._reader, self.plan, self.keyset, self._ahead, self._max = reader, plan, keyset, ahead, max_pages
        self.stalls = [0]  # restarts since the last page with rows (MAX_RESTARTS_WITHOUT_PROGRESS)
        self.count, self.finished = 0, False
        self._ready: Page | None = None
        self._last_head: dict[str, Any] | None = None  # without `ahead`: the next page is asked at the next step
        self.pending: list[Future[dict[str, Any] | None]] = []
        head = reader._known_only_head(plan, keyset) if probe_known else None
        if head is not None and not head["data"]:
            self._ready = reader._page(plan, [], 1, keyset, more=False)
        else:
            self.pending = reader._ask(plan, keyset, head)

    def step(self) -> Page | None:
        """The next page (waiting for its calls), or None when the scan is over."""
        if self._ready is not None:
            ready, self._ready, self.finished = self._ready, None, True
            return ready
        if self.finished:
            return None
        if self._last_head is not None:
            self.pending, self._last_head = self._reader._move_on(self.plan, self.keyset, self._last_head,
                                                                  self.stalls), None
        answers = self._reader._answers(self.plan, self.keyset, self.pending, self.stalls)
        self.pending = []
        page = self._reader._next_page(self.plan, answers, self.keyset)
        self.count += 1
        if page is None:
            self.finished = True
            return None
        self.stalls[0] = 0 if page.records else self.stalls[0]
        if not page.more or self.count == self._max:
            self.finished = True
        elif self._ahead:
            self.pending = self._reader._move_on(self.plan, self.keyset, answers[0], self.stalls)
        else:
            self._last_head = answers[0]
        return page

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        wait(self.pending)  # no call of this scan still running once it is closed
        self.pending = []


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
