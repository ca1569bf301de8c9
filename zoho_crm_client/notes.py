"""Reading Notes with only what Zoho documents for them (docs/zoho-api/notes.md).

Notes are not read like other modules. Zoho's Notes list (GET /Notes) documents `page`, `per_page`, `fields`,
`sort_by`/`sort_order` and `ids`, and neither the `If-Modified-Since` header nor `page_token`: by position it
reaches 2,000 rows at most, and nothing in it filters by time. COQL documents Notes (for administrators, like
the list itself) and pages by keyset without a ceiling. So three calls, each a documented one:

* `newest`: page 1 of the list, newest first (`sort_by=Modified_Time&sort_order=desc`). When its last row is
  older than the caller's cursor, or there is no page 2, it holds every change: one call for an hourly sync.
* `changes`: the (id, Modified_Time) of every note from a point on, by COQL keyset on (Modified_Time, id),
  2,000 per call (zoho_crm_client/coql.py).
* `by_ids`: the full rows of up to 100 notes per call (`?ids=`), in the list's own shape: COQL answers a lookup
  with its name and id only, and a note's Parent_Id needs its module (section 6). The calls of one index page
  (up to 20) go side by side on the client's pool, and `changes` asks its next page while they run: the same
  calls as one at a time, within the in-flight limit (section 11.4).

Worked example: a cursor at 10:00 and 150 notes changed since: `newest` answers 200 rows, the 151st older
than 10:00: done in one call. With 5,000 notes changed: `newest` (1 call) shows page 2 is needed; `changes`
lists the 5,000 in 3 calls and `by_ids` fetches the 4,800 not already in hand in 48.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from concurrent.futures import Executor, Future, wait
from datetime import datetime
from typing import Any

from zoho_crm_client.coql import PAGE_LIMIT, CoqlReader
from zoho_crm_client.dates import parse_datetime
from zoho_crm_client.models import MODIFIED_TIME, Page
from zoho_crm_client.paging import PER_PAGE, read_ahead
from zoho_crm_client.paths import ids_value
from zoho_crm_client.records import page_body
from zoho_crm_client.transport import Call, Transport

MAX_IDS = 100  # ids per `?ids=` call, as for Get Records (records.py)
# The most calls a Notes read keeps in flight: an index page's `?ids=` calls side by side, and the next index page
IN_FLIGHT = PAGE_LIMIT // MAX_IDS + 1
INDEX_QUERY = "select Modified_Time from Notes where id is not null"
ROUTE = "GET /crm/v8/Notes"


class NotesReader:
    def __init__(self, transport: Transport, coql: CoqlReader, pool: Executor):
        self._transport = transport
        self._coql = coql
        self._pool = pool  # the client's one pool: the `?ids=` calls of a page and the index page read ahead

    def newest(self, fields: Sequence[str]) -> Page | None:
        """Page 1 of the Notes list, newest first: `more` says whether a page 2 exists. None when Zoho did not
        sort as asked (its `info` names another order, or the rows are out of order): then nothing can be
        concluded from where the page ends."""
        params = {"fields": ",".join(fields), "sort_by": MODIFIED_TIME, "sort_order": "desc", "page": 1,
                  "per_page": PER_PAGE}
        body = page_body(self._transport.request(Call("GET", "/crm/v8/Notes", ROUTE, params=params)).body)
        if body is None:  # 204: no notes at all
            return Page(records=[], more=False, calls=1, credits=1, moments=[])
        rows, info = body["data"], body["info"]
        moments = [parse_datetime(r.get(MODIFIED_TIME)) for r in rows]
        if not _newest_first(info, moments):
            return None
        return Page(records=rows, more=bool(info.get("more_records")), calls=1, credits=1, moments=moments,
                    cursor_max=max((m for m in moments if m), default=None))

    def by_ids(self, fields: Sequence[str], ids: Sequence[str]) -> tuple[dict[str, dict[str, Any]], int]:
        """The live notes among `ids`, by id, and the calls it took; a note deleted meanwhile is simply absent.

        The calls (one per 100 ids) are sent side by side on the client's pool, the in-flight limiter deciding
        how many Zoho sees at once, and merged in the order of `ids`. All or nothing: when one call fails, the
        others are cancelled or waited for and its error is raised, so no caller sees part of a page.
        """
        joined = ",".join(fields)
        futures = [self._pool.submit(self._ids_call, joined, ids[start:start + MAX_IDS])
                   for start in range(0, len(ids), MAX_IDS)]
        found: dict[str, dict[str, Any]] = {}
        try:
            for future in futures:
                found.update(future.result())
        except BaseException:
            _cancel(futures)
            raise
        return found, len(futures)

    def _ids_call(self, fields: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        params = {"ids": ids_value(ids), "fields": fields}
        body = page_body(self._transport.request(Call("GET", "/crm/v8/Notes", ROUTE, params=params)).body)
        return {str(r["id"]): r for r in (body["data"] if body else [])}

    def changes(self, since: datetime | None, last_id: str | None = None, *,
                ahead: bool = True) -> Generator[Page, None, None]:
        """{"id", "Modified_Time"} of every note from `since` (inclusive; after (since, last_id) when both are
        given; all when None), in (Modified_Time, id) order, one Page per COQL call. The next page's call is sent
        as soon as a page with more behind it arrives (paging.read_ahead): its keyset comes from that page's last
        row, so it runs while the caller fetches this page's notes by id, and costs no call more, unless the caller
        stops early: `ahead=False` then asks each page only when it is wanted."""
        pages = self._coql.iter_coql(INDEX_QUERY, cursor_field=MODIFIED_TIME, since=since, last_id=last_id)
        return read_ahead(pages, self._pool) if ahead else (page for page in pages)


def _cancel(futures: list[Future[Any]]) -> None:
    """No call of a failed page still running once its error is raised."""
    for future in futures:
        future.cancel()
    wait(futures)


def _newest_first(info: dict[str, Any], moments: list[datetime | None]) -> bool:
    """Zoho's list answers name their order in `info` (sort_by, sort_order); rows must agree with it."""
    if info.get("sort_by", MODIFIED_TIME) != MODIFIED_TIME or info.get("sort_order", "desc") != "desc":
        return False
    known = [m for m in moments if m is not None]
    return all(a >= b for a, b in zip(known, known[1:], strict=False))
