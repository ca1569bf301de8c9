"""How a subform stream is read (docs/source.md, "Subforms and line items"; docs/zoho-api/subforms.md).

List calls never carry subforms (S1), so the read has two steps:

1. the parents changed since the cursor: Get Records on the parent module with `Modified_Time` only, ascending,
   from the cursor inclusive (1 credit per 200 parents);
2. their rows, 100 parents at a time: COQL on the subform module, `Parent_Id in (...)` (3 credits per call of up
   to 2,000 rows). Where Zoho refuses COQL on the subform module, each parent is fetched alone (1 credit each).

A row removed from a parent has no deletion record anywhere in Zoho (S10). Rows are keyed by (`parent_id`,
`row_position`), so each changed parent's positions past its current row count are tombstoned, up to the largest
row count any parent had in earlier syncs (`rows_per_parent` in the state: one number, whatever the org's size).
A deleted parent tombstones all those positions. Worked example: earlier syncs saw at most 3 rows on a quote;
quote Q now has 1 row: Q's row 0 is emitted, positions 1 and 2 are tombstones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from airbyte_cdk.models import Level

from source_zoho_crm import messages
from source_zoho_crm.dates import format_utc, require_datetime
from source_zoho_crm.readers.modules import deleted_refused
from source_zoho_crm.stream_run import FULL_REFRESH_DONE, StreamRun
from source_zoho_crm.streams import CURSOR_FIELD, DELETED_AT
from source_zoho_crm.subform_streams import PARENT_ID, PARENT_MODULE, POSITION, split_name
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import PermissionError_, RequestError, ScopeMissingError
from zoho_crm_client.models import Page
from zoho_crm_client.subforms import PARENTS_PER_QUERY, parent_of, selectable, subform_module

ROWS_SEEN = "rows_per_parent"
DELETED_TIME = "deleted_time"
DELETED_MARGIN = timedelta(hours=1)  # as module_reader.DELETED_MARGIN: clock skew on a first sync


@dataclass
class Subform:
    """Where a stream's rows come from: the parent module, its subform field and the subform module."""

    parent: str
    field: str
    module: str | None  # None: Zoho's metadata names no subform module; rows come from single-record GETs
    columns: list[str]


@dataclass
class Progress:
    """The state as the read moves: the parents' cursor, the deletions' cursor, the largest row count."""

    since: datetime | None
    deleted_since: datetime | None
    known: int  # positions earlier syncs may have emitted for a parent: tombstoned past a parent's rows
    seen: int  # the largest row count seen, this sync included

    def blob(self) -> dict[str, Any]:
        return {CURSOR_FIELD: format_utc(self.since) if self.since else None,
                DELETED_TIME: format_utc(self.deleted_since) if self.deleted_since else None, ROWS_SEEN: self.seen}


def read_subform(client: ZohoClient, run: StreamRun) -> None:
    subform = _resolve(client, run)
    progress = _progress(run)
    for rows, page in _changes(client, run, subform, progress):
        run.page_done(rows, page, progress.blob() if run.incremental else None)
    if not run.incremental:
        run.emit([run.checkpoint(FULL_REFRESH_DONE)])
        return
    if run.include_deleted and progress.seen:
        _deleted_parents(client, run, subform, progress)
    run.emit([run.checkpoint(progress.blob())])


def _resolve(client: ZohoClient, run: StreamRun) -> Subform:
    parts = split_name(run.stream.name)
    assert parts is not None  # subform_streams.from_catalog recognised the name
    parent, field = parts
    meta = next((f for f in client.fields(parent) if f.api_name == field), None)
    module = subform_module(meta) if meta is not None else None
    columns = [c for c in selectable(client.fields(module)) if c in run.stream.properties] if module else []
    return Subform(parent, field, module, columns)


def _progress(run: StreamRun) -> Progress:
    state = run.state if run.incremental else {}
    since = _moment(state.get(CURSOR_FIELD)) or run.start
    saved = state.get(ROWS_SEEN)
    seen = saved if isinstance(saved, int) and not isinstance(saved, bool) else 0
    deleted = _moment(state.get(DELETED_TIME))
    if deleted is None:  # a first sync: nothing downstream for a deletion before it to remove
        deleted = datetime.now(timezone.utc) - DELETED_MARGIN
    return Progress(since, deleted, known=seen, seen=seen)


