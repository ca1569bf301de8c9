"""The data classes the connectors receive: pages of records, write results, module and field metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from zoho_crm_client import redact

# THE cursor field: every module's record carries it, Get Records sorts by it and If-Modified-Since compares it
# (docs/zoho-api.md section 3.1); the source's state keeps it, the paging of get records advances on it.
MODIFIED_TIME = "Modified_Time"

# Who decided a record's result: Zoho's answer, a check before any call (the destination's validation), or a dry
# run that sent nothing. The destination's report prints it as "source".
Decider = Literal["zoho", "local", "dry_run"]


@dataclass(frozen=True)
class Position:
    """Where a Modified_Time keyset stands: the instant reached (inclusive) and the ids already read at it.

    The one name for those ids is `ids_at_cursor`, as in the source's saved state (docs/source-state.md);
    they are kept in the order they were read, so a caller that keeps only some keeps the latest.
    """

    moment: datetime | None = None
    ids_at_cursor: tuple[str, ...] = ()



@dataclass(frozen=True)
class Segment:
    """Rows a windowed read has emitted above its lowest unfinished window: Modified_Time from `start`
    (inclusive) up to `end` (rows before end.moment, and at it those in end.ids_at_cursor)."""

    start: datetime
    end: Position


@dataclass
class Page:
    """One page of rows, yielded as soon as it is read so the caller can emit it and checkpoint.

    `cursor_max` is the highest cursor value in `records` (for get records and deleted records: a UTC
    datetime; for COQL: the cursor column's value as Zoho returned it), `last_id` the id of the last row
    (COQL keyset), `calls` the HTTP calls this page cost (field groups and id fetches included) and
    `credits` what Zoho charged for them (section 11.3). `moments`, for get records, is each record's
    Modified_Time already parsed (UTC; None where unreadable), so that callers need not parse it again.
    """

    records: list[dict[str, Any]]
    cursor_max: Any = None
    moments: list[datetime | None] | None = None
    last_id: str | None = None
    calls: int = 1
    more: bool = False
    credits: int = 1
    position: Position | None = None  # get records: where the keyset stands after this page (paging.py)
    segments: tuple[Segment, ...] = ()  # a windowed read: what was read beyond `position` (windows.py)


@dataclass
class WriteResult:
    """The result of one input record, the one type from the client's write call to the destination's report.

    `index` is the record's position in the list the caller passed (0 for a result decided before any call);
    `id` is the record Zoho names (the new or written record on success; on a refusal, the id in Zoho's details,
    e.g. the existing duplicate); `details` is Zoho's `details` object (a convert's new ids, a refusal's field);
    `source` who decided (Decider).
    """

    index: int
    ok: bool
    code: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    action: str | None = None  # upsert: "insert" or "update"
    field: str | None = None  # the api_name Zoho blamed, when it named one
    source: Decider = "zoho"

    @classmethod
    def refused(cls, code: str, message: str, field: str | None = None, details: dict[str, Any] | None = None,
                *, source: Decider = "local", index: int = 0) -> WriteResult:
        """A refusal in Zoho's own vocabulary (section 8: code, message, details.api_name), by default one decided
        before sending (a local check that spares the call)."""
        return cls(index, False, code, message, dict(details or {}), field=field, source=source)

    @classmethod
    def from_item(cls, index: int, item: Any) -> WriteResult:
        """Map one element of a write answer's `data` (section 8)."""
        if not isinstance(item, dict):
            return cls(index, False, "INVALID_RESPONSE", f"Zoho answered {item!r} for this record")
        details = redact.mask_value(item.get("details")) if isinstance(item.get("details"), dict) else {}
        ok = item.get("status") == "success"
        return cls(index=index, ok=ok, code=str(item.get("code", "")), message=redact.mask(str(item.get("message", ""))),
                   details=details, id=_as_id(details.get("id")),
                   action=item.get("action"), field=_blamed_field(details))


def converted_ids(details: dict[str, Any]) -> dict[str, str]:
    """The records a lead conversion made or matched, by module: {"Contacts": id, "Accounts": id, "Deals": id}.

    Section 9.1: v8 answers `{"Contacts": {"name", "id"}, ...}` (OAS convert_lead.json Successful_Convert); older
    versions and the SDKs give plain ids; a module left out is null. Both shapes are read.
    """
    found = {}
    for module, value in details.items():
        record_id = value.get("id") if isinstance(value, dict) else value
        if isinstance(record_id, (str, int)) and not isinstance(record_id, bool) and str(record_id).isdigit():
            found[module] = str(record_id)
    return found


def note_parent(module: str, record_id: str) -> dict[str, Any]:
    """The v8 Parent_Id shape of a Note (section 6), what a write sends."""
    return {"module": {"api_name": module}, "id": str(record_id)}


def parent_of_note(note: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(module api_name, id) of a note's parent, from every shape Zoho has used (section 6): v8's Parent_Id
    {"module": {"api_name"}, "id"}, an older {"module": "Leads", "id"}, or v2's Parent_Id {"id"} (or a bare id)
    beside `$se_module` (`se_module` once a warehouse dropped the `$`). None where the note does not say."""
    given = note.get("Parent_Id")
    module, parent_id = None, given
    if isinstance(given, Mapping):
        inner = given.get("module")
        module = inner.get("api_name") if isinstance(inner, Mapping) else inner
        parent_id = given.get("id")
    module = module or note.get("$se_module") or note.get("se_module")
    return (str(module) if module else None, None if parent_id in (None, "") else str(parent_id))


def _as_id(value: Any) -> str | None:
    return None if value is None else str(value)


def _blamed_field(details: dict[str, Any]) -> str | None:
    name = details.get("api_name")
    if isinstance(name, str):
        return name
    errors = details.get("errors")  # MULTIPLE_OR_MULTI_ERRORS: name the first field
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        inner = errors[0].get("details")
        inner_name = inner.get("api_name") if isinstance(inner, dict) else None
        if isinstance(inner_name, str):
            return inner_name
    return None


@dataclass(frozen=True)
class FieldMeta:
    """One field of `settings/fields` (section 2.2), with the facts the connectors use; `raw` keeps the rest.

    Writability comes from `read_only` (read-only for this user) and `operation_type.api_create/api_update`,
    never from `field_read_only`: Zoho's sample Leads metadata marks `Owner` `field_read_only: true` with
    `api_create/api_update: true`, and its SDK sets Owner on insert (docs/zoho-api/fields.md, "Writability").
    """

    api_name: str
    data_type: str
    json_type: str | None = None
    label: str | None = None
    read_only: bool = False
    system_mandatory: bool = False
    creatable: bool = True
    updatable: bool = True
    unique: bool = False
    lookup_module: str | None = None
    formula_return_type: str | None = None
    length: int | None = None
    picklist_values: tuple[str, ...] = ()
    field_read_only: bool = False  # informational only: Zoho's own flag, not a bar to API writes
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FieldMeta:
        data_type = str(raw.get("data_type") or "")
        read_only = bool(raw.get("read_only")) or data_type in ("formula", "autonumber")
        creatable, updatable = _api_writes(raw, data_type, read_only)
        return cls(
            api_name=raw["api_name"], data_type=data_type, json_type=raw.get("json_type"),
            label=raw.get("field_label") or raw.get("display_label"), read_only=read_only,
            system_mandatory=bool(raw.get("system_mandatory")), creatable=creatable, updatable=updatable,
            unique=bool(raw.get("unique")), lookup_module=_lookup_module(raw.get("lookup")),
            formula_return_type=_formula_type(raw.get("formula")), length=_length(raw.get("length")),
            picklist_values=tuple(str(v.get("actual_value")) for v in _items(raw.get("pick_list_values"))
                                  if isinstance(v, dict)),
            field_read_only=bool(raw.get("field_read_only")), raw=raw,
        )


def _api_writes(raw: dict[str, Any], data_type: str, read_only: bool) -> tuple[bool, bool]:
    """(creatable, updatable) through the API. A missing `operation_type` key means writable.

    Subforms are the exception: Zoho's sample metadata gives them `api_create/api_update: false`, yet its Insert
    Records page documents writing subform rows through the Records API, so only `read_only` bars them.
    """
    if read_only:
        return False, False
    if data_type == "subform":
        return True, True
    ops = raw.get("operation_type")
    ops = ops if isinstance(ops, dict) else {}
    return ops.get("api_create", True) is not False, ops.get("api_update", True) is not False


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _length(value: Any) -> int | None:
    """Section 2.2 documents `length` as a number; a string of digits is read as one, anything else as none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _formula_type(formula: Any) -> str | None:
    return formula.get("return_type") if isinstance(formula, dict) else None


def _lookup_module(lookup: Any) -> str | None:
    # Section 2.2: lookup.module is {"api_name": ...}; older versions used a plain string.
    if not isinstance(lookup, dict):
        return None
    module = lookup.get("module")
    if isinstance(module, dict):
        return module.get("api_name")
    return module if isinstance(module, str) else None


@dataclass(frozen=True)
class ModuleMeta:
    """One module of `settings/modules` (section 2.1); `raw` keeps every key Zoho sent."""

    api_name: str
    generated_type: str = "default"
    api_supported: bool = True
    viewable: bool = True
    creatable: bool = False
    editable: bool = False
    deletable: bool = False
    convertable: bool = False
    status: str = "visible"
    singular_label: str | None = None
    plural_label: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ModuleMeta:
        return cls(
            api_name=raw["api_name"], generated_type=str(raw.get("generated_type") or "default"),
            api_supported=raw.get("api_supported", True) is not False, viewable=raw.get("viewable", True) is not False,
            creatable=bool(raw.get("creatable")), editable=bool(raw.get("editable")),
            deletable=bool(raw.get("deletable")), convertable=bool(raw.get("convertable")),
            status=str(raw.get("status") or "visible"), singular_label=raw.get("singular_label"),
            plural_label=raw.get("plural_label"), raw=raw,
        )
