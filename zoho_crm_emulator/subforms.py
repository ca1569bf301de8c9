"""Subforms and line items (docs/zoho-api/subforms.md): a parent's subform field holds its rows; each subform has a
module of its own, listed by settings/modules (`generated_type: subform`), described by
`settings/fields?module={subform}`, and read by COQL `from {subform}` with `Parent_Id` (S3, S5).

Rows live inside their parent's record (a list of dicts in the parent's column), so nothing here holds state:
`SubformModule` is a read-only view over the parent module's rows, with the interface criteria.Table and
coql.py use (`field`, `live_records`, `get`). Writes go through `edit`: rows are validated against the subform's
fields (S8), new rows appended, rows named by `id` updated, rows with `_delete` removed, `[]` clears (S9).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import metadata
from zoho_crm_emulator.fieldspec import f
from zoho_crm_emulator.validation import RecordError, coerce, invalid, mandatory_missing, record_id

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.models import Module, Org, Row

DELETE = "_delete"  # Update Subform Data: `{"id": ..., "_delete": null}` removes that row (S9)


def _line_items() -> list[dict[str, Any]]:
    """The line-item fields Insert Records' Quote sample and the SDK's samples write (S6), plus the amounts Zoho
    computes on save."""
    return [
        f("Product_Name", "lookup", lookup="Products", mandatory=True), f("Quantity", "double"),
        f("List_Price", "currency"), f("Discount", "currency"), f("Total", "currency", read_only=True),
        f("Total_After_Discount", "currency", read_only=True), f("Tax", "currency", read_only=True),
        f("Net_Total", "currency", read_only=True), f("Description", "textarea", length=2000),
        f("Line_Tax", "linetax", json_type="jsonarray"),
    ]


# subform module -> (parent module, the parent's subform field, the subform's own fields without Parent_Id and id)
SUBFORMS: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "Quoted_Items": ("Quotes", "Quoted_Items", _line_items()),
    "Ordered_Items": ("Sales_Orders", "Ordered_Items", _line_items()),
    "Purchase_Items": ("Purchase_Orders", "Purchase_Items", _line_items()),
    "Invoiced_Items": ("Invoices", "Invoiced_Items", _line_items()),
    # a custom subform on Leads, shaped like the Subform API's `Languages` sample (S2)
    "Line_Items": ("Leads", "Line_Items", [f("Item", "text", length=255), f("Quantity", "integer")]),
}
BY_FIELD = {(parent, field): name for name, (parent, field, _) in SUBFORMS.items()}


def module_of(parent: str, field: str) -> str | None:
    """The subform module behind a parent's subform field (`associated_module.module` in its metadata)."""
    return BY_FIELD.get((parent, field))


@cache
def _served(name: str) -> tuple[dict[str, Any], ...]:
    parent, _field, table = SUBFORMS[name]
    specs = [*table, f("Parent_Id", "lookup", lookup=parent, read_only=True),
             f("id", "bigint", read_only=True, length=18)]
    return tuple(metadata.expand_table(name, specs))


def served_fields(name: str) -> list[dict[str, Any]] | None:
    """settings/fields?module={subform}: the subform's own fields, Parent_Id and id included; None: no subform."""
    return list(_served(name)) if name in SUBFORMS else None


class SubformModule:
    """A subform as COQL sees it: one record per row of every parent, with `id` and `Parent_Id` (S3)."""

    def __init__(self, org: Org, name: str):
        parent, self.parent_field, _ = SUBFORMS[name]
        self.org, self.api_name, self.parent = org, name, org.modules[parent]
        self.served_fields = served_fields(name) or []
        self._by_name = {fd["api_name"]: fd for fd in self.served_fields}

    def field(self, api_name: str) -> dict[str, Any] | None:
        return self._by_name.get(api_name)

    def live_records(self) -> list[dict[str, Any]]:
        with self.org.lock:
            parents = sorted(self.parent.rows.values(), key=lambda row: row[0])
        out = [row for parent in parents for row in rows_of(self.parent, parent, self.parent_field)]
        return sorted(out, key=lambda r: r["id"])

    def get(self, record_id: str) -> dict[str, Any] | None:
        return next((r for r in self.live_records() if r["id"] == str(record_id)), None)


