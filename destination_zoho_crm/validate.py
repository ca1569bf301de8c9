"""Local checks of a record against the module's field metadata, before any API credit is spent.

Each problem is reported the way Zoho reports it (docs/zoho-api.md section 8, per-record error items):
INVALID_DATA with `details.api_name` and `expected_data_type` / `maximum_length` / `supported_values`, or
MANDATORY_NOT_FOUND "required field not found". A field never writable through the API does not get here:
columns.py leaves such columns out with one log line per stream; a field that only this operation cannot write
(creatable, not updatable) is refused, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from destination_zoho_crm.operations import Operation
from zoho_crm_client.models import FieldMeta, WriteResult
from zoho_crm_client.schema import value_type

# Keys Zoho accepts in a write body that are not fields (section 8: `$append_values`).
BODY_KEYS = frozenset({"id", "$append_values"})
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DIGITS = re.compile(r"^\d{1,19}$")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_date(v: Any) -> bool:
    if not isinstance(v, str) or not DATE.match(v):
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _is_datetime(v: Any) -> bool:
    # section 0: any offset is accepted on input; a value without one is ambiguous, so it is malformed here.
    if not isinstance(v, str) or "T" not in v:
        return False
    try:
        return datetime.fromisoformat(v).tzinfo is not None
    except ValueError:
        return False


def _is_lookup(v: Any) -> bool:
    # section 8: lookups are written as {"id": "..."}; payload.py turns a bare id into that object.
    if isinstance(v, Mapping):
        v = v.get("id")
    return isinstance(v, (str, int)) and not isinstance(v, bool) and bool(DIGITS.match(str(v)))


def _is_user(v: Any) -> bool:
    # a user by id, or by email as Zoho's SDK sample sets Owner on insert (docs/zoho-api/fields.md, "Writability")
    if isinstance(v, Mapping) and v.get("id") is None and isinstance(v.get("email"), str):
        return bool(EMAIL.match(v["email"]))
    return _is_lookup(v)


# The client's value type (schema.value_type: json_type where it names a structure the data type does not, as
# `Tag`'s jsonarray) -> (check, expected_data_type as Zoho names it). Types not listed go to Zoho as given.
TYPE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    **dict.fromkeys(("text", "phone", "website", "textarea", "picklist", "mediumtext"), (
        lambda v: isinstance(v, str), "string")),
    "email": (lambda v: isinstance(v, str) and bool(EMAIL.match(v)), "email"),
    "integer": (_is_int, "integer"),
    "bigint": (lambda v: _is_int(v) or (isinstance(v, str) and bool(re.fullmatch(r"-?\d+", v))), "bigint"),
    **dict.fromkeys(("double", "decimal", "currency", "percent"), (_is_number, "double")),
    "boolean": (lambda v: isinstance(v, bool), "boolean"),
    "date": (_is_date, "date"),
    "datetime": (_is_datetime, "datetime"),
    "lookup": (_is_lookup, "jsonobject"),
    **dict.fromkeys(("ownerlookup", "userlookup"), (_is_user, "jsonobject")),
    **dict.fromkeys(("multiselectpicklist", "subform", "multiselectlookup", "multiuserlookup", "jsonarray"), (
        lambda v: isinstance(v, list), "jsonarray")),
    "jsonobject": (lambda v: isinstance(v, Mapping), "jsonobject"),
}


def invalid(api_name: str, why: str, **details: Any) -> WriteResult:
    return WriteResult.refused("INVALID_DATA", f"invalid data: {why}", api_name, {"api_name": api_name, **details})


def missing(api_name: str) -> WriteResult:
    return WriteResult.refused("MANDATORY_NOT_FOUND", "required field not found", api_name, {"api_name": api_name})


@dataclass(frozen=True)
class FieldRule:
    """What a value of one field must be, computed once per field (validation runs for every record)."""

    meta: FieldMeta
    check: Callable[[Any], bool] | None
    expected: str | None
    allowed: frozenset[str]

    @classmethod
    def of(cls, meta: FieldMeta) -> FieldRule:
        check, expected = TYPE_CHECKS.get(value_type(meta) or "", (None, None))
        return cls(meta, check, expected, picklist_values(meta))

    def problem(self, value: Any) -> WriteResult | None:
        """Type, length and picklist checks of one non-null value."""
        name = self.meta.api_name
        if self.check is not None and not self.check(value):
            return invalid(name, f"expected {self.expected}, got {value!r:.60}", expected_data_type=self.expected)
        length = self.meta.length
        if length and isinstance(value, str) and len(value) > length:
            return invalid(name, f"longer than {length} characters", maximum_length=length)
        if self.allowed:
            values = value if isinstance(value, list) else [value]
            # an object or a nested list in a multi-select is no picklist value (and cannot be looked up in a set)
            odd = next((v for v in values if not isinstance(v, str)), None)
            if odd is not None:
                return invalid(name, f"picklist values are strings, got {odd!r:.60}", expected_data_type="string",
                               supported_values=sorted(self.allowed))
            unknown = [v for v in values if v not in self.allowed]
            if unknown:
                return invalid(name, f"{unknown[0]!r} is not a value of the picklist",
                               supported_values=sorted(self.allowed))
        return None


class Validator:
    """Checks payloads for one module; built once per module from `client.fields(module)`."""

    def __init__(self, module: str, fields: Iterable[FieldMeta]):
        self.module = module
        self.fields = {f.api_name: f for f in fields}
        self.rules = {name: FieldRule.of(meta) for name, meta in self.fields.items()}
        self.mandatory = [name for name, f in self.fields.items() if f.system_mandatory]

    def check(self, payload: Mapping[str, Any], op: Operation) -> list[WriteResult]:
        """Every problem of one payload (empty when it may be sent); mandatory fields only matter on create."""
        problems = [p for name, value in payload.items() if (p := self._check_field(name, value, op))]
        if op is Operation.CREATE:
            problems += [missing(name) for name in self.mandatory if payload.get(name) in (None, "", [])]
        return problems

    def _check_field(self, name: str, value: Any, op: Operation) -> WriteResult | None:
        if name in BODY_KEYS:
            return None
        rule = self.rules.get(name)
        if rule is None:
            return invalid(name, f"{self.module} has no field with the api_name '{name}'")
        if not writable(rule.meta, op):
            return invalid(name, f"'{name}' is read-only in {self.module}", reason="read_only")
        if value is None:
            return None  # null clears a field; a missing mandatory value is checked separately
        return rule.problem(value)


def writable(meta: FieldMeta, op: Operation) -> bool:
    """FieldMeta's creatable/updatable: `read_only` and `operation_type`, never `field_read_only` (docs/zoho-api/
    fields.md, "Writability": Owner is field_read_only yet written through the API)."""
    if op is Operation.CREATE:
        return meta.creatable
    return meta.creatable or meta.updatable if op is Operation.UPSERT else meta.updatable


def picklist_values(meta: FieldMeta) -> frozenset[str]:
    """The actual values of a picklist field (section 2.2 `pick_list_values[].actual_value`)."""
    if meta.data_type not in ("picklist", "multiselectpicklist"):
        return frozenset()
    return frozenset(meta.picklist_values)
