"""`ZohoClient`: the facade the source and the destination call (docs/architecture.md)."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import requests

from zoho_crm_client import access, redact, subforms
from zoho_crm_client.bulk import BulkReader
from zoho_crm_client.config import ZohoConfig
from zoho_crm_client.coql import CoqlReader, parse_query
from zoho_crm_client.errors import ZohoCRMError
from zoho_crm_client.limits import DEFAULT_CONCURRENCY, CallStats, canonical_edition, edition_concurrency
from zoho_crm_client.metadata import Metadata, edition_of
from zoho_crm_client.models import MODIFIED_TIME, FieldMeta, ModuleMeta, Page, Position, Segment, WriteResult
from zoho_crm_client.notes import NotesReader
from zoho_crm_client.org import OrgReader
from zoho_crm_client.records import RecordReader, field_groups
from zoho_crm_client.schema import AGGREGATE_SCHEMA, PRIMARY_KEY_SCHEMA, field_schema
from zoho_crm_client.search import SearchReader
from zoho_crm_client.tags import TagItem, TagWriter
from zoho_crm_client.transport import Transport
from zoho_crm_client.windows import Pace, WindowedRead
from zoho_crm_client.writes import RecordWriter

_UNASKED = object()  # GET org not asked yet (ZohoClient.edition)
# Threads of the client's call pool: started only as calls need them; above any edition's in-flight limit
# (section 11.4) so that the limiter, not the pool, decides how many calls Zoho sees at once.
CALL_THREADS = 32


class ZohoClient:
    """Everything the connectors need from Zoho CRM, over one session, one token, one set of limits.

    `sleep`, `clock` and `rand` are injectable so tests never really wait; `session` lets tests mount adapters;
    `cpu` (the process's CPU clock) tells a windowed read whether its own CPU holds it back (windows.Pace).
    """

    def __init__(self, config: ZohoConfig, logger: logging.Logger | None = None, *,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rand: Callable[[], float] = random.random,
                 cpu: Callable[[], float] | None = time.process_time):
        self.config = config
        self._clock = clock
        self._cpu = cpu  # the process's CPU seconds, for windows.Pace; None: windows split on estimates alone
        self._edition: object = _UNASKED
        self.log = logger or logging.getLogger("zoho_crm_client")
        self._transport = Transport(config, session=session, logger=self.log, sleep=sleep, clock=clock, rand=rand,
                                    resolve_limit=self._concurrency_from_edition)
        redact.install(self.log, config.secrets)  # access tokens: remembered by auth.py as they are issued
        self._metadata = Metadata(self._transport)
        # the one pool for calls sent side by side (field groups, pages read ahead, windows, Notes by id): each
        # task is one call, so no task waits on another; the in-flight limiter, not the pool, caps what Zoho sees
        self._pool = ThreadPoolExecutor(CALL_THREADS, thread_name_prefix="zoho-call")
        self._records = RecordReader(self._transport, self.log, self._pool)
        self._coql = CoqlReader(self._transport)
        self._notes = NotesReader(self._transport, self._coql, self._pool)
        self._search = SearchReader(self._transport, self._records, self._pool)
        self._bulk = BulkReader(self._transport, self.log)
        self._writer = RecordWriter(self._transport)
        self._org_lists = OrgReader(self._transport)
        self._tags = TagWriter(self._transport)

    def edition(self) -> str | None:
        """The org's edition (section 11.4), canonical ("enterprise", ...): the configured one, else GET org's
        license (asked once per client); None when neither says."""
        if self.config.edition is not None:
            return canonical_edition(self.config.edition)
        if self._edition is _UNASKED:
            try:
                self._edition = canonical_edition(edition_of(self.org()))
            except ZohoCRMError as exc:  # a missing org scope must not stop a sync
                self.log.warning("could not read the org's edition (%s%s); allowing the default in-flight calls; "
                                 "set edition or max_concurrent_requests, or grant ZohoCRM.org.READ",
                                 type(exc).__name__, f": {exc.code}" if exc.code else "")
                self._edition = None
        return self._edition  # type: ignore[return-value]

    def _concurrency_from_edition(self) -> int:
        """Section 11.4: the in-flight limit of the org's edition (asked of GET org only when not configured)."""
        edition = self.edition()
        limit = edition_concurrency(edition)
        self.log.info("Zoho edition %s: at most %d calls in flight", edition or "unknown", limit)
        return limit

    def probe(self, feature: str, module: str) -> access.Refusal | None:
        """One cheap call of `feature` (access.PROBES: records, deleted, coql, search, bulk_read, users, org):
        the scope or privilege refusal it met, else None. `module` must come from Zoho's module list."""
        return access.probe(self._transport, feature, module)

    # connection and metadata (each fetched at most once per client)
    def current_user(self) -> dict[str, Any]:
        return self._metadata.current_user()

    def org(self) -> dict[str, Any]:
        return self._metadata.org()

    def modules(self) -> list[ModuleMeta]:
        return self._metadata.modules()

    def fields(self, module: str) -> list[FieldMeta]:
        return self._metadata.fields(module)

    def schema(self, module: str) -> dict[str, Any]:
        """JSON schemas of the module's fields, by api_name (schema.py)."""
        return {f.api_name: field_schema(f, self.log) for f in self.fields(module)}

    # reading: each yields Page objects so callers can checkpoint per page
    def iter_records(self, module: str, fields: Sequence[str], *, since: datetime | None = None,
                     sort_by: str = MODIFIED_TIME, ids_at_cursor: Collection[str] = (),
                     probe_known: bool = False, sort_order: str = "asc") -> Generator[Page, None, None]:
        """A one-off listing (`zoho-crm record list`); a module stream reads with `pages`."""
        return self._records.iter_records(module, list(fields), since=since, sort_by=sort_by,
                                          ids_at_cursor=ids_at_cursor, probe_known=probe_known, sort_order=sort_order)

    def pages(self, module: str, fields: Sequence[str], start: Position, *, end: datetime | None = None,
              probe_known: bool = False, max_pages: int | None = None) -> Generator[Page, None, None]:
        """A module stream's keyset read from `start` (paging.ModifiedTimeKeyset); each Page has its Position."""
        return self._records.pages(module, list(fields), start, end=end, probe_known=probe_known,
                                   max_pages=max_pages)

    def module_pages(self, module: str, fields: Sequence[str], start: Position, segments: tuple[Segment, ...] = (),
                     *, probe_known: bool = False) -> Generator[Page, None, None]:
        """A module stream's read from `start`, in Modified_Time windows side by side when it is large
        (windows.py); each Page carries the position of the lowest unfinished window and the Segments read
        above it."""
        slots = self._transport.limiter
        pace = Pace(self._cpu, self._clock) if self._cpu is not None else None
        return WindowedRead(self._records, module, list(fields), start, segments,
                            lambda: slots.limit or DEFAULT_CONCURRENCY, pace).pages()

    def get_record(self, module: str, record_id: str) -> dict[str, Any] | None:
        """One record with every field, subforms and multi-select lookups included; None if Zoho has none."""
        return self._records.get_record(module, record_id)

    def records_by_ids(self, module: str, fields: Sequence[str], ids: Sequence[str]
                       ) -> tuple[list[dict[str, Any]], int]:
        """The live records among `ids` with `fields` (`?ids=`, 100 a call, per field group of 50, merged on id)
        and the calls made; ids Zoho no longer has are left out."""
        records: list[dict[str, Any]] = [{"id": str(i)} for i in ids]
        groups = field_groups(list(fields), MODIFIED_TIME)
        calls = sum(self._records.fill(module, records, group) for group in groups)
        return [r for r in records if MODIFIED_TIME in r], calls

    def iter_related_notes(self, module: str, record_id: str, fields: Sequence[str]) -> Iterator[Page]:
        return self._records.iter_related_notes(module, record_id, list(fields))

    def iter_deleted(self, module: str, *, since: datetime | None = None, kind: str = "all",
                     ahead: bool = True) -> Iterator[Page]:
        """Deleted records, two pages in flight once page 1 says more (`ahead`; records.py); `ahead=False` for
        a caller that may stop early, so that no page it will not read is asked."""
        return self._records.iter_deleted(module, since=since, kind=kind, ahead=ahead)

    def iter_coql(self, select: str, *, cursor_field: str | None = None, since: Any = None,
                  last_id: str | None = None) -> Iterator[Page]:
        return self._coql.iter_coql(select, cursor_field=cursor_field, since=since, last_id=last_id)

    def iter_subform_rows(self, subform: str, columns: Sequence[str], parent_ids: Sequence[str]) -> Iterator[Page]:
        """The rows of up to 100 parents' subform, over COQL on the subform module (subforms.py)."""
        return subforms.iter_rows(self._coql, subform, columns, parent_ids)

    def coql_columns(self, select: str) -> dict[str, dict[str, Any]]:
        """The JSON schema of each column of a COQL query, typed from field metadata (section 7)."""
        query = parse_query(select)
        columns: dict[str, dict[str, Any]] = {}
        for column in query.columns:
            columns[column.name] = AGGREGATE_SCHEMA if column.aggregate else self._path_schema(query.module,
                                                                                               column.path)
        columns["id"] = dict(PRIMARY_KEY_SCHEMA)  # last: the `id` field's metadata must not make it nullable
        return columns

    def _path_schema(self, module: str, path: tuple[str, ...]) -> dict[str, Any]:
        """Follow lookups (`Account_Name.Owner.email`) to the field the last name is on."""
        for depth, name in enumerate(path):
            by_name = {f.api_name: f for f in self.fields(module)}
            meta = by_name.get(name)
            if meta is None:
                if name == "id":
                    return {"type": ["null", "string"]}
                self.log.warning("COQL column %s is not a field of %s; reading it as any JSON value",
                                 ".".join(path), module)
                return {}
            if depth == len(path) - 1 or not meta.lookup_module:
                return field_schema(meta, self.log)
            module = meta.lookup_module
        return {}

    # Notes: read with the calls Zoho documents for them (notes.py; docs/zoho-api/notes.md)
    def newest_notes(self, fields: Sequence[str]) -> Page | None:
        return self._notes.newest(list(fields))

    def notes_by_ids(self, fields: Sequence[str], ids: Sequence[str]) -> tuple[dict[str, dict[str, Any]], int]:
        return self._notes.by_ids(list(fields), list(ids))

    def iter_note_changes(self, since: datetime | None, last_id: str | None = None, *,
                          ahead: bool = True) -> Generator[Page, None, None]:
        """The Notes index (notes.py), its next page asked while this one is handled (`ahead`); `ahead=False` for
        a caller that may stop early."""
        return self._notes.changes(since, last_id, ahead=ahead)

    def iter_search(self, module: str, criteria: str | None, fields: Sequence[str] | None = None, *,
                    email: str | None = None, phone: str | None = None, word: str | None = None
                    ) -> Iterator[Page]:
        """Search pages; more than 50 fields (Zoho's cap per call, section 3.1) are read in groups (search.py)."""
        return self._search.iter_search(module, criteria, list(fields) if fields else None,
                                        email=email, phone=phone, word=word)

    def search_pages(self, module: str, criteria: str, fields: Sequence[str] | None = None) -> Iterator[Page]:
        """Every row of a criteria search, past Zoho's 2,000-row ceiling: Modified_Time ranges read side by side
        within the calls in flight (search.py SearchRanges); each row once."""
        slots = self._transport.limiter
        return self._search.search_pages(module, criteria, list(fields) if fields else None,
                                         lambda: slots.limit or DEFAULT_CONCURRENCY)

    def iter_coql_statement(self, text: str) -> Iterator[Page]:
        """A user's COQL query with its own ORDER BY, LIMIT and OFFSET, run as written (coql.py)."""
        return self._coql.iter_statement(text)

    def bulk_read(self, module: str, fields: Sequence[str] | None = None, *,
                  criteria: dict[str, Any] | None = None) -> Iterator[dict[str, str]]:
        return self._bulk.bulk_read(module, list(fields) if fields else None, criteria=criteria)

    def iter_org_list(self, name: str, *, module: str | None = None, since: datetime | None = None
                      ) -> Iterator[Page]:
        """users, roles, profiles, territories, currencies, org; layouts and tags of `module` (org.py)."""
        return self._org_lists.pages(name, module=module, since=since)

    # writing: one WriteResult per input record, in input order
    def insert(self, module: str, records: Sequence[dict[str, Any]], *, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        return self._writer.insert(module, records, trigger=trigger)

    def update(self, module: str, records: Sequence[dict[str, Any]], *, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        return self._writer.update(module, records, trigger=trigger)

    def upsert(self, module: str, records: Sequence[dict[str, Any]], *,
               duplicate_check_fields: Sequence[str] | None = None, trigger: Iterable[str] = ()
               ) -> list[WriteResult]:
        return self._writer.upsert(module, records, duplicate_check_fields=duplicate_check_fields, trigger=trigger)

    def delete(self, module: str, ids: Sequence[str], *, wf_trigger: bool = False) -> list[WriteResult]:
        return self._writer.delete(module, ids, wf_trigger=wf_trigger)

    def convert_lead(self, lead_id: str, body: dict[str, Any]) -> WriteResult:
        return self._writer.convert_lead(lead_id, body)

    def clone(self, module: str, record_id: str, overrides: dict[str, Any] | None = None) -> WriteResult:
        return self._writer.clone(module, record_id, overrides)

    def create_notes(self, notes: Sequence[dict[str, Any]]) -> list[WriteResult]:
        return self._writer.create_notes(notes)

    def update_notes(self, notes: Sequence[dict[str, Any]]) -> list[WriteResult]:
        return self._writer.update_notes(notes)

    def delete_notes(self, ids: Sequence[str]) -> list[WriteResult]:
        return self._writer.delete_notes(ids)

    def tag_records(self, module: str, action: str, items: Sequence[TagItem], *, over_write: bool = False
                    ) -> list[WriteResult]:
        """add_tags / remove_tags: items are (record id, [{"name": ...} or {"id": ...}]) (tags.py)."""
        return self._tags.tag(module, action, items, over_write=over_write)

    @property
    def stats(self) -> CallStats:
        """Calls and credits spent so far, by route; `stats.as_dict()` for logs and benchmarks."""
        return self._transport.ledger.stats

    @property
    def max_in_flight(self) -> int:
        """The highest number of this client's calls that were in flight at once."""
        return self._transport.limiter.peak

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._transport.session.close()

    def __enter__(self) -> ZohoClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
