"""`formula_refresh`: formula columns that stay true although Zoho does not move Modified_Time when they change
(docs/zoho-api/formulas.md; docs/source.md "Formula fields").

Every `formula_refresh` days, after an incremental module stream's usual read, the source
1. re-reads only the formula columns of every row (`fields=` the formulas: one call per 200 rows; Bulk Read when
   `bulk_read` is `always`, or `auto` and the module had more than 10,000 rows at the last refresh),
2. compares their digest (readers/formula_digest.py) with the one saved in the stream's state at the last refresh,
3. reads the rows of the buckets that differ whole, by id (100 a call; or, when that is more than half the module,
   by a full scan, which reads 200 a call) and emits them as ordinary RECORDs: whole rows, because the
   destination de-duplicates on `id` and a partial row would blank the other columns.

The state says when the last refresh ran and what the destination holds (the digest). A STATE goes out only after
the rows it covers: during step 3 each STATE marks as done only the buckets whose rows were all emitted before it,
and the refresh time moves only in the last one. A sync killed mid-refresh starts the refresh again next time and
re-emits nothing already marked done.

On a stream's first sync (no cursor yet) the digest is taken before the rows are read, so whatever changes while
they are read differs from it and is emitted by the next refresh; nothing is emitted twice for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from airbyte_cdk.models import AirbyteMessage, Level, Type

from source_zoho_crm import messages
from source_zoho_crm.dates import format_utc, require_datetime
from source_zoho_crm.readers import bulk
from source_zoho_crm.readers.formula_digest import Digest, bucket_count, bucket_of, row_hash
from source_zoho_crm.stream_run import StreamRun
from source_zoho_crm.streams import CURSOR_FIELD, Kind
from zoho_crm_client import FieldMeta, ZohoClient
from zoho_crm_client.errors import ScopeMissingError

KEY = "formula_refresh"
BY_ID = 100  # ids per `?ids=` call (docs/zoho-api.md section 3.1)
PER_PAGE = 200
BULK_AFTER_ROWS = bulk.AUTO_AFTER_PAGES * PER_PAGE  # `auto`: Bulk Read once a module is this large


@dataclass(frozen=True)
class Entry:
    """The stream's `formula_refresh` state: when it last ran, over which columns, and the digest it left."""

    refreshed_at: datetime | None
    fields: tuple[str, ...]
    digest: Digest | None
    rows: int = 0

    @classmethod
    def from_state(cls, raw: Any) -> Entry:
        if not isinstance(raw, dict):
            return cls(None, (), None)
        try:
            refreshed_at = require_datetime(raw.get("refreshed_at"))
        except (TypeError, ValueError):
            refreshed_at = None
        rows = raw.get("rows")
        return cls(refreshed_at, tuple(raw.get("fields") or ()), Digest.decode(raw.get("digest")),
                   rows if isinstance(rows, int) else 0)

    def to_state(self) -> dict[str, Any]:
        return {"refreshed_at": format_utc(self.refreshed_at) if self.refreshed_at else None,
                "fields": list(self.fields), "rows": self.rows,
                "digest": self.digest.encode() if self.digest else None}

    def due(self, days: float, now: datetime) -> bool:
        return self.refreshed_at is None or now - self.refreshed_at >= timedelta(days=days)


@dataclass
class RefreshPage:
    """What StreamRun.page_done reads of a page."""

    records: list[dict[str, Any]]
    calls: int
    more: bool = True
    credits: int = field(init=False)

    def __post_init__(self) -> None:
        self.credits = self.calls


def prepare(client: ZohoClient, run: StreamRun) -> Refresh | None:
    """Before the stream's usual read: keep the saved entry in every STATE it emits, take the first digest on a
    first sync, and say whether a refresh follows the read."""
    days = run.stream.formula_refresh
    if not days or run.stream.kind is not Kind.MODULE or not run.incremental:
        return None
    now = datetime.now(timezone.utc)
    entry = Entry.from_state(run.state.get(KEY))
    first_sync = not run.state.get(CURSOR_FIELD)
    if not first_sync and not entry.due(days, now):
        _carry(run, entry)
        return None
    formulas = formula_columns(client, run)
    if not formulas:
        return None
    if first_sync:
        hashes, _ = _values(client, run, formulas, entry)
        _carry(run, Entry(now, formulas, Digest.of(hashes, bucket_count(len(hashes))), len(hashes)))
        return None
    _carry(run, entry)
    return Refresh(client, run, formulas, entry)


def formula_columns(client: ZohoClient, run: StreamRun) -> tuple[str, ...]:
    """The stream's selected columns that are formulas in Zoho's field metadata (read once per client)."""
    return formula_names(client.fields(run.stream.module), run.fields)


def formula_names(fields: Iterable[FieldMeta], selected: Iterable[str]) -> tuple[str, ...]:
    """`data_type: formula` (docs/zoho-api/formulas.md), whatever the return type, among `selected`, sorted."""
    chosen = set(selected)
    return tuple(sorted(f.api_name for f in fields if f.data_type == "formula" and f.api_name in chosen))


def _carry(run: StreamRun, entry: Entry) -> None:
    """Every STATE of this stream from now on carries `entry` (StreamRun.checkpoint adds `sync_facts`)."""
    run.sync_facts = {**run.sync_facts, KEY: entry.to_state()}


