"""Module records in Modified_Time order, each page asked for from the cursor: keyset paging.

Zoho pages get-records by position (page numbers, then page_token; zoho-crm-api.md section 3.1). When people
edit records during a sync, an update moves a row from an early page to the end and a delete removes one:
the rows behind them shift back one place, and the row that slides from the next page onto the page just
read is never seen. Its Modified_Time is below the cursor the sync then saves, so the next sync misses it
too: a lost row (integration_tests/chaos/test_source_edits.py).

So after every page that moved the cursor, the next query starts again from the cursor (If-Modified-Since,
inclusive; rows already emitted at that instant are recognised by id). Position-based paging is used only
within one instant that holds more rows than a page, where it is the only way forward. The cost is the same
one call per page; each restart re-reads the few rows at the boundary second.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from source_zoho_crm.cursor import Cursor
from source_zoho_crm.dates import parse_datetime

CURSOR_FIELD = "Modified_Time"


def keyset_pages(client: Any, module: str, fields: list[str],
                 cursor: Cursor) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """(page, rows to emit) for every page; `cursor` advances as rows are accepted."""
    first = True
    while True:
        since = cursor.value
        # the ids already emitted at the boundary second: the client need not fetch them again in full
        known = frozenset(cursor.ids_at_value) if since is not None else frozenset()
        # only the first query may find nothing but known rows (a no-change incremental sync)
        pages = client.iter_records(module, fields, since=since, sort_by=CURSOR_FIELD, known_ids=known,
                                    probe_known=first)
        first = False
        try:
            for page in pages:
                yield page, [row for row in page.records if _accept(cursor, row)]
                if not page.more:
                    return
                if cursor.value != since:
                    break  # restart from the cursor: rows behind it may have shifted
            else:
                return
        finally:
            pages.close()


def _accept(cursor: Cursor, row: dict[str, Any]) -> bool:
    """A row without a readable Modified_Time is kept (never lost) and does not move the cursor."""
    value = row.get(CURSOR_FIELD)
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    return moment is None or cursor.accept(str(row.get("id")), moment)
