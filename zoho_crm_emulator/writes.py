"""Business rules of insert, update, upsert and delete (docs/zoho-api.md section 8).

Each function takes validated JSON items, holds `org.lock` for the whole batch, and returns one result item
per input element in input order; the HTTP status follows from the mix (`batch_status`).
"""

from __future__ import annotations

from typing import Any

from zoho_crm_emulator import formulas, subforms
from zoho_crm_emulator import modules_standard as std
from zoho_crm_emulator.metadata import api_writable
from zoho_crm_emulator.models import SE_MODULE, Module, Org, Row
from zoho_crm_emulator.validation import RecordError, coerce, invalid, mandatory_missing, record_id

ALL_TRIGGERS = ("workflow", "approval", "blueprint", "pathfinder", "orchestration")
LINE_ITEM_FIELDS = tuple(std.LINE_ITEMS)
IGNORED_KEYS = frozenset({"Layout", "se_module"})  # accepted and not stored by the emulator


def batch_status(items: list[dict[str, Any]], all_ok: int) -> int:
    """Section 8: all OK -> 201/200, mixed -> 207, all failed -> 400."""
    ok = sum(1 for item in items if item.get("status") == "success")
    if ok == len(items):
        return all_ok
    return 400 if ok == 0 else 207


def record_triggers(org: Org, trigger: list[str] | None) -> None:
    """Omitted `trigger` runs every automation; [] runs none (section 8). Counted per write call."""
    names = ALL_TRIGGERS if trigger is None else tuple(trigger)
    with org.lock:
        for name in names:
            org.triggers[name] += 1
        if not names:
            org.triggers["none"] += 1


def insert(org: Org, module: Module, items: list[Any], version: str = "v8") -> list[dict[str, Any]]:
    with org.lock:
        return [_guard(lambda i=i, item=item: _insert_one(org, module, item, i, version)) for i, item in
                enumerate(items)]


def update(org: Org, module: Module, items: list[Any], path_id: str | None = None,
           version: str = "v8") -> list[dict[str, Any]]:
    with org.lock:
        return [_guard(lambda i=i, item=item: _update_one(org, module, item, i, path_id, version)) for i, item in
                enumerate(items)]


def upsert(org: Org, module: Module, items: list[Any], dup_fields: list[str]) -> list[dict[str, Any]]:
    with org.lock:
        return [_guard(lambda i=i, item=item: _upsert_one(org, module, item, i, dup_fields)) for i, item in
                enumerate(items)]


def delete(org: Org, module: Module, ids: list[str]) -> list[dict[str, Any]]:
    now = org.now_epoch()
    out = []
    with org.lock:
        for rid in ids:
            if module.remove(rid, now) is None:
                out.append(RecordError("INVALID_DATA", "record not deleted", {"id": rid}).item())
            else:
                out.append({"code": "SUCCESS", "details": {"id": rid}, "message": "record deleted",
                            "status": "success"})
    return out


def _guard(action: Any) -> dict[str, Any]:
    try:
        return action()
    except RecordError as err:
        return err.item()


def _insert_one(org: Org, module: Module, item: Any, index: int, version: str) -> dict[str, Any]:
    values = prepare(org, module, item, index, version)
    check_mandatory(module, values, f"$.data[{index}]")
    check_unique(org, module, values, index)
    row = create_row(org, module, values)
    return success("record added", module, row)


def check_mandatory(module: Module, values: dict[int, Any], prefix: str) -> None:
    for fd in module.fields:
        if fd["system_mandatory"] and values.get(module.col[fd["api_name"]]) in (None, ""):
            raise mandatory_missing(fd["api_name"], f"{prefix}.{fd['api_name']}")