class Refresh:
    """Steps 1 to 3 of the module docstring, run after the stream's usual read."""

    def __init__(self, client: ZohoClient, run: StreamRun, formulas: tuple[str, ...], entry: Entry):
        self.client, self.run, self.formulas, self.entry = client, run, formulas, entry
        self.last_state = dict(run.state)
        self._emit = run.emit
        run.emit = self._tap

    def _tap(self, batch: list[AirbyteMessage]) -> None:
        """Keep the stream's last STATE: the refresh's own STATEs extend it rather than rewind the cursor."""
        for message in batch:
            if message.type == Type.STATE and message.state and message.state.stream:
                self.last_state = dict(vars(message.state.stream.stream_state))
        self._emit(batch)

    def run_refresh(self) -> None:
        started = datetime.now(timezone.utc)
        hashes, calls = _values(self.client, self.run, self.formulas, self.entry)
        old = self.entry.digest if self.entry.fields == self.formulas else None
        count = old.count if old else bucket_count(len(hashes))
        changed = Digest.of(hashes, count).changed(old)
        stored = Digest(list(old.buckets) if old else [0] * count)
        ids = sorted((i for i in hashes if bucket_of(i, count) in changed), key=lambda i: bucket_of(i, count))
        for b in changed:
            stored.buckets[b] = 0  # a changed bucket holds what step 3 emits of it, and nothing else
        if 2 * len(ids) < len(hashes):
            emitted, more_calls = self._by_ids(ids, stored)
        else:
            emitted, more_calls = self._scan(changed, stored)
        entry = Entry(started, self.formulas, stored, len(hashes))
        self.run.emit([messages.log(
            f"Stream {self.run.stream.name}: formula refresh read the formula columns of {len(hashes)} rows "
            f"({calls} calls), found {len(changed)} of {count} buckets changed and emitted {emitted} whole rows "
            f"({more_calls} calls).", Level.INFO)])
        self._checkpoint(entry, records=[])

    def _checkpoint(self, entry: Entry, records: list[dict[str, Any]], calls: int = 0) -> None:
        _carry(self.run, entry)
        self.run.page_done(records, RefreshPage(records, calls, more=False), {**self.last_state, KEY: entry.to_state()})

    def _by_ids(self, ids: list[str], stored: Digest) -> tuple[int, int]:
        """Whole rows, 100 ids a call, in bucket order; each STATE marks the buckets finished before it."""
        count, emitted, calls = stored.count, 0, 0
        acc = dict.fromkeys(range(count), 0)
        buckets = [bucket_of(i, count) for i in ids]  # ascending: `ids` come in bucket order
        for start in range(0, len(ids), BY_ID):
            chunk = ids[start:start + BY_ID]
            rows, used = self.client.records_by_ids(self.run.stream.module, self.run.fields, chunk)
            for row in rows:
                acc[bucket_of(str(row["id"]), count)] ^= self._hash(row)
            # every bucket of this chunk is finished, except the last one if the next chunk goes on with it
            going_on = buckets[start + BY_ID] if start + BY_ID < len(ids) else None
            for b in set(buckets[start:start + BY_ID]) - {going_on}:
                stored.buckets[b] = acc[b]
            emitted, calls = emitted + len(rows), calls + used
            self._checkpoint(self.entry_with(stored), [self.run.stream.to_record(r) for r in rows], used)
        return emitted, calls

    def _scan(self, changed: set[int], stored: Digest) -> tuple[int, int]:
        """Every row whole (cheaper than by id when most buckets changed); rows of changed buckets are emitted.
        The digest moves only at the end: a row may come twice in a scan (it moved), so buckets are known
        only once the scan is over."""
        count, emitted, calls = stored.count, 0, 0
        seen: dict[str, int] = {}
        for page in self.client.iter_records(self.run.stream.module, self.run.fields, since=None):
            rows = [r for r in page.records if bucket_of(str(r["id"]), count) in changed]
            for row in rows:
                seen[str(row["id"])] = self._hash(row)
            emitted, calls = emitted + len(rows), calls + page.calls
            self.run.page_done([self.run.stream.to_record(r) for r in rows], page, None)
        fresh = Digest.of(seen, count)
        for b in changed:
            stored.buckets[b] = fresh.buckets[b]
        return emitted, calls

    def entry_with(self, stored: Digest) -> Entry:
        """The old refresh time with the buckets done so far: a kill now repeats the refresh, not those rows."""
        return Entry(self.entry.refreshed_at, self.formulas, Digest(list(stored.buckets)), self.entry.rows)

    def _hash(self, row: dict[str, Any]) -> int:
        return row_hash(str(row["id"]), (row.get(f) for f in self.formulas))


def _values(client: ZohoClient, run: StreamRun, formulas: tuple[str, ...], entry: Entry) -> tuple[dict[str, int], int]:
    """Step 1: row id -> hash of its formula values, and the REST calls it took (Bulk Read's are not counted per
    stream: client.stats has them)."""
    if run.bulk_read == "always" or (run.bulk_read == "auto" and entry.rows > BULK_AFTER_ROWS):
        try:
            return {str(r["id"]): row_hash(str(r["id"]), (r.get(f) for f in formulas))
                    for r in _bulk_rows(client, run, formulas)}, 0
        except ScopeMissingError as exc:
            run.emit([messages.log(f"Stream {run.stream.name}: Bulk Read was refused ({exc}); reading the formula "
                                   "columns over REST instead.", Level.WARN)])
    hashes: dict[str, int] = {}
    calls = 0
    for page in client.iter_records(run.stream.module, list(formulas), since=None):
        for row in page.records:
            hashes[str(row["id"])] = row_hash(str(row["id"]), (row.get(f) for f in formulas))
        calls += page.calls
    return hashes, calls


def _bulk_rows(client: ZohoClient, run: StreamRun, formulas: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    for batch in bulk.batches(client, run.stream, list(formulas), None):
        yield from batch.records
