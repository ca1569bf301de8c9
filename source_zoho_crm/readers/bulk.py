"""Bulk Read for a module's first sync (issue 8 item 3; docs/zoho-api.md section 12.1).

One job exports up to 200,000 rows as CSV for 50 credits, where REST needs a call per 200 rows (per 50
fields). The client streams the CSV row by row; this module turns each row of strings back into the JSON
types of the stream's schema. Bulk Read rows differ from REST rows in one documented way: a lookup is
only its id (`{"id": "..."}`), without the name.

The rows of a job are in no particular order, so the cursor is saved once the job is read; the REST
read that follows starts from that cursor and catches what people changed while the job ran.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from source_zoho_crm.streams import CURSOR_FIELD, Kind, StreamDef
from zoho_crm_client import ZohoClient
from zoho_crm_client.dates import format_datetime

BATCH = 1000  # rows handed to the printing thread at once


@dataclass
class BulkBatch:
    """Looks like a client Page to the read loop. Its calls are not counted per stream: streams run in
    parallel on one client, so only the sync's total (client.stats) is exact."""

    records: list[dict[str, Any]]
    more: bool = True
    calls: int = 0
    credits: int = 0


class Plan(enum.Enum):
    NOW = "export the module before reading it over REST"
    IF_LARGE = "export the rest of the module if REST has not finished it after AUTO_AFTER_PAGES pages"


# `auto`: Zoho's list answers carry no total, so a module proves large by still having rows after 50 REST
# pages (10,000 rows): from there one 50-credit job per 200,000 rows beats a credit per 200 rows
# (docs/zoho-api.md section 11.3; the emulator charges Bulk Read 50 credits, Zoho's figure is UNCONFIRMED).
AUTO_AFTER_PAGES = 50


def choose(mode: str, stream: StreamDef, state: dict[str, Any]) -> Plan | None:
    """Bulk Read only for a module stream's first sync (no saved cursor); later syncs are small increments."""
    if stream.kind is not Kind.MODULE or not stream.override.bulk_read or state.get(CURSOR_FIELD):
        return None
    return {"always": Plan.NOW, "auto": Plan.IF_LARGE}.get(mode)


def exported(stream: StreamDef, fields: list[str]) -> list[str]:
    """Bulk Read does not export subforms, multi-select lookups and files (section 12.1): array-of-object columns.
    Nor is `Tag` asked for: its CSV form is undocumented, and its REST form is objects (docs/zoho-api/fields.md)."""
    return [f for f in fields if not _is_structured_array(stream.properties.get(f) or {})]


def batches(client: ZohoClient, stream: StreamDef, fields: list[str], since: datetime | None) -> Iterator[BulkBatch]:
    """Every row with Modified_Time >= since (all when None), typed, in batches."""
    criteria = None
    if since is not None:
        criteria = {"field": {"api_name": CURSOR_FIELD}, "comparator": "greater_equal",
                    "value": format_datetime(since)}
    # one converter per column, chosen once from the schema: a 200,000-row export has millions of cells
    converters: dict[str, Converter | None] = {}
    rows: list[dict[str, Any]] = []
    for row in client.bulk_read(stream.module, exported(stream, fields), criteria=criteria):
        typed_row = {}
        for key, value in row.items():
            if key not in converters:
                converters[key] = converter(stream.properties.get(key) or {})
            convert = converters[key]
            typed_row[key] = None if value == "" else convert(value) if convert else value
        rows.append(typed_row)
        if len(rows) == BATCH:
            yield BulkBatch(rows)
            rows = []
    yield BulkBatch(rows, more=False)


Converter = Callable[[str], Any]


def converter(schema: dict[str, Any]) -> Converter | None:
    """How a column's non-empty cells become the schema's JSON type (an empty cell is null); None: the text as
    it is. Lookups become `{"id": ...}`, multi-selects are split on ';'."""
    types = schema.get("type") or []
    types = [types] if isinstance(types, str) else types
    if "object" in types:
        return _lookup
    if "array" in types:
        return _multi_select
    if "boolean" in types:
        return _boolean
    if "integer" in types or "number" in types:
        return _number_or_text if "string" in types else _number
    return None


def _lookup(value: str) -> dict[str, str]:
    return {"id": value}


def _multi_select(value: str) -> list[str]:
    return value.split(";")


def _boolean(value: str) -> bool:
    return value.lower() == "true"


def _number_or_text(value: str) -> Any:
    return _number(value, may_be_text=True)


def _number(value: str, may_be_text: bool = False) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value if may_be_text else None
    return int(value) if number.is_integer() and "." not in value and "e" not in value.lower() else number


def _is_structured_array(schema: dict[str, Any]) -> bool:
    """An array whose items are not plain strings (a multi-select picklist's are; CSV joins them with ';')."""
    types = schema.get("type") or []
    item_types = (schema.get("items") or {}).get("type") or []
    item_types = [item_types] if isinstance(item_types, str) else item_types
    return "array" in types and [t for t in item_types if t != "null"] != ["string"]