def _update_one(org: Org, module: Module, item: Any, index: int, path_id: str | None,
                version: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise invalid("data", f"$.data[{index}]")
    rid = path_id or item.get("id")
    if rid is None:
        raise mandatory_missing("id", f"$.data[{index}].id")
    row = module.rows.get(record_id(rid) or "")
    if row is None:
        raise invalid("id", f"$.data[{index}].id", "the id given seems to be invalid")
    values = prepare(org, module, item, index, version, old=row)
    check_unique(org, module, values, index, row[0])
    new = apply(org, module, row, values, item.get("$append_values") or {})
    return success("record updated", module, new)


def _upsert_one(org: Org, module: Module, item: Any, index: int, dup_fields: list[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise invalid("data", f"$.data[{index}]")
    for name in dup_fields:
        existing = module.find_unique(name, item.get(name))
        if existing:
            result = _update_one(org, module, {**item, "id": existing}, index, None, "v8")
            return {**result, "action": "update", "duplicate_field": name}
    return {**_insert_one(org, module, item, index, "v8"), "action": "insert", "duplicate_field": None}


def prepare(org: Org, module: Module, item: Any, index: int, version: str = "v8",
            prefix: str | None = None, old: Row | None = None) -> dict[int, Any]:
    """Validated values by column index; read-only fields are ignored, unknown ones rejected (strict, section 8).

    `prefix` is the json_path of the item when it is not `$.data[index]` (e.g. `$.data[0].Deals` in convert);
    `old` the record an update changes (its subform rows are what `id`s in the update may name).
    """
    prefix = prefix or f"$.data[{index}]"
    if not isinstance(item, dict):
        raise invalid("data", prefix)
    out: dict[int, Any] = {}
    for key, value in item.items():
        if key == "id" or key.startswith("$") or key in IGNORED_KEYS:
            continue
        fd = module.field(key)
        path = f"{prefix}.{key}"
        if fd is None:
            raise invalid(key, path)
        if not api_writable(fd):
            continue
        if fd["system_mandatory"] and value in (None, "", []):
            raise mandatory_missing(key, path)
        if module.api_name == "Notes" and key == "Parent_Id":
            out[module.col[key]] = note_parent(org, item, path)
        elif key == "What_Id" and SE_MODULE in module.col:
            out[module.col[key]], out[module.col[SE_MODULE]] = what_id(org, item, path)
        elif fd["data_type"] == "subform" and value is not None:
            out[module.col[key]] = subforms.edit(org, module, fd, value, path,
                                                 old[module.col[key]] if old is not None else None)
        else:
            out[module.col[key]] = coerce(org, fd, value, path)
    return out


def note_parent(org: Org, item: dict[str, Any], path: str) -> dict[str, Any]:
    """v8 `{"module":{"api_name"|"id"},"id"}` or v2 id string + `se_module` (section 6)."""
    value = item.get("Parent_Id")
    if isinstance(value, dict):
        module_ref = value.get("module") or {}
        rid = record_id(value.get("id"))
    else:
        module_ref = {"api_name": item.get("se_module") or item.get("$se_module")}
        rid = record_id(value)
    target = _module_by_ref(org, module_ref)
    row = target.rows.get(rid or "") if target else None
    if target is None or row is None:
        raise invalid("Parent_Id", path, "the related id given seems to be invalid")
    return {"module": {"api_name": target.api_name, "id": target.meta["id"]}, "name": target.display_name(row),
            "id": row[0]}


def what_id(org: Org, item: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str | None]:
    """An activity's What_Id `{"id"}` with `$se_module` naming its module (Insert Records samples)."""
    value = item.get("What_Id")
    if value is None:
        return None, None
    target = org.modules.get(str(item.get("$se_module") or item.get("se_module") or ""))
    rid = record_id(value.get("id") if isinstance(value, dict) else value)
    row = target.rows.get(rid or "") if target else None
    if target is None or row is None:
        raise invalid("What_Id", path, "the related id given seems to be invalid")
    return target.ref(row), target.api_name


def _module_by_ref(org: Org, ref: Any) -> Module | None:
    if not isinstance(ref, dict):
        return None
    if ref.get("api_name") in org.modules:
        return org.modules[ref["api_name"]]
    return next((m for m in org.modules.values() if m.meta["id"] == str(ref.get("id"))), None)


def check_unique(org: Org, module: Module, values: dict[int, Any], index: int, self_id: str | None = None,
                 prefix: str | None = None) -> None:
    for name in module.unique_fields:
        value = values.get(module.col[name])
        other = module.find_unique(name, value)
        if other and other != self_id:
            owner = module.rows[other][module.col["Owner"]] if "Owner" in module.col else None
            raise RecordError("DUPLICATE_DATA", "duplicate data", {
                "api_name": name, "json_path": f"{prefix or f'$.data[{index}]'}.{name}",
                "duplicate_record": {"id": other, "Owner": owner,
                                     "module": {"api_name": module.api_name, "id": module.meta["id"]}},
                "more_records": False})


def create_row(org: Org, module: Module, values: dict[int, Any], now: int | None = None) -> Row:
    row: Row = [None] * len(module.columns)
    row[0] = org.new_id()
    for i, value in values.items():
        row[i] = value.merge(None) if isinstance(value, subforms.Edit) else value
    subforms.renew(module, row)  # a new record's rows are new rows, a clone's too (section 10)
    user = org.known_user_ref(org.current_user["id"])
    col = module.col
    if "Owner" in col and row[col["Owner"]] is None:
        row[col["Owner"]] = user
    row[col["Created_By"]] = row[col["Modified_By"]] = user
    row[col["Created_Time"]] = row[col["Modified_Time"]] = org.now_epoch() if now is None else now
    recompute(module, row)
    module.put(row)
    return row


def apply(org: Org, module: Module, row: Row, values: dict[int, Any], append: dict[str, Any],
          now: int | None = None) -> Row:
    """A new row with values applied: every write bumps Modified_Time (section 14.3)."""
    new = list(row)
    for i, value in values.items():
        name = module.columns[i]
        if isinstance(value, subforms.Edit):
            value = value.merge(new[i])
        elif append.get(name) and isinstance(value, list) and isinstance(new[i], list):
            value = list(dict.fromkeys(new[i] + value))
        new[i] = value
    new[module.col["Modified_By"]] = org.known_user_ref(org.current_user["id"])
    new[module.col["Modified_Time"]] = org.now_epoch() if now is None else now
    recompute(module, new)
    module.put(new)
    return new


def recompute(module: Module, row: Row) -> None:
    """Formula, autonumber and system fields that Zoho computes on save."""
    col = module.col
    if "Full_Name" in col:
        row[col["Full_Name"]] = " ".join(p for p in (row[col["First_Name"]], row[col["Last_Name"]]) if p)
    if module.api_name == "Leads":
        row[col["Expected_Revenue"]] = _revenue(row[col["Budget"]], 100 - (row[col["Discount"]] or 0))
        row[col["Converted__s"]] = bool(row[col["Converted__s"]])
        row[col["Record_Status__s"]] = row[col["Record_Status__s"]] or "Available"
        if row[col["Lead_Number"]] is None:
            module.serial += 1
            row[col["Lead_Number"]] = f"LD-{module.serial:06d}"
    elif module.api_name == "Deals":
        row[col["Expected_Revenue"]] = _revenue(row[col["Amount"]], row[col["Probability"]])
        formulas.evaluate(module, row)
    else:
        _autonumber(module, row)
    subforms.attach(module, row)
    if "Grand_Total" in col:
        _totals(module, row)


def _autonumber(module: Module, row: Row) -> None:
    for fd in module.fields:
        if fd["data_type"] == "autonumber" and row[module.col[fd["api_name"]]] is None:
            module.serial += 1
            row[module.col[fd["api_name"]]] = f"{fd['auto_number']['prefix']}{module.serial:06d}"


def _totals(module: Module, row: Row) -> None:
    """An inventory record's totals from its line items, as Zoho computes them on save: Sub_Total is the sum of the
    lines' Net_Total; the record-level tax ($line_tax) is not emulated, so Tax is 0."""
    col = module.col
    field = next(name for name in LINE_ITEM_FIELDS if name in col)
    items = [_line_amounts(module, i) for i in row[col[field]] or [] if isinstance(i, dict)]
    row[col[field]] = items
    sub_total = round(sum(i["Net_Total"] for i in items), 2)
    row[col["Sub_Total"]], row[col["Tax"]] = sub_total, 0.0
    row[col["Grand_Total"]] = round(sub_total - (row[col["Discount"]] or 0) + (row[col["Adjustment"]] or 0), 2)


def _line_amounts(module: Module, item: dict[str, Any]) -> dict[str, Any]:
    """A line item with the amounts Zoho computes (Total, Total_After_Discount, Net_Total) and its own id."""
    number = [v if isinstance(v := item.get(k), int | float) else 0 for k in ("Quantity", "List_Price",
                                                                            "Discount", "Tax")]
    total = round(number[0] * number[1], 2)
    after = round(total - number[2], 2)
    return {**item, "id": item.get("id") or module.org.new_id(), "Total": total, "Total_After_Discount": after,
            "Net_Total": round(after + number[3], 2)}


def _revenue(amount: float | None, percent: float | None) -> float | None:
    return None if amount is None or percent is None else round(amount * percent / 100, 2)


def success(message: str, module: Module, row: Row) -> dict[str, Any]:
    rec = module.render(row, [module.col[n] for n in ("Created_Time", "Modified_Time", "Created_By", "Modified_By")])
    by = {k: {"name": rec[k]["name"], "id": rec[k]["id"]} for k in ("Created_By", "Modified_By")}
    return {"code": "SUCCESS", "details": {"id": row[0], "Created_Time": rec["Created_Time"],
                                           "Modified_Time": rec["Modified_Time"], **by,
                                           "$approval_state": "approved"},
            "message": message, "status": "success"}
