"""Module records in Modified_Time order, each page asked for from the cursor: keyset paging.

Zoho pages get-records by position (page numbers, then page_token; docs/zoho-api.md section 3.1). When people
edit records during a sync, an update moves a row from an early page to the end and a delete removes one:
the rows behind them shift back one place, and the row that slides from the next page onto the page just
read is never seen. Its Modified_Time is below the cursor the sync then saves, so the next sync misses it
too: a lost row (integration_tests/chaos/test_source_edits.py).

So after every page that moved the cursor, the next query starts again from the cursor (If-Modified-Since,
inclusive; rows already emitted at that instant are recognised by id). Position-based paging is used only
within one instant that holds more rows than a page, where it is the only way forward. The cost is the same
one call per page; each restart re-reads the few rows at the boundary second.

One page ahead. The next query depends only on the cursor, which is known as soon as a page is accepted, so it
is sent before the page is handed to the caller: the round trip overlaps the shaping and printing of the page
(issue 8, R1 at 100 ms). The cursor is still only moved here, on the caller's thread; the helper thread runs
nothing but the client's generator, and never at the same time as this one.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any

from source_zoho_crm.cursor import Cursor
from source_zoho_crm.stream_run import keep_at, moment_of
from zoho_crm_client import Page, ZohoClient

CURSOR_FIELD = "Modified_Time"


def keyset_pages(client: ZohoClient, module: str, fields: list[str], cursor: Cursor,
                 max_pages: int | None = None) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """(page, rows to emit) for every page, or the first `max_pages`; `cursor` advances as rows are accepted.
    Nothing is fetched ahead of the last page asked for: a page fetched and dropped would be a credit spent."""
    since = cursor.value
    # only the first query may find nothing but known rows (a no-change incremental sync)
    pages = _query(client, module, fields, cursor, probe_known=True)
    with ThreadPoolExecutor(1, thread_name_prefix=f"zoho-ahead-{module}") as ahead:
        pending: Future = ahead.submit(next, pages, None)
        try:
            for count in itertools.count(1):
                page = pending.result()
                if page is None:
                    return
                rows = [row for row, moment in zip(page.records, _moments(page), strict=True)
                        if keep_at(cursor, row, moment)]
                if not page.more or count == max_pages:
                    yield page, rows
                    return
                if cursor.value != since:  # restart from the cursor: rows behind it may have shifted
                    pages.close()
                    since, pages = cursor.value, _query(client, module, fields, cursor, probe_known=False)
                pending = ahead.submit(next, pages, None)
                yield page, rows
        finally:
            wait([pending])  # a generator cannot be closed while the helper thread runs it
            pages.close()


def _query(client: ZohoClient, module: str, fields: list[str], cursor: Cursor, *,
           probe_known: bool) -> Generator[Page, None, None]:
    """Pages from the cursor, inclusive; the ids already emitted at the boundary second are not fetched again
    in full."""
    since = cursor.value
    known = frozenset(cursor.ids_at_value) if since is not None else frozenset()
    return client.iter_records(module, fields, since=since, sort_by=CURSOR_FIELD, known_ids=known,
                               probe_known=probe_known)


def _moments(page: Page) -> list[datetime | None]:
    """Each row's Modified_Time: as the client parsed it, or parsed here ("" or garbage: None)."""
    if page.moments is not None:
        return page.moments
    return [moment_of(row, CURSOR_FIELD) for row in page.records]
