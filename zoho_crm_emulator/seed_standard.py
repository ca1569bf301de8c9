"""Values of the standard modules that hang together within a record, filled in after seed.py's per-field values
(docs/zoho-api/modules.md): an activity's end after its start, What_Id with the `$se_module` of its record,
reminders and recurrence as Zoho's samples write them, and line items priced from seeded Products.

Each function takes seed.Ctx (`org`, `rng`, `pools`) and the record's values by api_name, and completes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoho_crm_emulator import modules_standard as std
from zoho_crm_emulator.models import SE_MODULE

MINUTE = 60
REMINDERS = [[{"unit": 15, "period": "minutes"}], [{"unit": 1, "period": "hours"}],
             [{"unit": 15, "period": "minutes"}, {"unit": 1, "period": "days", "time": "10.30"}]]


def _pick(ctx: Any, seq: Any) -> Any:
    return seq[int(ctx.rng.random() * len(seq))]


def _ref(ctx: Any, module_name: str) -> dict[str, Any] | None:
    """A reference to a random record of an already seeded module, or None when it has none."""
    pool = ctx.pools.get(module_name)
    if not pool:
        return None
    module = ctx.org.modules[module_name]
    row = module.rows.get(_pick(ctx, pool))
    return module.ref(row) if row else None


def _what(ctx: Any, values: dict[str, Any]) -> None:
    """What_Id on a record of one of the modules Zoho allows, and `$se_module` naming that module."""
    name = _pick(ctx, [m for m in std.WHAT_MODULES if ctx.pools.get(m)] or [None])
    ref = _ref(ctx, name) if name else None
    values["What_Id"], values[SE_MODULE] = ref, name if ref else None


def _rrule(ctx: Any, start: int) -> dict[str, str]:
    from datetime import datetime, timedelta, timezone  # noqa: PLC0415 - only the few recurring activities need it

    day = datetime.fromtimestamp(start, timezone.utc).date()
    until = day + timedelta(days=7 * (1 + int(ctx.rng.random() * 4)))
    return {"RRULE": f"FREQ=WEEKLY;INTERVAL=1;DTSTART={day.isoformat()};UNTIL={until.isoformat()}"}


def events(ctx: Any, values: dict[str, Any]) -> None:
    start = values.get("Start_DateTime")
    values["All_day"] = ctx.rng.random() < 0.1
    values["End_DateTime"] = start + _pick(ctx, (30, 60, 90)) * MINUTE if start is not None else None
    _what(ctx, values)
    values["Remind_At"] = _pick(ctx, REMINDERS)
    values["Recurring_Activity"] = _rrule(ctx, start) if start is not None and ctx.rng.random() < 0.2 else None


def calls(ctx: Any, values: dict[str, Any]) -> None:
    minutes, seconds = 1 + int(ctx.rng.random() * 45), int(ctx.rng.random() * 60)
    values["Call_Duration"] = f"{minutes:02d}:{seconds:02d}"
    values["Call_Duration_in_seconds"] = minutes * 60 + seconds
    values["Outbound_Call_Status"] = "Completed" if values.get("Call_Type") == "Outbound" else None
    _what(ctx, values)


def tasks(ctx: Any, values: dict[str, Any]) -> None:
    """Tasks' What_Id points at Deals in this org (metadata.TASKS); `$se_module` says so. No random draw: the
    first modules' records stay as they were seeded before the other modules existed."""
    values[SE_MODULE] = "Deals" if values.get("What_Id") else None


def line_items(field: str) -> Callable[[Any, dict[str, Any]], None]:
    def fill(ctx: Any, values: dict[str, Any]) -> None:
        values[field] = [_line(ctx) for _ in range(1 + int(ctx.rng.random() * 3))]
        values["Discount"], values["Adjustment"] = 0.0, 0.0
    return fill


def _line(ctx: Any) -> dict[str, Any]:
    """One line item as Insert Records' Quote sample writes it, with the amounts Zoho computes."""
    quantity = float(1 + int(ctx.rng.random() * 20))
    price = round(10 + ctx.rng.random() * 990, 2)
    total = round(quantity * price, 2)
    return {"id": ctx.org.new_id(), "Product_Name": _ref(ctx, "Products"), "Quantity": quantity,
            "List_Price": price, "Discount": 0.0, "Total": total, "Total_After_Discount": total, "Tax": 0.0,
            "Net_Total": total, "Description": None, "Line_Tax": []}


DERIVED: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "Events": events, "Calls": calls, "Tasks": tasks,
    **{module: line_items(field) for field, module in std.LINE_ITEMS.items()},
}
