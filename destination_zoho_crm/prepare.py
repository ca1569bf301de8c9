"""From one incoming row to a checked Item: operation, payload, local validation, identity tokens.

Metadata (modules, fields) is read once per module through the client's cache; a record rejected here costs no
API credit (issue 5: "rejected locally with the same kind of message Zoho would give").
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from destination_zoho_crm.batching import Item, identity_tokens, reference_tokens
from destination_zoho_crm.columns import ColumnMap, note_special
from destination_zoho_crm.matching import duplicate_check_fields
from destination_zoho_crm.operations import (
    DELETED_AT_COLUMN,
    OPERATION_COLUMN,
    TAG_OPERATIONS,
    Operation,
    record_operation,
    tombstone_problem,
    unsupported,
)
from destination_zoho_crm.payload import Payload, build
from destination_zoho_crm.streams import StreamTarget, check_target
from destination_zoho_crm.subform_rows import SubformRows
from destination_zoho_crm.validate import Validator
from zoho_crm_client import ZohoClient
from zoho_crm_client.models import ModuleMeta, WriteResult

DEALS = "Deals"
CONVERT_DEAL_EXTRAS = frozenset({"Contact_Role"})  # section 9.1: a convert-only key inside `Deals`
BODYLESS = frozenset({Operation.DELETE, Operation.CONVERT, *TAG_OPERATIONS})  # no module fields: no field metadata
KEYED = frozenset({Operation.CREATE, Operation.UPSERT})  # identified by duplicate-check values as well as id


class Preparer:
    def __init__(self, client: ZohoClient, targets: Iterable[StreamTarget]):
        self.client = client
        self.targets = list(targets)
        self._modules: dict[str, ModuleMeta] | None = None
        self._validators: dict[str, Validator] = {}
        self._subforms: dict[str, SubformRows] = {}
        self._keys: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, ColumnMap] = {}

    @property
    def modules(self) -> dict[str, ModuleMeta]:
        if self._modules is None:
            self._modules = {m.api_name: m for m in self.client.modules()}
        return self._modules

    def check_targets(self) -> None:
        """Fail before the first write when a stream's module or operation cannot work (streams.check_target).
        Field metadata is read only where matching keys need checking (a delete-only sync needs none)."""
        for target in self.targets:
            fields = self.client.fields(target.module) if target.operation is Operation.UPSERT else []
            check_target(target, self.modules, fields)

    def validator(self, module: str) -> Validator:
        if module not in self._validators:
            self._validators[module] = Validator(module, self.client.fields(module))
        return self._validators[module]

    def subforms(self, module: str) -> SubformRows:
        """The module's subform fields and their rows' rules (one settings/fields call per subform module)."""
        if module not in self._subforms:
            self._subforms[module] = SubformRows(self.validator(module).fields, self.client.fields)
        return self._subforms[module]

    def columns(self, target: StreamTarget) -> ColumnMap:
        """The stream's column map (columns.py); a stream whose default writes no fields needs no field metadata."""
        if target.stream not in self._columns:
            fields = [] if target.operation in BODYLESS else self.validator(target.module).fields.values()
            self._columns[target.stream] = ColumnMap(fields, note_special(target.module))
        return self._columns[target.stream]

    def item(self, target: StreamTarget, position: int, data: Mapping[str, Any]) -> tuple[Item, WriteResult | None]:
        """The Item for one row, and the reason to reject it locally (None when it may be sent)."""
        data = self.columns(target).apply(data)
        item = Item(target.stream, position, target.module, Payload(target.operation, _id(data)), record=data)
        try:
            operation = record_operation(data, target.operation)
        except ValueError as exc:
            return item, WriteResult.refused("INVALID_DATA", f"invalid data: {exc}", OPERATION_COLUMN,
                                   {"api_name": OPERATION_COLUMN})
        item.payload.operation = operation
        deleted = tombstone_problem(data, operation)
        if deleted:
            return item, WriteResult.refused("NOT_SUPPORTED", deleted, DELETED_AT_COLUMN, {"api_name": DELETED_AT_COLUMN})
        reason = unsupported(operation, target.module)
        if reason:
            return item, WriteResult.refused("NOT_SUPPORTED", reason, OPERATION_COLUMN, {"api_name": OPERATION_COLUMN})
        fields = {} if operation in BODYLESS else self.validator(target.module).fields
        payload = build(data, operation, target.module, fields)
        if isinstance(payload, WriteResult):
            return item, payload
        if operation not in BODYLESS:
            payload.body = self.subforms(target.module).conform(payload.body, operation)
        item.payload = payload
        unsendable = not_json(payload.body)
        if unsendable:
            return item, unsendable
        item.matching_keys = target.matching_keys if operation is Operation.UPSERT else ()
        keys = self._identity_keys(target.module) + item.matching_keys if operation in KEYED else ()
        if operation is Operation.UPSERT:
            unmatched = unmatchable(payload.body, item.matching_keys or keys)
            if unmatched:
                return item, unmatched
        item.tokens = identity_tokens(target.module, payload, keys)
        item.refs = reference_tokens(payload)
        return item, combine(self._problems(target.module, payload))

    def _problems(self, module: str, payload: Payload) -> list[WriteResult]:
        if payload.operation is Operation.DELETE or payload.operation in TAG_OPERATIONS:
            return []  # a tag action's tags were checked when its payload was built (tags.py)
        if payload.operation is Operation.CONVERT:
            deal = payload.body.get("Deals")
            if not isinstance(deal, Mapping):
                return []
            problems = self.validator(DEALS).check(deal, Operation.CREATE)
            return [p for p in problems if p.field not in CONVERT_DEAL_EXTRAS]
        return [*self.validator(module).check(payload.body, payload.operation),
                *self.subforms(module).check(payload.body, payload.operation)]

    def _identity_keys(self, module: str) -> tuple[str, ...]:
        if module not in self._keys:
            meta = self.modules.get(module)
            fields = self.client.fields(module)
            self._keys[module] = tuple(duplicate_check_fields(meta, fields)) if meta else ()
        return self._keys[module]


