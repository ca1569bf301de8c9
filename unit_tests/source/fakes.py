"""An in-memory stand-in for the ZohoClient facade (docs/architecture.md), for the source's unit tests.

It implements only the facade methods the source calls, with the documented semantics: Modified_Time
ascending, inclusive `since`, pages of 200, deleted rows newest first. It counts every call so tests can
assert on what a read costs.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from zoho_crm_client.coql import parse_query
from zoho_crm_client.errors import (
    CreditBudgetExhausted,
    ModuleNotSupported,
    RequestError,
    SearchCeilingReached,
)
from zoho_crm_client.models import FieldMeta, ModuleMeta, Page, Position
from zoho_crm_client.paging import ModifiedTimeKeyset
from zoho_crm_client.schema import AGGREGATE_SCHEMA, field_schema

PER_PAGE = 200
IST = timezone(timedelta(hours=5, minutes=30))  # Zoho answers in the user's zone (section 0)


def zoho_time(moment: datetime) -> str:
    return moment.astimezone(IST).isoformat()


def module(api_name: str, **overrides: Any) -> ModuleMeta:
    return ModuleMeta(api_name=api_name, **overrides)


def text_field(api_name: str) -> FieldMeta:
    return FieldMeta(api_name=api_name, data_type="text", json_type="string")


def datetime_field(api_name: str) -> FieldMeta:
    return FieldMeta(api_name=api_name, data_type="datetime", json_type="string")


@dataclass
class Stats:
    calls: int = 0
    credits: int = 0


@dataclass
class FakeClient:
    modules_meta: list[ModuleMeta] = field(default_factory=list)
    fields_meta: dict[str, list[FieldMeta]] = field(default_factory=dict)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    deleted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    coql_rows: list[dict[str, Any]] = field(default_factory=list)
    failing_fields: set[str] = field(default_factory=set)
    refused_modules: set[str] = field(default_factory=set)  # Get Records answers 400 INVALID_MODULE for these
    budget_calls: int | None = None  # raise CreditBudgetExhausted once this many calls were made
    calls: Counter[str] = field(default_factory=Counter)
    requested_fields: dict[str, list[str]] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)
    unsplittable_search: bool = False  # search_pages stops at 2,000 rows with SearchCeilingReached
    between_pages: Callable[[FakeClient], None] = lambda client: None  # people editing during the sync
    org_edition: str | None = None  # what GET org says; None: unreadable
    org_calls: int = 0  # GET org, counted apart: the real client makes it for its in-flight limit anyway
    deleted_refusal: Exception | None = None  # what {module}/deleted answers instead of rows (a privilege refusal)

    def _call(self, route: str) -> None:
        if self.budget_calls is not None and self.stats.calls >= self.budget_calls:
            raise CreditBudgetExhausted(f"api_credit_budget of {self.budget_calls} credits reached")
        self.calls[route] += 1
        self.stats.calls += 1
        self.stats.credits += 1

    # metadata
    def current_user(self) -> dict[str, Any]:
        self._call("users")
        return {"id": "1", "email": "admin@example.com"}

    def edition(self) -> str | None:
        """The real client asks GET org once, unless the config names the edition."""
        self.org_calls += 1
        return self.org_edition

    def modules(self) -> list[ModuleMeta]:
        self._call("modules")
        return self.modules_meta

    def fields(self, module_name: str) -> list[FieldMeta]:
        """Cached like the real client's: "each fetched at most once per client" (docs/architecture.md)."""
        if self.calls[f"fields:{module_name}"] and module_name not in self.failing_fields:
            return self.fields_meta[module_name]
        self._call(f"fields:{module_name}")
        if module_name in self.failing_fields:
            raise RequestError("the Zoho user lacks a permission for this call", status=403, code="NO_PERMISSION")
        return self.fields_meta[module_name]

    def coql_columns(self, select: str) -> dict[str, dict[str, Any]]:
        """Flat columns only; the real client also follows lookups."""
        query = parse_query(select)
        by_name = {f.api_name: f for f in self.fields(query.module)}
        columns: dict[str, dict[str, Any]] = {"id": {"type": ["string"]}}
        for column in query.columns:
            meta = by_name.get(column.name)
            columns[column.name] = AGGREGATE_SCHEMA if column.aggregate else field_schema(meta) if meta else {}
        return columns

    # reading
    def iter_records(self, module_name: str, fields: list[str], *, since: datetime | None,
                     sort_by: str = "Modified_Time", known_ids: Collection[str] = (),
                     probe_known: bool = False) -> Iterator[Page]:
        """Pages by position over the data as it is when each page is asked for, as Zoho does."""
        self.requested_fields[module_name] = list(fields)
        if module_name in self.refused_modules:
            self._call(f"records:{module_name}")
            raise ModuleNotSupported("the module is unknown or not available through the API: The given module is "
                                     "not supported in API", status=400, code="INVALID_MODULE")
        start = 0
        while True:
            rows = sorted(self.records.get(module_name, []), key=lambda r: (_moment(r[sort_by]), r["id"]))
            rows = [r for r in rows if since is None or _moment(r[sort_by]) > since
                    or (_moment(r[sort_by]) == since and r["id"] not in known_ids)]
            self._call(f"records:{module_name}")
            chunk = rows[start:start + PER_PAGE]
            if not chunk:
                return
            more = start + PER_PAGE < len(rows)
            yield Page(records=[_pick(r, fields) for r in chunk], more=more)
            self.between_pages(self)
            if not more:
                return
            start += PER_PAGE

    def pages(self, module_name: str, fields: list[str], start: Position, *, end: datetime | None = None,
              probe_known: bool = False, max_pages: int | None = None) -> Iterator[Page]:
        """The client's real keyset (paging.py) over list calls answered from the data as it is when each is
        asked for, by position within the chain, as Zoho does; like `iter_records` with `known_ids`, the rows the
        keyset already has at its floor are left out of the answer."""
        self.requested_fields[module_name] = list(fields)
        keyset = ModifiedTimeKeyset(start, follow_edits=True, end=end)
        for count in itertools.count(1):
            self._call(f"records:{module_name}")
            if module_name in self.refused_modules:
                raise ModuleNotSupported("the module is unknown or not available through the API: The given module "
                                         "is not supported in API", status=400, code="INVALID_MODULE")
            offset = (keyset.chain.page - 1) * PER_PAGE
            rows = sorted((r for r in self.records.get(module_name, [])
                           if keyset.beyond_floor(r["id"], _moment(r["Modified_Time"]))),
                          key=lambda r: (_moment(r["Modified_Time"]), r["id"]))
            chunk = rows[offset:offset + PER_PAGE]
            more = offset + PER_PAGE < len(rows)
            kept = [_pick(r, fields) for r in chunk if keyset.take(r["id"], _moment(r["Modified_Time"]))]
            yield Page(records=kept, more=more and not keyset.done, position=keyset.position)
            if not more or keyset.done or count == max_pages:
                return
            self.between_pages(self)
            keyset.advance({"next_page_token": None}, len(chunk))

    def module_pages(self, module_name: str, fields: list[str], start: Position, segments: tuple = (), *,
                     probe_known: bool = False) -> Iterator[Page]:
        """One window: these tests read modules far below the size windows need (zoho_crm_client/windows.py)."""
        return self.pages(module_name, fields, start, probe_known=probe_known)

    def bulk_read(self, module_name: str, fields: list[str], *, criteria: dict[str, Any] | None = None
                  ) -> Iterator[dict[str, str]]:
        self._call(f"bulk:{module_name}")
        self.requested_fields[f"bulk:{module_name}"] = list(fields)
        rows = list(reversed(self.records.get(module_name, [])))  # a job's rows come in no useful order
        if criteria:  # the source only ever asks for Modified_Time greater_equal
            rows = [r for r in rows if _moment(r["Modified_Time"]) >= _moment(criteria["value"])]
        yield from bulk_rows(rows, fields)

    def iter_deleted(self, module_name: str, *, since: datetime | None) -> Iterator[Page]:
        if self.deleted_refusal is not None:
            self._call(f"deleted:{module_name}")
            raise self.deleted_refusal
        rows = sorted(self.deleted.get(module_name, []), key=lambda r: _moment(r["deleted_time"]), reverse=True)
        rows = [r for r in rows if since is None or _moment(r["deleted_time"]) >= since]
        yield from self._pages(f"deleted:{module_name}", rows, None)

    def iter_coql(self, select: str, *, cursor_field: str | None, since: Any, last_id: str | None) -> Iterator[Page]:
        key = cursor_field or "id"
        rows = sorted(self.coql_rows, key=lambda r: (r[key], r["id"]))
        if since is not None:
            since = since.isoformat() if isinstance(since, datetime) else since
            rows = [r for r in rows if (r[key], r["id"]) > (since, last_id or "")]
        for start in range(0, max(len(rows), 1), PER_PAGE):
            self._call("coql")
            chunk = rows[start:start + PER_PAGE]
            if not chunk:
                return
            yield Page(records=[dict(r) for r in chunk], cursor_max=chunk[-1][key], last_id=chunk[-1]["id"],
                       more=start + PER_PAGE < len(rows))

    # Notes (zoho_crm_client/notes.py): newest-first page 1, an index of (id, Modified_Time), rows by id
    def newest_notes(self, fields: list[str]) -> Page | None:
        self.requested_fields["Notes"] = list(fields)
        self._call("notes:newest")
        rows = sorted(self.records.get("Notes", []), key=lambda r: (_moment(r["Modified_Time"]), r["id"]),
                      reverse=True)
        chunk = rows[:PER_PAGE]
        return Page(records=[_pick(r, fields) for r in chunk], more=len(rows) > PER_PAGE,
                    moments=[_moment(r["Modified_Time"]) for r in chunk])

    def notes_by_ids(self, fields: list[str], ids: list[str]) -> tuple[dict[str, dict[str, Any]], int]:
        by_id = {r["id"]: r for r in self.records.get("Notes", [])}
        calls = 0
        for _start in range(0, len(ids), 100):
            self._call("notes:ids")
            calls += 1
        return {i: _pick(by_id[i], fields) for i in ids if i in by_id}, calls

    def iter_note_changes(self, since: datetime | None, last_id: str | None = None) -> Iterator[Page]:
        """COQL keyset on (Modified_Time, id) from `since` inclusive, 2,000 per call."""
        rows = sorted(self.records.get("Notes", []), key=lambda r: (_moment(r["Modified_Time"]), r["id"]))
        rows = [r for r in rows if since is None or _moment(r["Modified_Time"]) >= since]
        for start in range(0, max(len(rows), 1), 2000):
            self._call("notes:index")
            chunk = rows[start:start + 2000]
            if not chunk:
                return
            yield Page(records=[{"id": r["id"], "Modified_Time": r["Modified_Time"]} for r in chunk],
                       more=start + 2000 < len(rows))
            self.between_pages(self)

    def search_pages(self, module_name: str, criteria: str, fields: list[str]) -> Iterator[Page]:
        """Every row past 2,000 (the client splits the search: unit_tests/client/test_search.py), unless the
        test says the search cannot be split (`unsplittable_search`)."""
        rows = self.records.get(module_name, [])
        for start in range(0, len(rows), PER_PAGE):
            if start >= 2000 and self.unsplittable_search:
                raise SearchCeilingReached("Zoho search returns at most 2,000 rows per query; use a COQL stream",
                                           code="LIMIT_REACHED")
            self._call(f"search:{module_name}")
            yield Page(records=[dict(r) for r in rows[start:start + PER_PAGE]], more=start + PER_PAGE < len(rows))

    def _pages(self, route: str, rows: list[dict[str, Any]], fields: list[str] | None) -> Iterator[Page]:
        self._call(route)
        if not rows:
            return
        for start in range(0, len(rows), PER_PAGE):
            if start:
                self._call(route)
            chunk = rows[start:start + PER_PAGE]
            picked = [_pick(r, fields) for r in chunk]
            yield Page(records=picked, more=start + PER_PAGE < len(rows))


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(timezone.utc)


def _pick(row: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if fields is None:
        return dict(row)
    return {k: v for k, v in row.items() if k == "id" or k in fields}


def leads(n: int, *, start: datetime, step: timedelta = timedelta(seconds=1), first_id: int = 1) -> list[dict]:
    """`n` Leads rows, one every `step`, ids ascending."""
    return [{"id": str(first_id + i), "Last_Name": f"Lead {first_id + i}", "Email": f"l{first_id + i}@example.com",
             "Modified_Time": zoho_time(start + i * step)} for i in range(n)]


def bulk_rows(rows: list[dict[str, Any]], fields: list[str]) -> Iterator[dict[str, str]]:
    """Rows as Bulk Read's CSV has them: strings, lookups as ids, multi-selects joined by ';'."""
    for row in rows:
        yield {k: _cell(row.get(k)) for k in ["id", *fields]}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value.get("id", ""))
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)
