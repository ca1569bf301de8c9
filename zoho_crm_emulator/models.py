"""The in-memory org: modules, records, recycle bin, users (docs/zoho-api.md sections 2, 3, 5).

Records are stored compactly as lists aligned to the module's columns (column 0 is `id`); date-time
columns hold epoch seconds and are formatted in the user's time zone on the way out. Rows are replaced,
never mutated in place, so a reader always sees a whole old or a whole new record. Sorted indexes for
paging (views.py) are built on first use and then kept up to date by every write.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from typing import Any

from zoho_crm_emulator import exceptions, formulas, metadata, timeutil
from zoho_crm_emulator.jobs import JobStore
from zoho_crm_emulator.views import SortedIndex, Window

Row = list[Any]
NAME_FIELDS = {"Leads": "Full_Name", "Contacts": "Full_Name", "Accounts": "Account_Name", "Deals": "Deal_Name",
               "Tasks": "Subject", "Notes": "Note_Title", "CustomModule1": "Name", "Events": "Event_Title",
               "Calls": "Subject", "Products": "Product_Name", "Price_Books": "Price_Book_Name", "Quotes": "Subject",
               "Sales_Orders": "Subject", "Purchase_Orders": "Subject", "Invoices": "Subject",
               "Vendors": "Vendor_Name", "Campaigns": "Campaign_Name", "Cases": "Subject",
               "Solutions": "Solution_Title"}
# Beside an activity's What_Id, the api_name of its record's module (Insert Records samples): a value of the
# record, not a field, kept in a column after the fields.
SE_MODULE = "$se_module"
VIEW_CACHE_SIZE = 8


class Module:
    """One API-supported module: field metadata plus its records and recycle bin."""

    def __init__(self, org: Org, api_name: str, meta: dict[str, Any]):
        self.org = org
        self.api_name = api_name
        self.meta = meta
        # settings/fields lists `id` among the fields (section 2.2); in a row it is column 0, so `fields`, aligned
        # with columns 1.., leaves it out and `served_fields` is the whole list
        self.served_fields = metadata.build_fields(api_name)
        self.fields = [fd for fd in self.served_fields if fd["api_name"] != "id"]
        self._fields_by_name = {fd["api_name"]: fd for fd in self.served_fields}
        self.columns = ["id"] + [fd["api_name"] for fd in self.fields]
        if "What_Id" in self._fields_by_name:
            self.columns.append(SE_MODULE)
        self.col = {name: i for i, name in enumerate(self.columns)}
        self.dt_cols = frozenset(i for i, fd in enumerate(self.fields, 1) if fd["data_type"] == "datetime")
        self.list_cols = tuple(i for i, fd in enumerate(self.fields, 1)
                               if fd["data_type"] not in metadata.SINGLE_RECORD_ONLY) + self.sidecar_cols(["What_Id"])
        self.unique_fields = [fd["api_name"] for fd in self.fields if fd["unique"]]
        self.rows: dict[str, Row] = {}
        self.deleted: dict[str, dict[str, Any]] = {}
        self.version = 0
        self.serial = 0  # autonumber sequence
        self._indexes: dict[tuple[str, str], SortedIndex] = {}  # (sort_by, converted), built on first use
        self._since_views: dict[tuple[Any, ...], tuple[int, list[Row]]] = {}
        self._bin: dict[str, SortedIndex] = {}  # deleted entries by type ("all" too), built on first use
        self._unique: dict[str, dict[str, str]] | None = None

    # ---- the interface coql.py / criteria.py / bulk.py rely on (docs/emulator.md) ----
    def field(self, api_name: str) -> dict[str, Any] | None:
        return self._fields_by_name.get(api_name)

    def live_records(self) -> list[dict[str, Any]]:
        """Every live record (converted leads included) in full API shape, ordered by id."""
        with self.org.lock:
            rows = sorted(self.rows.values(), key=_by_id)
        return [self.render(row, self.list_cols) for row in rows]

    def get(self, record_id: str) -> dict[str, Any] | None:
        row = self.rows.get(str(record_id))
        return None if row is None else self.render(row, self.list_cols)

    def sidecar_cols(self, names: Iterable[str]) -> tuple[int, ...]:
        """The `$se_module` column when What_Id is among `names` (Zoho sends the two together)."""
        return (self.col[SE_MODULE],) if SE_MODULE in self.col and "What_Id" in names else ()

    # ---- reading ----
    def render(self, row: Row, cols: Iterable[int]) -> dict[str, Any]:
        """A row as the API returns it: `id` first, date-times in the user's zone."""
        tz, dt_cols, columns = self.org.tz, self.dt_cols, self.columns
        out: dict[str, Any] = {"id": row[0]}
        for i in cols:
            value = row[i]
            if value is not None and i in dt_cols:
                value = timeutil.fmt(value, tz)
            out[columns[i]] = value
        return out

    def value(self, row: Row, api_name: str) -> Any:
        return row[self.col[api_name]]

    def display_name(self, row: Row) -> str | None:
        name_field = NAME_FIELDS.get(self.api_name)
        return row[self.col[name_field]] if name_field else row[0]

    def ref(self, row: Row) -> dict[str, Any]:
        """The {"name", "id"} object other records use to point at this one."""
        return {"name": self.display_name(row), "id": row[0]}

    def view(self, sort_by: str, converted: str = "both", since: int | None = None) -> list[Row]:
        """A snapshot of the live rows matching the filters, ascending by (sort_by, id)."""
        with self.org.lock:
            window = self.window(sort_by, converted, since)
            return window.items[window.start:]

    def window(self, sort_by: str, converted: str = "both", since: int | None = None) -> Window:
        """The live rows matching the filters, ascending by (sort_by, id). The caller holds `org.lock` while it
        pages: the underlying list changes in place on the next write."""
        if "Converted__s" not in self.col:
            converted = "both"  # the filter means nothing here; one index serves every value
        if since is None:
            return self.index(sort_by, converted).window()
        by_time = self.index("Modified_Time", converted)
        if sort_by == "Modified_Time":
            return by_time.window((since, ""))  # inclusive If-Modified-Since (section 3.1, emulator choice)
        return Window(self._since_view(sort_by, converted, since, by_time), 0, self.sort_key(sort_by))

    def sort_key(self, sort_by: str) -> Callable[[Row], Any]:
        if sort_by == "id":
            return _by_id
        i = self.col[sort_by]
        return lambda row: (row[i] or 0, row[0])

    def index(self, sort_by: str, converted: str = "both") -> SortedIndex:
        """Live rows ascending by (sort_by, id), built on first use and then kept up to date by every write;
        the caller holds `org.lock`."""
        index = self._indexes.get((sort_by, converted))
        if index is None:
            admits = None
            if converted != "both":
                conv, wanted = self.col["Converted__s"], converted == "true"
                admits = lambda row: bool(row[conv]) == wanted  # noqa: E731 - the index's filter
            index = self._indexes[(sort_by, converted)] = SortedIndex(self.rows.values(), self.sort_key(sort_by), admits)
        return index

    def _since_view(self, sort_by: str, converted: str, since: int, by_time: SortedIndex) -> list[Row]:
        """Rows modified at or after `since` in another order: the suffix of the Modified_Time index re-sorted,
        so it costs what it returns; cached until the next write to the module."""
        cache_key = (sort_by, converted, since)
        cached = self._since_views.get(cache_key)
        if cached and cached[0] == self.version:
            return cached[1]
        window = by_time.window((since, ""))
        rows = sorted(window.items[window.start:], key=self.sort_key(sort_by))
        if len(self._since_views) >= VIEW_CACHE_SIZE:
            self._since_views.clear()
        self._since_views[cache_key] = (self.version, rows)
        return rows

    # ---- writing (callers hold org.lock) ----
    def put(self, row: Row) -> None:
        old = self.rows.get(row[0])
        self.rows[row[0]] = row
        self.version += 1
        for index in self._indexes.values():
            if old is not None:
                index.discard(old)
            index.add(row)
        if self._unique is not None:
            self._unindex(old)
            self._index(row)

    def remove(self, record_id: str, deleted_time: int, kind: str = "recycle") -> Row | None:
        row = self.rows.pop(record_id, None)
        if row is None:
            return None
        self.version += 1
        for index in self._indexes.values():
            index.discard(row)
        if self._unique is not None:
            self._unindex(row)
        user = self.org.known_user_ref(self.org.current_user["id"])
        created_by = row[self.col["Created_By"]]
        self.bury({
            "id": record_id, "display_name": self.display_name(row), "type": kind,
            "deleted_by": {"name": user["name"], "id": user["id"]},
            "created_by": {"name": created_by["name"], "id": created_by["id"]} if created_by else None,
            "deleted_time": deleted_time})
        return row

    def bury(self, entry: dict[str, Any]) -> None:
        """A recycle-bin or purged entry (section 5); nothing ever leaves the bin (no retention emulated)."""
        old = self.deleted.get(entry["id"])
        self.deleted[entry["id"]] = entry
        for index in self._bin.values():
            if old is not None:
                index.discard(old)
            index.add(entry)

    def find_unique(self, api_name: str, value: Any) -> str | None:
        """The id of the live record whose unique field equals value (case-insensitive), if any."""
        if value is None or value == "":
            return None
        with self.org.lock:
            if self._unique is None:
                self._unique = {name: {} for name in self.unique_fields}
                for row in self.rows.values():
                    self._index(row)
            return self._unique.get(api_name, {}).get(str(value).lower())

    def _index(self, row: Row) -> None:
        assert self._unique is not None  # callers index only once find_unique has built the table
        for name in self.unique_fields:
            value = row[self.col[name]]
            if value not in (None, ""):
                self._unique[name][str(value).lower()] = row[0]

    def _unindex(self, row: Row | None) -> None:
        if row is None or self._unique is None:
            return
        for name in self.unique_fields:
            value = row[self.col[name]]
            if value not in (None, "") and self._unique[name].get(str(value).lower()) == row[0]:
                del self._unique[name][str(value).lower()]

    def deleted_window(self, kind: str, since: int | None) -> Window:
        """Recycle-bin and purged entries of `kind` deleted at or after `since`, ascending by (deleted_time, id);
        served newest first (section 5, emulator choice). The caller holds `org.lock` while it pages."""
        index = self._bin.get(kind)
        if index is None:
            admits = None if kind == "all" else lambda e: e["type"] == kind
            index = self._bin[kind] = SortedIndex(self.deleted.values(), _by_deleted_time, admits)
        return index.window(None if since is None else (since, ""))


