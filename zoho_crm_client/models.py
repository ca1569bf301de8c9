"""The data classes the connectors receive: pages of records, write results, module and field metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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


@dataclass
class WriteResult:
    """The outcome of one input record; `index` is its position in the list the caller passed."""

    index: int
    ok: bool
    code: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    action: str | None = None  # upsert: "insert" or "update"
    field: str | None = None  # the api_name Zoho blamed, when it named one

    @classmethod
    def from_item(cls, index: int, item: Any) -> WriteResult:
        """Map one element of a write answer's `data` (section 8)."""
        if not isinstance(item, dict):
            return cls(index, False, "INVALID_RESPONSE", f"Zoho answered {item!r} for this record")
        details = item.get("details") if isinstance(item.get("details"), dict) else {}
        ok = item.get("status") == "success"
        return cls(index=index, ok=ok, code=str(item.get("code", "")), message=str(item.get("message", "")),
                   details=details, id=_as_id(details.get("id")),
                   action=item.get("action"), field=_blamed_field(details))


def _as_id(value: Any) -> str | None:
    return None if value is None else str(value)


def _blamed_field(details: dict[str, Any]) -> str | None:
    if isinstance(details.get("api_name"), str):
        return details["api_name"]
    errors = details.get("errors")  # MULTIPLE_OR_MULTI_ERRORS: name the first field
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        inner = errors[0].get("details")
        if isinstance(inner, dict) and isinstance(inner.get("api_name"), str):
            return inner["api_name"]
    return None


@dataclass(frozen=True)
class FieldMeta:
    """One field of `settings/fields` (section 2.2), with the facts the connectors use; `raw` keeps the rest."""

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
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FieldMeta:
        ops = raw.get("operation_type") if isinstance(raw.get("operation_type"), dict) else {}
        data_type = str(raw.get("data_type") or "")
        read_only = bool(raw.get("read_only") or raw.get("field_read_only")
                         or data_type in ("formula", "autonumber"))
        return cls(
            api_name=raw["api_name"], data_type=data_type, json_type=raw.get("json_type"),
            label=raw.get("field_label") or raw.get("display_label"), read_only=read_only,
            system_mandatory=bool(raw.get("system_mandatory")),
            creatable=not read_only and ops.get("api_create", True) is not False,
            updatable=not read_only and ops.get("api_update", True) is not False,
            unique=bool(raw.get("unique")), lookup_module=_lookup_module(raw.get("lookup")),
            formula_return_type=_formula_type(raw.get("formula")), length=_length(raw.get("length")),
            picklist_values=tuple(str(v.get("actual_value")) for v in _items(raw.get("pick_list_values"))
                                  if isinstance(v, dict)),
            raw=raw,
        )


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
