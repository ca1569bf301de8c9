"""How a module stream is read: its records, then (incremental, include_deleted) its tombstones.

Records come in Modified_Time order over REST (keyset.py). A first sync may export the module with Bulk
Read instead (bulk.py): at once with `bulk_read: always`, or with `auto` once the REST read has shown the
module is large, from the cursor it reached.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from airbyte_cdk.models import Level

from source_zoho_crm import messages
from source_zoho_crm.cursor import Cursor
from source_zoho_crm.dates import format_utc
from source_zoho_crm.readers import bulk
from source_zoho_crm.readers.keyset import keyset_pages
from source_zoho_crm.stream_run import FULL_REFRESH_DONE, StreamRun, is_new
from source_zoho_crm.streams import CURSOR_FIELD, DELETED_AT
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import PermissionError_, ScopeMissingError

DELETED_TIME = "deleted_time"


# How far before a first sync's start its deletions cursor begins: more than any clock skew between this
# machine and Zoho, so no deletion made during the first sync is missed by the next one.
DELETED_MARGIN = timedelta(hours=1)


def read_module(client: ZohoClient, run: StreamRun) -> None:
    stream = run.stream
    skip_tombstones = run.incremental and run.include_deleted and not run.state and run.replaces_destination
    if skip_tombstones:
        # A first sync into a destination that keeps nothing older: no row there for a tombstone to remove.
        # The deletions cursor starts at this sync, so the next sync reads what is deleted from now on.
        run.state = {"deleted": {DELETED_TIME: format_utc(datetime.now(timezone.utc) - DELETED_MARGIN),
                                 "ids_at_cursor": []}}
    # A full refresh keeps a cursor too: it makes the keyset restarts safe; it is just not saved.
    cursor = Cursor.from_state(CURSOR_FIELD, run.state if run.incremental else {}, run.start)
    choice = bulk.choose(run.bulk_read, stream, run.state)
    if choice is bulk.Plan.NOW:
        _export(client, run, cursor)
    if not _rest(client, run, cursor, stop_after=bulk.AUTO_AFTER_PAGES if choice is bulk.Plan.IF_LARGE else None):
        _export(client, run, cursor)
        _rest(client, run, cursor)
    if not run.incremental:
        run.emit([run.checkpoint(FULL_REFRESH_DONE)])
    elif run.include_deleted and not skip_tombstones:
        read_deleted(client, run, cursor)
    elif run.progress.pages == 0:
        run.emit([run.checkpoint(_state(run, cursor))])


def _state(run: StreamRun, cursor: Cursor) -> dict[str, Any]:
    return {**cursor.to_state(), "deleted": run.state.get("deleted") or {}}


def _rest(client: ZohoClient, run: StreamRun, cursor: Cursor, stop_after: int | None = None) -> bool:
    """Pages from the cursor; False when it stopped after `stop_after` pages with more to read."""
    pages = keyset_pages(client, run.stream.module, run.fields, cursor, max_pages=stop_after)
    for count, page in enumerate(pages, start=1):
        run.page_done([run.stream.to_record(r) for r in page.records], page,
                      _state(run, cursor) if run.incremental else None)
        if count == stop_after and page.more:
            return False
    return True


def _export(client: ZohoClient, run: StreamRun, cursor: Cursor) -> None:
    """Bulk Read from the cursor (inclusive; rows already emitted at it are recognised by id). Without the
    Bulk Read scope (docs/zoho-api/scopes.md) the REST read that follows reads everything instead."""
    cursor.rebase()
    try:
        for batch in bulk.batches(client, run.stream, run.fields, cursor.value):
            rows = [run.stream.to_record(r) for r in batch.records if is_new(cursor, r, CURSOR_FIELD)]
            run.page_done(rows, batch, None)
    except ScopeMissingError as exc:
        run.emit([messages.log(f"Stream {run.stream.name}: Bulk Read was refused ({exc}); reading it over REST "
                               "instead. Grant ZohoCRM.bulk.READ, or set bulk_read to never.", Level.WARN)])
        return
    if run.incremental:
        run.emit([run.checkpoint(_state(run, cursor))])


def read_deleted(client: ZohoClient, run: StreamRun, records_cursor: Cursor) -> None:
    """Tombstones with their own cursor (issue 4 item 4).

    Zoho lists deleted records newest first (section 5, emulator choice), so the deleted cursor is only
    saved once the whole list is read: saving the first page's maximum would skip the older pages.
    """
    cursor = Cursor.from_state(DELETED_TIME, run.state.get("deleted"), run.start)
    try:
        for page in client.iter_deleted(run.stream.module, since=cursor.floor):
            rows = [tombstone(r) for r in page.records if is_new(cursor, r, DELETED_TIME)]
            run.page_done(rows, page, None, tombstones=True)
    except PermissionError_ as exc:
        # The privilege to list deleted records is per user (docs/zoho-api/scopes.md): the live rows are synced,
        # the deletions cursor stays where it was, and the next sync asks again.
        run.emit([messages.log(deleted_refused(run.stream.name, exc), Level.WARN),
                  run.checkpoint({**records_cursor.to_state(), "deleted": run.state.get("deleted") or {}})])
        return
    run.emit([run.checkpoint({**records_cursor.to_state(), "deleted": cursor.to_state()})])


def deleted_refused(stream: str, exc: PermissionError_) -> str:
    return (f"Stream {stream}: Zoho refused to list its deleted records ({exc.code}: the Zoho user's profile lacks "
            "the privilege), so this sync emits no tombstones for it; its records are synced. Give the user the "
            "privilege in Zoho, or set include_deleted to false to stop asking.")


def tombstone(row: dict[str, Any]) -> dict[str, Any]:
    """design.md "Source output": id, Modified_Time = deletion time, _ab_cdc_deleted_at = deletion time."""
    deleted_at = row.get(DELETED_TIME)
    return {"id": str(row.get("id")), CURSOR_FIELD: deleted_at, DELETED_AT: deleted_at}
