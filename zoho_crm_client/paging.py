"""The get-records page cursor (docs/zoho-api.md section 3.1): `page` for rows 1..2,000, then `page_token`.

Worked example with per_page 200: pages 1..10 go by number; page 10's `info.next_page_token` fetches rows
2,001..2,200, and each answer's token the next 200, until `more_records` is false. The token chain itself ends
at 100,000 rows (PAGINATION_LIMIT_EXCEEDED), where ModifiedTimeKeyset starts a new chain from its position.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from zoho_crm_client.dates import format_datetime
from zoho_crm_client.errors import InvalidResponseError, PaginationLimitExceeded
from zoho_crm_client.models import Page, Position

PER_PAGE = 200
DISCRETE_LIMIT = 2_000  # page * per_page may not exceed it without a page_token
TOKEN_LIMIT = 100_000  # rows reachable through one page_token chain
ONE_SECOND = timedelta(seconds=1)


@dataclass
class PageCursor:
    page: int = 1
    token: str | None = None

    def params(self) -> dict[str, Any]:
        return {"page_token": self.token} if self.token else {"page": self.page}

    def advance(self, info: dict[str, Any]) -> None:
        """Move past the page whose `info` this is; refuses to loop on a repeated token."""
        if self.token is None and (self.page + 1) * PER_PAGE <= DISCRETE_LIMIT:
            self.page += 1
            return
        token = info.get("next_page_token")
        if not token or token == self.token:
            raise InvalidResponseError("Zoho said more_records is true but sent no new next_page_token")
        self.token = str(token)


class RepeatGuard:
    """Stops a listing that keeps answering `more_records: true` without new rows (issue 12).

    Deleted records and COQL page by number or offset, with no token to compare: a server (or a proxy caching
    one answer) that sends the same rows again with more_records true would be called until a ceiling, or
    forever. Worked example: page 1 brings ids 1..200, page 2 ids 201..400, page 3 ids 201..400 again: every
    row already seen, so page 3 raises instead of asking for page 4. A row without an id counts by its content.
    """

    def __init__(self, listing: str):
        self._listing = listing
        self._seen: set[str] = set()

    def check(self, rows: list[dict[str, Any]], page: int | str) -> None:
        keys = [_row_key(row) for row in rows]
        if not keys or all(key in self._seen for key in keys):
            raise InvalidResponseError(
                f"{self._listing}: Zoho said more_records is true but page {page} brought no row not already "
                f"read ({len(keys)} rows); stopping rather than asking again. A proxy between the connector and "
                "Zoho may be answering from a cache; try again later", code="REPEATED_PAGE")
        self._seen.update(keys)


def _row_key(row: dict[str, Any]) -> str:
    record_id = row.get("id")
    return f"id:{record_id}" if record_id is not None else json.dumps(row, sort_keys=True, default=str)


class ModifiedTimeKeyset:
    """THE get-records paginator: Modified_Time ascending, from a Position, inclusive (docs/zoho-api.md 3.1).

    It only decides what to ask next and which rows are new; the reader (records.py) makes the calls.
    Every request sends If-Modified-Since one second before the floor (whether Zoho's filter is inclusive is
    UNCONFIRMED, section 3.1) and drops rows older than the floor or at it with a known id, so each row with
    Modified_Time >= the start is yielded once per scan, and a row edited during the scan again.

    Worked example, per_page 200, start 10:00:00 with id 7 known, `follow_edits`:
      ask 1: If-Modified-Since 09:59:59, page 1 -> rows 10:00:00 (7, 8) .. 10:03:00 (40, 41). Row 7 is dropped;
        the position becomes 10:03:00 {40, 41}.
      ask 2: the position moved, so a new chain starts from it: If-Modified-Since 10:02:59, page 1. Rows 40, 41
        are dropped. Starting again from the last instant means an edit that moved an early row to the end
        cannot shift an unread row onto a page already read (integration_tests/chaos/test_source_edits.py).
      A page whose rows all sit at the position's instant does not move it: the next ask is page 2 of the same
      chain, then page_token past 2,000 rows: position-based paging is used only inside one instant.
    Without `follow_edits` (a one-off listing) the chain goes on by page and page_token, and a new chain from
    the position starts only where the chain cannot go on: at the 100,000-row ceiling and when a token expires.
    `end` (exclusive) stops the scan at that instant: rows from it on belong to another window (windows.py).
    """

    def __init__(self, start: Position, *, follow_edits: bool, ordered: bool = True, end: datetime | None = None,
                 token_limit: int = TOKEN_LIMIT):
        self.floor = start  # where the current chain started
        self._moment = start.moment
        self._ids = dict.fromkeys(start.ids_at_cursor)
        self._floor_ids = frozenset(start.ids_at_cursor)
        self.follow_edits = follow_edits
        self.ordered = ordered  # sorted by Modified_Time ascending: the only order a new chain can resume
        self.end = end
        self.token_limit = token_limit
        self.chain = PageCursor()
        self.rows_in_chain = 0
        self.latest: datetime | None = None  # the highest Modified_Time of this chain so far
        self.done = False  # the scan reached `end`

    @property
    def position(self) -> Position:
        return Position(self._moment, tuple(self._ids))

    def header(self) -> dict[str, str]:
        moment = self.floor.moment
        return {"If-Modified-Since": format_datetime(moment - ONE_SECOND)} if moment else {}

    def in_order(self, moment: datetime | None) -> bool:
        """Note a row's Modified_Time; False when it is older than a row before it in the same chain."""
        if not self.ordered or moment is None:
            return True
        if self.latest is not None and moment < self.latest:
            return False
        self.latest = moment
        return True

    def take(self, record_id: str, moment: datetime | None) -> bool:
        """True when the row is new to this scan (and inside `end`); moves the position."""
        if moment is None:
            return True  # unreadable: kept, never lost, and it does not move the position
        if self.end is not None and moment >= self.end:
            self.done = True
            return False
        if not self.beyond_floor(record_id, moment):
            return False
        if self._moment is None or moment > self._moment:
            self._moment, self._ids = moment, {record_id: None}
        elif moment == self._moment:
            if record_id in self._ids:
                return False
            self._ids[record_id] = None
        return True

    def beyond_floor(self, record_id: str, moment: datetime | None) -> bool:
        """False for a row the scan had before this chain began: older than the floor, or at it with a known id."""
        floor = self.floor.moment
        if floor is None or moment is None:
            return True
        return moment > floor or (moment == floor and record_id not in self._floor_ids)

    def advance(self, info: dict[str, Any], rows: int) -> None:
        """Move past a page that said more_records (with `rows` rows in Zoho's answer)."""
        self.rows_in_chain += rows
        if self.follow_edits and self.ordered and self._moment != self.floor.moment:
            self.restart()
        elif self.rows_in_chain >= self.token_limit:
            raise PaginationLimitExceeded("predicted 100,000-row page_token ceiling", code="PAGINATION_LIMIT_EXCEEDED")
        else:
            self.chain.advance(info)

    def restart(self) -> bool:
        """A new chain from the position; False when that would not move forward (no new instant or id)."""
        moved = self._moment != self.floor.moment or not self._floor_ids.issuperset(self._ids)
        self.floor, self._floor_ids = self.position, frozenset(self._ids)
        self.chain, self.rows_in_chain, self.latest = PageCursor(), 0, None
        return moved


def read_ahead(pages: Iterator[Page], pool: Executor) -> Generator[Page, None, None]:
    """`pages` with the next page asked on `pool` before this one is handed over, so that its round trip
    overlaps the caller's work on this one. `pages` must make one call per page (a task waits on no other) and
    is advanced by one thread at a time. Nothing is asked past a page whose `more` is false; a caller that
    stops early leaves at most the one page in flight, waited for (no call of the listing still running once
    it is closed).

    Worked example, the Notes index (notes.py): page 1 of the COQL index arrives; page 2's call is sent at once
    and runs while the caller fetches page 1's notes by id; page 2 is then usually already there.
    """
    future: Future[Page | None] = pool.submit(next, pages, None)
    try:
        while (page := future.result()) is not None:
            future = pool.submit(next, pages, None) if page.more else _done(None)
            yield page
    finally:
        future.cancel()
        wait([future])
        close = getattr(pages, "close", None)
        if close is not None:
            close()


def _done(value: Page | None) -> Future[Page | None]:
    future: Future[Page | None] = Future()
    future.set_result(value)
    return future