def _by_id(row: Row) -> str:
    return row[0]  # ids are fixed-width digit strings, so text order is numeric order


def _by_deleted_time(entry: dict[str, Any]) -> tuple[int, str]:
    return entry["deleted_time"], entry["id"]


class Org:
    """The whole CRM: users, modules with records, id allocation, and write bookkeeping."""

    def __init__(self, tz: tzinfo, users: list[dict[str, Any]], meta_time: str):
        self.tz = tz
        self.lock = threading.RLock()
        self.users = {u["id"]: u for u in users}
        self.current_user = {"id": users[0]["id"], "name": users[0]["full_name"], "email": users[0]["email"]}
        self.module_meta = {name: metadata.build_module_meta(name, meta_time, users[0]) for name in metadata.MODULES}
        self.modules = {name: Module(self, name, meta) for name, meta in self.module_meta.items()
                        if metadata.MODULES[name].table is not None}
        self.tags = {t["name"].lower(): dict(t) for t in metadata.SEED_TAGS}  # Tag values, by name (validation)
        self.triggers: Counter[str] = Counter()
        self.jobs = JobStore(self.new_id)  # Bulk Read and mass convert; App.reset hands it the app's clock
        self.mutations = 0  # control-plane mutate calls, for their deterministic random streams
        # Now() in formulas: a clock that moves only when a test advances it (formulas.py)
        self.formula_start, self.formula_days = formulas.clock_start(time.time()), 0
        self._next_id = 1_000_000_000

    def module(self, api_name: str) -> Module:
        found = self.modules.get(api_name)
        if found is None:
            listed = self.module_meta.get(api_name)
            # docs/zoho-api/modules.md: a listed api_supported module without records (Approvals, Attachments...)
            raise exceptions.unsupported_module() if listed and listed["api_supported"] else exceptions.invalid_module()
        return found

    def now(self) -> datetime:
        return datetime.now(self.tz).replace(microsecond=0)

    def now_epoch(self) -> int:
        return int(self.now().timestamp())

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return f"{metadata.ORG_PREFIX}{self._next_id:012d}"

    def user_ref(self, user_id: str) -> dict[str, Any] | None:
        user = self.users.get(str(user_id))
        return None if user is None else {"name": user["full_name"], "id": user["id"], "email": user["email"]}

    def known_user_ref(self, user_id: str) -> dict[str, Any]:
        """user_ref of a user the org is known to have (the current user, a seeded owner)."""
        ref = self.user_ref(user_id)
        assert ref is not None, user_id
        return ref
