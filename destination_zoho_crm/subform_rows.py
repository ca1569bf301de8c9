"""Subform and line-item rows in a create, update or upsert (docs/zoho-api/subforms.md S7-S9; docs/destination.md,
"Line items and subforms").

Zoho takes a record's subform rows as an array of row objects in the parent's subform field, on insert and on
update alike. Each row is checked here against the subform module's own field metadata (`settings/fields?
module={subform}`), the way validate.py checks the record's fields: an unknown field, a value of the wrong type or
a new row without a mandatory field rejects that record, naming the row; the other records are still written.
What Zoho sets itself in a row (`Parent_Id`, read-only amounts such as `Net_Total`, `$` keys) is left out, so a
row read by the source's `{Module}__{Field}` stream can be sent back as it is. `id` (update that row) and
`_delete` (remove it) pass through: on update Zoho appends rows without an id and keeps rows not named (S9).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from destination_zoho_crm.operations import Operation
from destination_zoho_crm.validate import FieldRule, invalid, missing
from zoho_crm_client.models import FieldMeta, WriteResult
from zoho_crm_client.subforms import PARENT, subform_module

ROW_KEYS = frozenset({"id", "_delete"})  # Update Subform Data: a row's id, and `_delete: null` to remove it


class SubformRows:
    """The subform fields of one module, each with the rules of its subform module's fields."""

    def __init__(self, parent_fields: Mapping[str, FieldMeta], fields_of: Callable[[str], list[FieldMeta]]):
        self.rules: dict[str, dict[str, FieldRule]] = {}
        for name, meta in parent_fields.items():
            sub = subform_module(meta)
            if sub is not None:
                self.rules[name] = {f.api_name: FieldRule.of(f) for f in fields_of(sub) if f.api_name != "id"}

    def conform(self, body: dict[str, Any], op: Operation) -> dict[str, Any]:
        """The body with Zoho's own keys taken out of each subform row (they are not the writer's to set). On create
        a row's `id` is another record's row (a row read from the source): the new record's rows are new rows."""
        drop = ROW_KEYS if op is Operation.CREATE else frozenset()
        for name, rules in self.rules.items():
            rows = body.get(name)
            if isinstance(rows, list):
                body[name] = [_writable(row, rules, drop) if isinstance(row, Mapping) else row for row in rows
                              if not (drop and isinstance(row, Mapping) and "_delete" in row)]
        return body

    def check(self, body: Mapping[str, Any], op: Operation) -> list[WriteResult]:
        problems: list[WriteResult] = []
        for name, rules in self.rules.items():
            rows = body.get(name)
            if isinstance(rows, list):
                for i, row in enumerate(rows):
                    problems += _row_problems(name, i, row, rules, op)
        return problems


def _writable(row: Mapping[str, Any], rules: Mapping[str, FieldRule], drop: frozenset[str]) -> dict[str, Any]:
    def kept(key: str) -> bool:
        rule = rules.get(key)
        if key in ROW_KEYS:
            return key not in drop
        if key == PARENT or key.startswith("$"):
            return False
        return rule is None or not rule.meta.read_only  # unknown keys stay, for check() to name them
    return {k: v for k, v in row.items() if kept(k)}


def _row_problems(field: str, index: int, row: Any, rules: Mapping[str, FieldRule], op: Operation
                  ) -> list[WriteResult]:
    where = f"{field}[{index}]"
    if not isinstance(row, Mapping):
        return [invalid(field, f"{where} is {row!r:.60}, not a row object", expected_data_type="jsonobject",
                        json_path=where)]
    problems = []
    for key, value in row.items():
        if key in ROW_KEYS:
            continue
        rule = rules.get(key)
        if rule is None:
            problems.append(_at(invalid(key, f"the subform {field} has no field '{key}'"), where))
        elif value is not None and (problem := rule.problem(value)):
            problems.append(_at(problem, where))
    if row.get("id") in (None, ""):  # a new row, on create or appended by an update: Zoho's mandatory fields
        problems += [_at(missing(name), where) for name, rule in rules.items()
                     if rule.meta.system_mandatory and row.get(name) in (None, "", [])]
    return problems


def _at(problem: WriteResult, where: str) -> WriteResult:
    """A row's problem, named as Zoho's json_path names it (`Quoted_Items[1].Quantity`)."""
    path = f"{where}.{problem.field}"
    return WriteResult.refused(problem.code, f"{where}: {problem.message}", problem.field,
                     {**problem.details, "json_path": path})
