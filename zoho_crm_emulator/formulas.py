"""Formulas over Now(): values that change while the record's Modified_Time stays (docs/zoho-api/formulas.md).

Zoho computes a formula when its record is saved; a formula over Now() (`formula.dynamic: true`, "automatically
refresh formula fields containing the Now function") is computed again when the record is read, and neither
moves Modified_Time. So an incremental reader that follows Modified_Time never sees such a value change.

Here Now() in a formula reads the org's formula clock: the midnight UTC ending the day the org was seeded, plus the
days a test advanced it (`POST /__emulator__/clock`). It never ticks on its own, so values hold still while a test
compares what a sync read with the ground truth, and an emulator seeded twice on one day serves the same data.
Advancing the clock recomputes every dynamic formula at once and stores it (rows are replaced, never mutated, and
Modified_Time is left as it was), so list, single GET, search, COQL and Bulk Read all serve the new value.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import timeutil

if TYPE_CHECKING:  # annotations only: models imports writes, which imports this module
    from zoho_crm_emulator.models import Module, Org, Row

DAY = 86400


def clock_start(now: float) -> int:
    """The midnight UTC that ends the day `now` falls in: where an org's formula clock starts. After every record
    seeded or created that day, so a day advanced is a day more for each of them."""
    day = datetime.fromtimestamp(now, timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(day.timestamp()) + DAY


def formula_now(org: Org) -> int:
    return org.formula_start + org.formula_days * DAY


def days_between(org: Org, start: int | None) -> float | None:
    """`Datecomp(Now(), start)/1440`: whole days from `start` to the formula clock (0 for a later record)."""
    if start is None:
        return None
    return float(int((formula_now(org) - start) / DAY))


def dynamic_fields(module: Module) -> list[str]:
    return [fd["api_name"] for fd in module.fields
            if fd["data_type"] == "formula" and (fd.get("formula") or {}).get("dynamic")]


def evaluate(module: Module, row: Row) -> None:
    """Store every dynamic formula of `row` (called on save and when the clock moves)."""
    col = module.col
    if "Days_In_Pipeline" in col:
        row[col["Days_In_Pipeline"]] = days_between(module.org, row[col["Created_Time"]])


def advance(org: Org, days: int) -> dict[str, Any]:
    """Move the formula clock by `days` (may be negative) and recompute the dynamic formulas of every record."""
    recomputed = 0
    with org.lock:
        org.formula_days += days
        for module in org.modules.values():
            if not dynamic_fields(module):
                continue
            for row in list(module.rows.values()):
                new = list(row)
                evaluate(module, new)
                if new != row:
                    module.put(new)
                    recomputed += 1
    return {"formula_now": timeutil.fmt(formula_now(org), org.tz), "advanced_days": org.formula_days,
            "recomputed": recomputed}


def describe(org: Org) -> dict[str, Any]:
    return {"formula_now": timeutil.fmt(formula_now(org), org.tz), "advanced_days": org.formula_days}
