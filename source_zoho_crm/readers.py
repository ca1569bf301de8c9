"""How one stream is read, page by page, for each kind of stream (module, COQL, search).

Each reader walks the client's pages and hands every page to `StreamRun.page_done`, which emits the
records, then the STATE that covers them (a checkpoint per page, issue 4 item 4), then the progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus

from source_zoho_crm import bulk, messages
from source_zoho_crm.config import SourceConfigError
from source_zoho_crm.cursor import Cursor
from source_zoho_crm.dates import format_utc, parse_datetime
from source_zoho_crm.keyset import keyset_pages
from source_zoho_crm.progress import Progress
from source_zoho_crm.state import state_message
from source_zoho_crm.streams import CURSOR_FIELD, DELETED_AT, Kind, StreamDef
from zoho_crm_client.records import MAX_FIELDS

DELETED_TIME = "deleted_time"
# The CDK's marker for "a full refresh stream finished" (airbyte_cdk.sources.streams.NO_CURSOR_STATE_KEY).
FULL_REFRESH_DONE = {"__ab_no_cursor_state_message": True}


class Stopped(Exception):
    """Another stream hit the credit budget: stop after the page just checkpointed."""


@dataclass
class StreamRun:
    """One configured stream's read: what to read, where from, and where its messages go."""

    stream: StreamDef
    incremental: bool
    fields: list[str]
    state: dict[str, Any]
    start: datetime | None
    include_deleted: bool
    bulk_read: str
    emit: Callable[[list[AirbyteMessage]], None]  # one batch per call: a page costs one queue hand-off
    stop: threading.Event
    progress: Progress = field(init=False)

    def __post_init__(self) -> None:
        self.progress = Progress(self.stream.name)

    def page_done(self, rows: list[dict[str, Any]], page: Any, state: dict[str, Any] | None,
                  *, tombstones: bool = False) -> None:
        """Emit the page's records, then the STATE that covers them, then its progress."""
        emitted_at = messages.now_ms()
        name = self.stream.name
        batch = [messages.record(name, row, emitted_at) for row in rows]
        if state is not None:
            batch.append(state_message(name, state))
        first = self.progress.pages == 0
        batch.append(messages.log(self.progress.add_page(records=len(rows), calls=page.calls,
                                                         credits=getattr(page, "credits", page.calls),
                                                         tombstones=tombstones)))
        if first:
            batch.append(messages.status(name, AirbyteStreamStatus.RUNNING))
        if page.more:
            # Zoho's list answers carry no total; a running lower bound still moves the UI's progress.
            batch.append(messages.estimate(name, self.progress.records + len(page.records)))
        self.emit(batch)
        if self.stop.is_set():
            raise Stopped()


def _moment(row: dict[str, Any], key: str) -> datetime | None:
    value = row.get(key)
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _keep(cursor: Cursor | None, row: dict[str, Any], key: str) -> bool:
    """A row without a readable cursor value is kept (never lost) and does not move the cursor."""
    if cursor is None:
        return True
    moment = _moment(row, key)
    return moment is None or cursor.accept(str(row.get("id")), moment)


def read_module(client: Any, run: StreamRun) -> None:
    """Records in Modified_Time order (keyset.py), then, when incremental, the deleted records."""
    stream = run.stream
    # A full refresh keeps a cursor too: it makes the keyset restarts safe; it is just not saved.
    cursor = Cursor.from_state(CURSOR_FIELD, run.state if run.incremental else {}, run.start)
    deleted_state = run.state.get("deleted") or {}
    if bulk.wanted(run.bulk_read, stream, run.state):
        for batch in bulk.batches(client, stream, run.fields, run.start):
            run.page_done([stream.shape(r) for r in batch.records if _keep(cursor, r, CURSOR_FIELD)], batch,
                          None)
        if run.incremental:
            run.emit([state_message(stream.name, {**cursor.to_state(), "deleted": deleted_state})])
    for page, rows in keyset_pages(client, stream.module, run.fields, cursor):
        state = {**cursor.to_state(), "deleted": deleted_state} if run.incremental else None
        run.page_done([stream.shape(r) for r in rows], page, state)
    if not run.incremental:
        run.emit([state_message(stream.name, FULL_REFRESH_DONE)])
    elif run.include_deleted:
        read_deleted(client, run, cursor)
    elif run.progress.pages == 0:
        run.emit([state_message(stream.name, {**cursor.to_state(), "deleted": deleted_state})])


def read_deleted(client: Any, run: StreamRun, records_cursor: Cursor) -> None:
    """Tombstones with their own cursor (issue 4 item 4).

    Zoho lists deleted records newest first (section 5, emulator choice), so the deleted cursor is only
    saved once the whole list is read: saving the first page's maximum would skip the older pages.
    """
    cursor = Cursor.from_state(DELETED_TIME, run.state.get("deleted"), run.start)
    for page in client.iter_deleted(run.stream.module, since=cursor.floor):
        rows = [tombstone(r) for r in page.records if _keep(cursor, r, DELETED_TIME)]
        run.page_done(rows, page, None, tombstones=True)
    run.emit([state_message(run.stream.name, {**records_cursor.to_state(), "deleted": cursor.to_state()})])


def tombstone(row: dict[str, Any]) -> dict[str, Any]:
    """design.md "Source output": id, Modified_Time = deletion time, _ab_cdc_deleted_at = deletion time."""
    deleted_at = row.get(DELETED_TIME)
    return {"id": str(row.get("id")), CURSOR_FIELD: deleted_at, DELETED_AT: deleted_at}


def read_coql(client: Any, run: StreamRun) -> None:
    """Keyset pages on (cursor, id): the state is the last row's position, so nothing repeats or is skipped."""
    name = run.stream.cursor_field if run.incremental else None
    since = run.state.get(name) if name else None
    last_id = run.state.get("last_id") if name else None
    for page in client.iter_coql(run.stream.query, cursor_field=name, since=_as_literal(since), last_id=last_id):
        if name and page.records:
            since, last_id = _utc_if_datetime(page.cursor_max), page.last_id
        run.page_done(page.records, page, {name: since, "last_id": last_id} if name else None)
    run.emit([state_message(run.stream.name, {name: since, "last_id": last_id} if name else FULL_REFRESH_DONE)])


def _as_literal(value: Any) -> Any:
    """A saved UTC date-time goes back to the client as a datetime, which it writes as Zoho expects."""
    if isinstance(value, str) and "T" in value:
        try:
            return parse_datetime(value)
        except ValueError:
            return value
    return value


def _utc_if_datetime(value: Any) -> Any:
    """State cursors are UTC (issue 4 item 9); a non-datetime cursor (a number, a name) is kept as is."""
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, str) and "T" in value:
        try:
            return format_utc(parse_datetime(value))
        except ValueError:
            return value
    return value


def read_search(client: Any, run: StreamRun) -> None:
    if len(run.fields) > MAX_FIELDS:
        # Section 4/3.1: `fields` takes at most 50 names and the client does not split a search into groups.
        raise SourceConfigError(f"a search stream reads at most {MAX_FIELDS} columns per call and "
                                f"{len(run.fields)} are selected; deselect columns of this stream in the "
                                "connection, or use a COQL stream")
    for page in client.iter_search(run.stream.module, run.stream.criteria, run.fields):
        run.page_done(page.records, page, None)
    run.emit([state_message(run.stream.name, FULL_REFRESH_DONE)])


READERS: dict[Kind, Callable[[Any, StreamRun], None]] = {
    Kind.MODULE: read_module, Kind.COQL: read_coql, Kind.SEARCH: read_search,
}