def _moment(value: Any) -> datetime | None:
    try:
        return require_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _changes(client: ZohoClient, run: StreamRun, subform: Subform, progress: Progress
             ) -> Iterator[tuple[list[dict[str, Any]], Page]]:
    """Per 100 changed parents: their rows and tombstones, and a Page with what the calls cost."""
    for listed in client.iter_records(subform.parent, [CURSOR_FIELD], since=progress.since):
        parents = [(str(r["id"]), r.get(CURSOR_FIELD)) for r in listed.records if r.get("id") is not None]
        for start in range(0, len(parents), PARENTS_PER_QUERY):
            chunk = parents[start:start + PARENTS_PER_QUERY]
            found, calls, credits = _rows(client, run, subform, [pid for pid, _ in chunk])
            rows = [row for pid, modified in chunk for row in _parent_rows(subform, pid, modified, found[pid],
                                                                           progress.known)]
            progress.seen = max([progress.seen, *(len(found[pid]) for pid, _ in chunk)])
            progress.since = _moment(chunk[-1][1]) or progress.since
            first = start == 0
            yield rows, Page(records=rows, calls=calls + (listed.calls if first else 0),
                             credits=credits + (listed.credits if first else 0),
                             more=listed.more or start + PARENTS_PER_QUERY < len(parents))


def _rows(client: ZohoClient, run: StreamRun, subform: Subform, parent_ids: list[str]
          ) -> tuple[dict[str, list[dict[str, Any]]], int, int]:
    """The parents' rows by parent id (each parent's in id order), and the calls and credits spent."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    calls = credits = 0
    if subform.module is not None:
        try:
            for page in client.iter_subform_rows(subform.module, subform.columns, parent_ids):
                calls, credits = calls + page.calls, credits + page.credits
                for row in page.records:
                    found[parent_of(row) or ""].append(row)
            return _ordered(found), calls, credits
        except (RequestError, PermissionError_, ScopeMissingError) as exc:
            # without ZohoCRM.coql.READ (Zoho's own example token lacks it; docs/zoho-api/scopes.md), or where
            # Zoho does not take this subform in COQL: the single-record GET carries every subform (S2)
            run.emit([messages.log(f"Stream {run.stream.name}: COQL on {subform.module} was refused ({exc}); "
                                   "reading each changed parent alone instead (1 credit per parent). Grant "
                                   "ZohoCRM.coql.READ to read 100 parents per call.", Level.WARN)])
            subform.module = None
            found.clear()
    for pid in parent_ids:
        record = client.get_record(subform.parent, pid) or {}
        calls, credits = calls + 1, credits + 1
        value = record.get(subform.field)
        found[pid] = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    return _ordered(found), calls, credits


def _ordered(found: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Each parent's rows in id order (ids are fixed-width digit strings), so positions do not depend on paging."""
    return defaultdict(list, {pid: sorted(rows, key=lambda r: (len(str(r.get("id"))), str(r.get("id"))))
                              for pid, rows in found.items()})


def _parent_rows(subform: Subform, parent_id: str, modified: Any, rows: list[dict[str, Any]], known: int
                 ) -> list[dict[str, Any]]:
    live = [{**row, "id": None if row.get("id") is None else str(row["id"]), PARENT_MODULE: subform.parent,
             PARENT_ID: parent_id, POSITION: i, CURSOR_FIELD: modified, DELETED_AT: None}
            for i, row in enumerate(rows)]
    return live + [_tombstone(subform.parent, parent_id, i, modified) for i in range(len(rows), known)]


def _tombstone(parent: str, parent_id: str, position: int, at: Any) -> dict[str, Any]:
    """A module's tombstone (module_reader.tombstone: `Modified_Time` = `_ab_cdc_deleted_at`) on the key columns;
    without `id`, which Zoho no longer tells (docs/zoho-api/subforms.md S10)."""
    return {PARENT_MODULE: parent, PARENT_ID: parent_id, POSITION: position, CURSOR_FIELD: at,
            DELETED_AT: at}


def _deleted_parents(client: ZohoClient, run: StreamRun, subform: Subform, progress: Progress) -> None:
    """A deleted parent's rows go with it (S9): every position any parent had is tombstoned. Zoho lists deleted
    records newest first, so the deletions cursor is saved once the whole list is read (readers/modules.py)."""
    newest = progress.deleted_since
    try:
        for page in client.iter_deleted(subform.parent, since=progress.deleted_since):
            rows = []
            for entry in page.records:
                moment = _moment(entry.get(DELETED_TIME))
                if moment is None or (progress.deleted_since and moment < progress.deleted_since):
                    continue
                newest = max(newest, moment) if newest else moment
                rows += [_tombstone(subform.parent, str(entry.get("id")), i, entry.get(DELETED_TIME))
                         for i in range(progress.seen)]
            run.page_done(rows, page, None, tombstones=True)
    except PermissionError_ as exc:  # the deletions cursor stays where it was; the next sync asks again
        run.emit([messages.log(deleted_refused(run.stream.name, exc), Level.WARN)])
        return
    progress.deleted_since = newest
