"""`ZohoCRM`: each Zoho CRM action as one call, returning plain dicts (docs/actions.md).

    crm = ZohoCRM.from_config("config.json")      # the source's config file, or a mapping of its keys
    lead = crm.get_record("Leads", "5725767000000524157")
    for row in crm.list_records("Leads", sort_by="Created_Time", sort_order="desc", limit=10): ...
    [result] = crm.create_records("Leads", [{"Last_Name": "Daly"}])
    crm.create_notes("Leads:" + result["id"], [{"Note_Title": "Call", "Note_Content": "Friday"}])

A thin layer over `ZohoClient`: the client pages, groups fields by 50, writes 100 at a time and classifies
errors; this module checks what the caller gave (module names, Zoho ids, criteria, sort options) before any
of it reaches a URL, and turns the client's pages and `WriteResult`s into rows and result dicts. Reads are
iterators that stop calling Zoho once `limit` rows were yielded. Writes yield one result per input record, in
input order, as each chunk of 100 commits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypedDict

from zoho_crm_client.client import ZohoClient
from zoho_crm_client.config import ZohoConfig
from zoho_crm_client.dates import parse_datetime
from zoho_crm_client.errors import AmbiguousWriteError, ConfigError, UsageError
from zoho_crm_client.limits import EDITION_CONCURRENCY
from zoho_crm_client.models import MODIFIED_TIME, Page, WriteResult, converted_ids, note_parent
from zoho_crm_client.schema import SINGLE_RECORD_ONLY
from zoho_crm_client.writes import CHUNK

ZOHO_ID = re.compile(r"[0-9]{1,19}")  # docs/zoho-api.md section 0: ids are digit strings of up to 19 digits
MODULE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # api_names: letters, digits, underscores
# Zoho's Get Records sorts at least by these (docs/zoho-api/actions.md); search does not sort at all.
LIST_SORT_FIELDS = ("id", "Created_Time", MODIFIED_TIME)
SORT_ORDERS = ("asc", "desc")
DELETED_TYPES = ("all", "recycle", "permanent")
SEARCH_CEILING = 2000  # section 4: search returns at most 2,000 rows per query, so a local sort is bounded


class WriteOutcome(TypedDict, total=False):
    """One input record's result: `status` is "success" or "error"; `id` the record's (new) id."""

    index: int
    status: str
    id: str | None
    code: str
    message: str
    details: dict[str, Any]
    action: str  # upsert only: "insert" or "update"


class ZohoCRM:
    """The Zoho CRM actions over one `ZohoClient` (one session, one token, one set of limits)."""

    def __init__(self, client: ZohoClient):
        self.client = client

    @classmethod
    def from_config(cls, config: str | Path | Mapping[str, Any], **client_options: Any) -> ZohoCRM:
        """From the source's config file (a path) or its keys (a mapping); ConfigError names what to fix."""
        mapping = dict(config if isinstance(config, Mapping) else _read_config(Path(config)))
        if not mapping.get("max_concurrent_requests") and not mapping.get("edition"):
            # An action has at most a few calls in flight (a wide module's field groups): the smallest edition's
            # limit is enough, and spares the GET org call a connector makes to learn the org's (limits.py).
            mapping["max_concurrent_requests"] = min(EDITION_CONCURRENCY.values())
        return cls(ZohoClient(ZohoConfig.from_mapping(mapping), **client_options))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ZohoCRM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # reading
    def get_record(self, module: str, record_id: str) -> dict[str, Any] | None:
        """Every field of one record, subforms and multi-select lookups included; None when there is none."""
        return self.client.get_record(check_module(module), check_id(record_id, "record_id"))

    def list_records(self, module: str, *, fields: Sequence[str] | None = None, criteria: str | None = None,
                     sort_by: str | None = None, sort_order: str | None = None,
                     limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The module's records, to the end (past 2,000 and 100,000 rows) or `limit`.

        Zoho sorts by `id`, `Created_Time` and `Modified_Time` (other fields where the org allows it); the
        default, Modified_Time ascending, is the one order that reads past 100,000 rows (new windows).
        With `criteria` this is a search (at most 2,000 rows).
        """
        module = check_module(module)
        if criteria is not None:
            return self.search_records(module, criteria=criteria, fields=fields, sort_by=sort_by,
                                       sort_order=sort_order, limit=limit)
        # Zoho's pages disagree on which fields Get Records sorts by (docs/zoho-api/actions.md): any API name is
        # passed on, and Zoho's refusal names sort_by.
        sort_by = check_name(sort_by or MODIFIED_TIME, "sort_by")
        order = check_choice(sort_order or "asc", SORT_ORDERS, "sort_order")
        names = self._fields(module, fields)
        pages = self.client.iter_records(module, names, sort_by=sort_by, sort_order=order)
        return _rows(pages, check_limit(limit))

    def search_records(self, module: str, *, criteria: str | None = None, email: str | None = None,
                       phone: str | None = None, word: str | None = None, fields: Sequence[str] | None = None,
                       sort_by: str | None = None, sort_order: str | None = None,
                       limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Records matching one of `criteria`, `email`, `phone`, `word` (at most 2,000, Zoho's ceiling).

        Zoho's search takes no sort parameter, so `sort_by`/`sort_order` sort the whole result here, on any
        field: the result is at most 2,000 rows.
        """
        module = check_module(module)
        given = {k: v for k, v in (("criteria", criteria), ("email", email), ("phone", phone), ("word", word))
                 if v is not None}
        if len(given) != 1:
            raise UsageError("criteria", "give exactly one of criteria, email, phone or word")
        if criteria is not None:
            check_criteria(criteria)
        limit = check_limit(limit)
        pages = self.client.iter_search(module, criteria, self._fields(module, fields), email=email, phone=phone,
                                        word=word)
        if sort_by is None and sort_order is None:
            return _rows(pages, limit)
        order = check_choice(sort_order or "asc", SORT_ORDERS, "sort_order")
        rows = sort_rows(_rows(pages, None), sort_by or "id", descending=order == "desc")
        return iter(rows[:limit] if limit is not None else rows)

    def deleted_records(self, module: str, *, type: str = "all",  # noqa: A002 - Zoho's parameter name
                        limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Records in the recycle bin (`recycle`), deleted for good (`permanent`), or both (`all`)."""
        kind = check_choice(type, DELETED_TYPES, "type")
        module, limit = check_module(module), check_limit(limit)
        # with a limit, no page asked ahead that the listing may not read
        return _rows(self.client.iter_deleted(module, kind=kind, ahead=limit is None), limit)

    def coql(self, query: str, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Rows of a COQL query run as written (its ORDER BY, LIMIT, OFFSET), paged to the end or `limit`."""
        if not query or not query.strip():
            raise UsageError("query", "give a COQL query, e.g. \"select Last_Name from Leads where id is not null\"")
        return _rows(_query_checked(self.client.iter_coql_statement(query)), check_limit(limit))

    def get_note(self, note_id: str) -> dict[str, Any] | None:
        return self.client.get_record("Notes", check_id(note_id, "note_id"))

    def list_notes(self, *, parent: str | None = None, fields: Sequence[str] | None = None,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Notes of one record (`parent` "MODULE:ID", through its related list) or of the org (admins only)."""
        names = self._fields("Notes", fields)
        if parent is None:
            limit = check_limit(limit)
            return _rows(self._all_notes(names, ahead=limit is None), limit)
        module, record_id = check_parent(parent)
        return _rows(self.client.iter_related_notes(module, record_id, names), check_limit(limit))

    def _all_notes(self, fields: list[str], *, ahead: bool) -> Iterator[Page]:
        """Every note of the org, oldest change first, past 2,000: the Notes list has no page_token
        (docs/zoho-api/notes.md), so a COQL index of (id, Modified_Time) pages them, 2,000 a call, and the rows
        come from the Notes list by `ids`, 100 a call, as the source reads them."""
        for index in self.client.iter_note_changes(None, ahead=ahead):  # no index page ahead under a limit
            ids = [str(row["id"]) for row in index.records]
            found, calls = self.client.notes_by_ids(fields, ids)
            yield Page(records=[found[i] for i in ids if i in found], calls=index.calls + calls, more=index.more)

    # writing: one WriteOutcome per input record, in input order
    def create_records(self, module: str, records: Iterable[Mapping[str, Any]], *,
                       trigger: Sequence[str] = ()) -> Iterator[WriteOutcome]:
        module = check_module(module)
        return _written(records, lambda chunk: self.client.insert(module, chunk, trigger=trigger))

    def update_records(self, module: str, records: Iterable[Mapping[str, Any]], *,
                       trigger: Sequence[str] = ()) -> Iterator[WriteOutcome]:
        """Each record carries its `id` and the fields to change."""
        module = check_module(module)
        return _written(records, lambda chunk: self.client.update(module, chunk, trigger=trigger))

    def upsert_records(self, module: str, records: Iterable[Mapping[str, Any]], *,
                       duplicate_check_fields: Sequence[str] | None = None,
                       trigger: Sequence[str] = ()) -> Iterator[WriteOutcome]:
        """Insert or update, matching on `duplicate_check_fields` (Zoho's unique fields when None)."""
        module = check_module(module)
        return _written(records, lambda chunk: self.client.upsert(
            module, chunk, duplicate_check_fields=duplicate_check_fields, trigger=trigger))

    def delete_records(self, module: str, ids: Iterable[str]) -> Iterator[WriteOutcome]:
        module = check_module(module)
        checked = [check_id(i, "ids") for i in ids]
        return _written(checked, lambda chunk: self.client.delete(module, chunk))

    def clone_record(self, module: str, record_id: str, overrides: Mapping[str, Any] | None = None
                     ) -> WriteOutcome:
        """A copy of the record, with `overrides` applied (needed for unique fields such as Email)."""
        module, record_id = check_module(module), check_id(record_id, "record_id")
        return _single(lambda: self.client.clone(module, record_id, dict(overrides) if overrides else None))

    def convert_lead(self, lead_id: str, options: Mapping[str, Any] | None = None) -> WriteOutcome:
        """Convert a lead; `options` as Zoho takes them (`Deals`, `Accounts`, `Contacts`, `assign_to`, ...).

        The result's `id` is the new (or matched) contact's; `details` holds Zoho's `Contacts`, `Accounts` and
        `Deals` with their ids.
        """
        lead_id = check_id(lead_id, "lead_id")
        outcome = _single(lambda: self.client.convert_lead(lead_id, dict(options or {})))
        if outcome["id"] is None:
            outcome["id"] = converted_ids(outcome["details"]).get("Contacts")
        return outcome

    def create_notes(self, parent: str, notes: Iterable[Mapping[str, Any]]) -> Iterator[WriteOutcome]:
        """Notes (`Note_Title`, `Note_Content`) on the record `parent`, given as "MODULE:ID"."""
        module, record_id = check_parent(parent)
        linked = ({**note, "Parent_Id": note_parent(module, record_id)} for note in notes)
        return _written(linked, self.client.create_notes)

    def delete_notes(self, ids: Iterable[str]) -> Iterator[WriteOutcome]:
        checked = [check_id(i, "ids") for i in ids]
        return _written(checked, self.client.delete_notes)

    def _fields(self, module: str, fields: Sequence[str] | None) -> list[str]:
        """The fields asked for, checked as api_names; by default every field a list call returns."""
        if fields:
            return [check_name(f, "fields") for f in fields]
        return [f.api_name for f in self.client.fields(module) if f.data_type not in SINGLE_RECORD_ONLY]


# checks on what callers give, before it reaches a URL (design.md: values never reach a URL unescaped)
def check_module(name: str) -> str:
    return check_name(name, "module")


def check_name(name: str, argument: str) -> str:
    if not isinstance(name, str) or not MODULE_NAME.fullmatch(name):
        raise UsageError(argument, f"{name!r} is not a Zoho API name (letters, digits and underscores)")
    return name


def check_id(value: Any, argument: str) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not ZOHO_ID.fullmatch(text):
        raise UsageError(argument, f"{value!r} is not a Zoho record id (up to 19 digits)")
    return text


def check_parent(parent: str) -> tuple[str, str]:
    """"MODULE:ID" -> (module, id)."""
    module, sep, record_id = str(parent).partition(":")
    if not sep:
        raise UsageError("parent", f"{parent!r} is not MODULE:ID, e.g. Leads:5725767000000524157")
    return check_name(module, "parent"), check_id(record_id, "parent")


def check_choice(value: str, choices: Sequence[str], argument: str) -> str:
    if value not in choices:
        raise UsageError(argument, f"must be one of {', '.join(choices)}, not {value!r}")
    return value


def check_limit(limit: int | None) -> int | None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise UsageError("limit", f"must be a positive whole number, not {limit!r}")
    return limit


def check_criteria(criteria: str) -> str:
    """The shape of section 4: `(Field:operator:value)`, joined by and/or, every group parenthesised.

    Only what Zoho is sure to refuse is refused here (so no credit is spent on it); Zoho judges the rest.
    A backslash escapes the next character inside a value (escape_criteria_value).
    """
    text = criteria.strip()
    if not (text.startswith("(") and text.endswith(")")):
        raise UsageError("criteria", f"{criteria!r} must be (Field:operator:value) conditions in parentheses, "
                                     "e.g. (Email:equals:a@b.com)")
    depth, escaped = 0, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth < 0:
                break
    if depth != 0:
        raise UsageError("criteria", f"{criteria!r} has unbalanced parentheses; escape ( ) and , inside a value "
                                     "with a backslash")
    if text.count(":") < 2:
        raise UsageError("criteria", f"{criteria!r} has no Field:operator:value condition")
    return criteria


def sort_rows(rows: Iterable[dict[str, Any]], field: str, *, descending: bool = False) -> list[dict[str, Any]]:
    """Rows ordered on `field` as Zoho orders it: ids and numbers as numbers, datetimes as instants, lookups by
    name, text without case; rows without a value last in either order."""
    present: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for row in rows:
        (missing if row.get(field) in (None, "") else present).append(row)
    present.sort(key=lambda r: _sort_key(r[field]), reverse=descending)
    return present + missing


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("id") or ""
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    text = str(value)
    if ZOHO_ID.fullmatch(text):
        return (0, int(text))
    moment = _moment(text)
    return (1, moment.timestamp()) if moment else (2, text.casefold())


def _moment(text: str) -> datetime | None:
    if len(text) < 10 or text[4:5] != "-":
        return None
    try:
        return parse_datetime(text)
    except (TypeError, ValueError):
        return None


def _query_checked(pages: Iterator[Page]) -> Iterator[Page]:
    """The client checks a query's shape (coql.parse_query) as a connector config value; here it is an argument."""
    try:
        yield from pages
    except ConfigError as exc:
        raise UsageError("query", exc.message) from None


def _rows(pages: Iterable[Page], limit: int | None) -> Iterator[dict[str, Any]]:
    """Rows of `pages`; stops asking for pages once `limit` rows were taken."""
    rows = (row for page in pages for row in page.records)
    return islice(rows, limit) if limit is not None else rows


def _written(items: Iterable[Any], write: Callable[[list[Any]], list[WriteResult]]) -> Iterator[WriteOutcome]:
    """Send `items` 100 at a time (the client's chunk, section 8), yielding each chunk's results as it commits.

    A chunk that may or may not have reached Zoho (AmbiguousWriteError) is reported as such and not resent.
    """
    start = 0
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        try:
            results = write(chunk)
        except AmbiguousWriteError as exc:
            for offset in range(len(chunk)):
                yield _ambiguous(start + offset, exc)
        else:
            for result in results:
                yield outcome(result, start + result.index)
        start += len(chunk)


def _single(write: Callable[[], WriteResult]) -> WriteOutcome:
    try:
        return outcome(write(), 0)
    except AmbiguousWriteError as exc:
        return _ambiguous(0, exc)


def outcome(result: WriteResult, index: int) -> WriteOutcome:
    """The result line of one input record: {index, status, id, code, message, details} (+ action on upserts)."""
    line: WriteOutcome = {"index": index, "status": "success" if result.ok else "error", "id": result.id,
                          "code": result.code, "message": result.message, "details": result.details}
    if result.action:
        line["action"] = result.action
    return line


def _ambiguous(index: int, exc: AmbiguousWriteError) -> WriteOutcome:
    return {"index": index, "status": "error", "id": None, "code": exc.code or "AMBIGUOUS_WRITE",
            "message": exc.message, "details": {}}


def _read_config(path: Path) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(f"--config: cannot read {str(path)!r} ({exc.strerror or type(exc).__name__})") from None
    except ValueError as exc:
        raise ConfigError(f"--config: {str(path)!r} is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"--config: {str(path)!r} must hold a JSON object of the source's config keys")
    return data
