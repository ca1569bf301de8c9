"""How the Notes stream is read (docs/source.md "Notes"; the evidence: docs/zoho-api/notes.md).

Notes are not a module like the others. Zoho's Get Deleted Records lists no Notes, so this stream has no
tombstones and never asks for `Notes/deleted`. Zoho's Notes list documents neither `If-Modified-Since` nor
`page_token`, so nothing here relies on either: the client reads Notes with three documented calls
(zoho_crm_client/notes.py), and this reader chooses between two plans.

1. One page, newest first. If the newest 200 notes reach back past the cursor (or are all there is), they hold
   every change: one call, the common hourly sync.
2. Otherwise a COQL index of (id, Modified_Time) in ascending keyset order from the cursor, 2,000 per call,
   and the full rows of what it lists by `?ids=` (100 per call), those already in hand from plan 1 excepted.
   The cursor moves on the index's values, which arrive in order, so each page's checkpoint is safe to resume
   from; a note edited between the two calls comes back newer, and is emitted again when the index reaches it.

Calls side by side (docs/source.md "The Notes stream"): an index page's `?ids=` calls (up to 20) are sent
together on the client's pool, within the in-flight limit, and the next index page is asked while they run
(its keyset comes from this page's last row). The calls are those of one at a time, in fewer round trips:
19,393 notes at 300 ms latency took 63.5 s one call at a time, 8.6 s side by side (docs/benchmarks.md, R7).
The state still moves only after a page's rows are emitted: a failed `?ids=` call fails its page whole (no
rows, no STATE), and the index page read ahead is waited for and dropped.
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime
from typing import Any

from source_zoho_crm.cursor import Cursor
from source_zoho_crm.stream_run import FULL_REFRESH_DONE, StreamRun, is_new, is_new_at, moment_of
from source_zoho_crm.streams import CURSOR_FIELD
from zoho_crm_client import ZohoClient
from zoho_crm_client.models import Page


def read_notes(client: ZohoClient, run: StreamRun) -> None:
    # A full refresh keeps a cursor too (it drops the rows before start_datetime); it is just not saved.
    cursor = Cursor.from_state(CURSOR_FIELD, run.state if run.incremental else {}, run.start)
    newest = client.newest_notes(run.fields)
    if newest is not None and _holds_every_change(newest, cursor.floor):
        rows = [run.stream.to_record(r) for r, m in zip(newest.records, newest.moments or [], strict=True)
                if is_new_at(cursor, r, m)]
        run.page_done(rows, newest, _state(run, cursor))
    else:
        _read_index(client, run, cursor, newest)
    if not run.incremental:
        run.emit([run.checkpoint(FULL_REFRESH_DONE)])
    elif run.progress.pages == 0:
        run.emit([run.checkpoint(cursor.to_state())])


def _holds_every_change(newest: Page, floor: datetime | None) -> bool:
    """Newest first: no page 2, or the page's oldest row is already older than the cursor."""
    if not newest.more:
        return True
    oldest = newest.moments[-1] if newest.moments else None
    return floor is not None and oldest is not None and oldest < floor


def _read_index(client: ZohoClient, run: StreamRun, cursor: Cursor, newest: Page | None) -> None:
    in_hand = {str(r.get("id")): (r, m) for r, m in zip(newest.records, newest.moments or [], strict=True)} \
        if newest is not None else {}
    spent = 1  # the newest-first page, reported with the first page of the index
    # closed on a failure too: the index page read ahead is waited for, no call left running
    with closing(client.iter_note_changes(cursor.floor)) as pages:
        for index in pages:
            _emit_index_page(client, run, cursor, index, in_hand, spent)
            spent = 0


def _emit_index_page(client: ZohoClient, run: StreamRun, cursor: Cursor, index: Page,
                     in_hand: dict[str, tuple[dict[str, Any], datetime | None]], spent: int) -> None:
    """One index page: its notes not in hand fetched by id (all or nothing), emitted, then the cursor's STATE."""
    wanted = [str(r.get("id")) for r in index.records if is_new(cursor, r, CURSOR_FIELD)]
    moments = {str(r.get("id")): moment_of(r, CURSOR_FIELD) for r in index.records}
    fetch = [i for i in wanted if i not in in_hand or in_hand[i][1] != moments[i]]
    fetched, calls = client.notes_by_ids(run.fields, fetch) if fetch else ({}, 0)
    stale = set(fetch)  # a note asked for and not found was deleted meanwhile: nothing to emit
    rows = [run.stream.to_record(row) for row in (fetched.get(i) if i in stale else in_hand[i][0] for i in wanted)
            if row]
    cost = index.calls + calls + spent
    page = Page(records=rows, more=index.more, calls=cost, credits=index.credits + calls + spent)
    run.page_done(rows, page, _state(run, cursor))


def _state(run: StreamRun, cursor: Cursor) -> dict[str, Any] | None:
    """The cursor alone: Notes have no deletions cursor (no `deleted` key, docs/source-state.md)."""
    return cursor.to_state() if run.incremental else None