def lookup(org: Org, name: str) -> SubformModule | None:
    return SubformModule(org, name) if name in SUBFORMS and SUBFORMS[name][0] in org.modules else None


def rows_of(parent: Module, row: Row, field: str) -> list[dict[str, Any]]:
    """A parent's rows of one subform, each with its `Parent_Id` as the Subform API's sample shows it (S2)."""
    ref = parent.ref(row)
    return [{**item, "Parent_Id": {"name": ref["name"], "id": ref["id"]}}
            for item in row[parent.col[field]] or [] if isinstance(item, dict)]


def attach(module: Module, row: Row) -> None:
    """Give every row of the record's subforms its own id and its parent (on save, like Zoho)."""
    for fd in module.fields:
        if fd["data_type"] != "subform" or module_of(module.api_name, fd["api_name"]) is None:
            continue
        i, ref = module.col[fd["api_name"]], module.ref(row)
        row[i] = [{**item, "id": item.get("id") or module.org.new_id(),
                   "Parent_Id": {"name": ref["name"], "id": ref["id"]}}
                  for item in row[i] or [] if isinstance(item, dict)]


def renew(module: Module, row: Row) -> None:
    """Forget the row ids of a new record's subform rows (a clone copies its source's rows), so `attach` gives
    them their own."""
    for fd in module.fields:
        i = module.col[fd["api_name"]]
        if fd["data_type"] == "subform" and isinstance(row[i], list):
            row[i] = [{k: v for k, v in item.items() if k not in ("id", "Parent_Id")} if isinstance(item, dict)
                      else item for item in row[i]]


class Edit(list[dict[str, Any]]):
    """Validated subform rows of one write, applied to the rows the record had by `merge` (S9)."""

    def merge(self, old: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        if not self:
            return []  # "Updation of subform records without any JSON objects deletes the subform information"
        rows = [dict(r) for r in old or [] if isinstance(r, dict)]
        by_id = {str(r.get("id")): r for r in rows}
        for item in self:
            target = by_id.get(str(item.get("id"))) if item.get("id") else None
            if target is None:
                rows.append({k: v for k, v in item.items() if k not in ("id", DELETE)})
            elif DELETE in item:
                rows.remove(target)
            else:
                target.update({k: v for k, v in item.items() if k != "id"})
        return rows


def edit(org: Org, parent: Module, field: dict[str, Any], value: Any, path: str,
         old: list[dict[str, Any]] | None) -> Edit | Any:
    """The rows of a write to a subform field, checked against the subform's metadata; a value for a subform
    the emulator has no module for (Price_Books' Pricing_Details) is kept as sent."""
    name = module_of(parent.api_name, field["api_name"])
    if name is None:
        return value
    if not isinstance(value, list):
        raise invalid(field["api_name"], path, expected_data_type="jsonarray")
    known = {str(r.get("id")) for r in old or [] if isinstance(r, dict)}
    return Edit(_row(org, name, item, f"{path}[{i}]", known) for i, item in enumerate(value))


def _row(org: Org, name: str, item: Any, path: str, known: set[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise invalid(name, path, expected_data_type="jsonobject")
    rid = item.get("id")
    if rid is not None and (record_id(rid) is None or str(rid) not in known):
        raise invalid("id", f"{path}.id", "the id given seems to be invalid")
    out: dict[str, Any] = {"id": str(rid)} if rid is not None else {}
    if rid is not None and DELETE in item:
        return {**out, DELETE: None}
    by_name = {fd["api_name"]: fd for fd in _served(name)}
    for key, value in item.items():
        if key in ("id", "Parent_Id", DELETE) or key.startswith("$"):
            continue
        fd = by_name.get(key)
        if fd is None:
            raise invalid(key, f"{path}.{key}")
        if not fd["read_only"]:
            out[key] = coerce(org, fd, value, f"{path}.{key}")
    if rid is None:
        _mandatory(name, out, path)
    return out


def _mandatory(name: str, values: dict[str, Any], path: str) -> None:
    for fd in _served(name):
        if fd["system_mandatory"] and values.get(fd["api_name"]) in (None, ""):
            raise mandatory_missing(fd["api_name"], f"{path}.{fd['api_name']}")


__all__ = ["DELETE", "SUBFORMS", "Edit", "RecordError", "SubformModule", "attach", "edit", "lookup", "module_of",
           "renew", "rows_of", "served_fields"]
