"""A destination table keyed by `id`, the way Airbyte's deduplicating destinations apply a source's output.

A record carrying a non-null `_ab_cdc_deleted_at` is a tombstone (design.md, "Source output") and removes its row;
any other record replaces the row with the same `id`. Applying the same record twice is harmless by construction,
which is the at-least-once contract of design.md ("Rules of the road").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DELETED_AT = "_ab_cdc_deleted_at"


class Replica:
    """One stream's rows after dedup; counts what it was fed so a scenario can report re-reads."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.received = 0
        self.tombstones = 0

    def apply(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.received += 1
            key = str(record["id"])
            if record.get(DELETED_AT):
                self.tombstones += 1
                self.rows.pop(key, None)
            else:
                self.rows[key] = record

    def __len__(self) -> int:
        return len(self.rows)
