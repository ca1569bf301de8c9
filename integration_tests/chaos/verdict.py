"""Compare what a sync produced with the emulator's truth (`/__emulator__/records/{module}`, design.md).

Four numbers per scenario, the columns of the reliability table:
- expected: rows the truth holds (live records of the module, or distinct input keys for a destination);
- received: records the connector emitted (source) or input keys found in Zoho (destination);
- lost: expected rows missing downstream, or present with an older `Modified_Time` than the truth (a lost update);
- duplicated: rows left over after dedup: ids the truth does not hold live (a deletion missed) for a source;
  extra Zoho records sharing one input key (a write committed twice) for a destination.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from integration_tests.chaos.replica import Replica


@dataclass(frozen=True)
class Verdict:
    expected: int
    received: int
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated

    def explain(self, limit: int = 5) -> str:
        return (f"expected {self.expected}, received {self.received}, lost {len(self.lost)} "
                f"{self.lost[:limit]}, duplicated {len(self.duplicated)} {self.duplicated[:limit]}")


def instant(value: Any) -> datetime | None:
    """A Zoho or Airbyte date-time as an aware UTC instant; offsets differ (docs/zoho-api.md section 0)."""
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def compare_source(replica: Replica, truth: dict[str, Any]) -> Verdict:
    """A replicated stream against the module's truth: every live row present and current, nothing else."""
    live = {str(r["id"]): r for r in truth["live"]}
    lost = sorted(key for key, row in live.items() if _stale(replica.rows.get(key), row))
    duplicated = sorted(key for key in replica.rows if key not in live)
    return Verdict(expected=len(live), received=replica.received, lost=lost, duplicated=duplicated)


def _stale(copy: dict[str, Any] | None, row: dict[str, Any]) -> bool:
    if copy is None:
        return True
    mine, theirs = instant(copy.get("Modified_Time")), instant(row.get("Modified_Time"))
    return mine is not None and theirs is not None and mine < theirs


def compare_writes(inputs: Iterable[dict[str, Any]], live: Iterable[dict[str, Any]], key: str) -> Verdict:
    """Records a destination was given against Zoho's live records, matched on `key` (e.g. Email).

    Each input must exist exactly once in Zoho, carrying the input's values for the fields it set.
    """
    wanted = {str(r[key]).lower(): r for r in inputs}
    found: dict[str, list[dict[str, Any]]] = {}
    for row in live:
        value = row.get(key)
        if value is not None and str(value).lower() in wanted:
            found.setdefault(str(value).lower(), []).append(row)
    lost = sorted(k for k, record in wanted.items() if not any(_carries(r, record, key) for r in found.get(k, [])))
    copies = Counter({k: len(rows) - 1 for k, rows in found.items() if len(rows) > 1})
    duplicated = sorted(copies.elements())
    return Verdict(expected=len(wanted), received=len(found), lost=lost, duplicated=duplicated)


def _carries(row: dict[str, Any], record: dict[str, Any], key: str) -> bool:
    """The key matched case-insensitively already; `_zoho_operation` and friends are instructions, not fields."""
    return all(row.get(name) == value for name, value in record.items() if name != key and not name.startswith("_"))