def not_json(body: Mapping[str, Any]) -> WriteResult | None:
    """NaN and Infinity parse from a source's JSON line but no JSON body can carry them: the request could not
    even be built (it would fail as if the connection had dropped)."""
    try:
        json.dumps(body, allow_nan=False)
    except ValueError:
        name = next((k for k, v in body.items() if _has_non_finite(v)), None)
        return WriteResult.refused("INVALID_DATA", "invalid data: NaN or Infinity is not a number JSON can carry; send null "
                         "or a number", name, {"api_name": name} if name else {})
    return None


def _has_non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(_has_non_finite(v) for v in value.values())
    return isinstance(value, list) and any(_has_non_finite(v) for v in value)


def unmatchable(body: Mapping[str, Any], keys: tuple[str, ...]) -> WriteResult | None:
    """An upsert whose every matching key is empty can match nothing, so Zoho inserts it (section 8), and again on
    every resend after a kill: a rerun would duplicate it. Rejected so the user fills the key or uses create."""
    keys = tuple(k for k in dict.fromkeys(keys) if k != "id")
    if not keys or any(body.get(k) not in (None, "", []) for k in keys):
        return None
    names = ", ".join(keys)
    return WriteResult.refused("MANDATORY_NOT_FOUND", f"required field not found: the matching key {names} is empty, so "
                     "the upsert could only insert, and would insert again each time the row is resent; fill it, "
                     "or write the row with the create operation", keys[0], {"api_name": keys[0]})


def combine(problems: list[WriteResult]) -> WriteResult | None:
    """One problem as is; several the way Zoho groups them (MULTIPLE_OR_MULTI_ERRORS, section 8)."""
    if len(problems) <= 1:
        return problems[0] if problems else None
    summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
    errors = [{"code": p.code, "message": p.message, "details": p.details} for p in problems]
    return WriteResult.refused("MULTIPLE_OR_MULTI_ERRORS", f"Multiple errors in the record: {summary}", problems[0].field,
                     {"errors": errors})


def _id(data: Mapping[str, Any]) -> str | None:
    value = data.get("id")
    return None if value in (None, "") else str(value)
