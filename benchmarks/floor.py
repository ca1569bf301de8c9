"""The floor: the fewest API calls Zoho allows for a piece of work (issue 8).

Reads: pages of 200 records (docs/zoho-api.md 3.1, `per_page` <= 200), each page once per group of 50 fields
(`fields` <= 50 per call; `id` always comes back), an empty module still costs the one call that answers 204
(and no other field group),
and deletions one `deleted` call per 200 (section 5). Writes: 100 records per call (section 8). Bulk Read:
create, at least one status poll and one download per 200,000-row page (section 12.1).

Metadata: a read needs none, because the configured catalog carries every stream's fields; a write needs
`settings/fields` once per module, because docs/zoho-api.md section 8 allows only fields that metadata marks
writable.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import ceil
from typing import Any

PAGE = 200
FIELDS_PER_CALL = 50
WRITE_BATCH = 100
BULK_PAGE = 200_000
BULK_CALLS_PER_PAGE = 3  # create job, poll status, download result


def field_count(stream: dict[str, Any]) -> int:
    """Zoho fields a stream asks for: its schema's properties less `id` (always returned) and `_ab_` columns."""
    props = stream.get("json_schema", {}).get("properties", {})
    return sum(1 for name in props if name != "id" and not name.startswith("_ab_"))


def page_calls(records: int, fields: int) -> int:
    """An empty answer (204/304) to the first field group makes the other groups needless."""
    if records == 0:
        return 1
    return ceil(records / PAGE) * max(1, ceil(fields / FIELDS_PER_CALL))


def deleted_calls(deleted: int) -> int:
    return max(1, ceil(deleted / PAGE))


def read_floor(streams: Iterable[tuple[int, int, int]], *, include_deleted: bool = True) -> int:
    """Floor of a REST read; streams are (records, fields, deleted) per module."""
    streams = list(streams)
    calls = sum(page_calls(records, fields) for records, fields, _ in streams)
    if include_deleted:
        calls += sum(deleted_calls(deleted) for _, _, deleted in streams)
    return calls


def bulk_floor(records: int, deleted: int, *, include_deleted: bool = True) -> int:
    """Floor of a first sync of one module by Bulk Read; deletions still come from the REST `deleted` call."""
    calls = max(1, ceil(records / BULK_PAGE)) * BULK_CALLS_PER_PAGE
    return calls + (deleted_calls(deleted) if include_deleted else 0)


def write_floor(records: int, modules: int = 1) -> int:
    """Floor of writing records to modules: batches of 100 plus one `settings/fields` per module."""
    return ceil(records / WRITE_BATCH) + modules
