"""One configured stream's read: what to read, where from, and where its messages go.

Every reader hands each page to `StreamRun.page_done`, which emits the records, then the STATE that covers
them (a checkpoint per page, issue 4 item 4), then the progress (issue 6 item 6).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus

from source_zoho_crm import messages
from source_zoho_crm.cursor import Cursor
from source_zoho_crm.dates import require_datetime
from source_zoho_crm.progress import Progress
from source_zoho_crm.state import state_message
from source_zoho_crm.streams import StreamDef

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
    sync_facts: dict[str, Any] = field(default_factory=dict)  # sync-wide facts every cursor state carries (edition.py)
    # the destination drops everything older than this sync (Airbyte generation ids; readers/modules.py)
    replaces_destination: bool = False
    progress: Progress = field(init=False)

    def __post_init__(self) -> None:
        self.progress = Progress(self.stream.name)

    def checkpoint(self, blob: dict[str, Any]) -> AirbyteMessage:
        """This stream's STATE; a cursor state also carries `sync_facts` (a full refresh's marker stays bare)."""
        return state_message(self.stream.name, blob if blob == FULL_REFRESH_DONE else {**blob, **self.sync_facts})

    def page_done(self, rows: list[dict[str, Any]], page: Any, state: dict[str, Any] | None,
                  *, tombstones: bool = False) -> None:
        """Emit the page's records, then the STATE that covers them, then its progress."""
        emitted_at = messages.now_ms()
        name = self.stream.name
        conform = self.stream.conform
        batch = [messages.record(name, conform(row), emitted_at) for row in rows]
        if state is not None:
            batch.append(self.checkpoint(state))
        first = self.progress.pages == 0
        batch.append(messages.log(self.progress.add_page(records=len(rows), calls=page.calls, credits=page.credits,
                                                         tombstones=tombstones)))
        if first:
            batch.append(messages.status(name, AirbyteStreamStatus.RUNNING))
        if page.more:
            # Zoho's list answers carry no total; a running lower bound still moves the UI's progress.
            batch.append(messages.estimate(name, self.progress.records + len(page.records)))
        self.emit(batch)
        if self.stop.is_set():
            raise Stopped()


def moment_of(row: dict[str, Any], key: str) -> datetime | None:
    value = row.get(key)
    try:
        return require_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def is_new(cursor: Cursor | None, row: dict[str, Any], key: str) -> bool:
    """A row without a readable cursor value is kept (never lost) and does not move the cursor."""
    return cursor is None or is_new_at(cursor, row, moment_of(row, key))


def is_new_at(cursor: Cursor, row: dict[str, Any], moment: datetime | None) -> bool:
    """`is_new` with the row's cursor value already parsed (None: unreadable)."""
    return moment is None or cursor.accept(str(row.get("id")), moment)
