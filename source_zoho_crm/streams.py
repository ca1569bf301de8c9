"""Streams as data: one `StreamDef` per module, COQL query or search, built from Zoho's metadata.

Module streams come from `settings/modules` + `settings/fields` and a small override table (extra
columns Zoho's metadata does not describe); COQL and search streams from the config. At read time the
same definitions are rebuilt from the configured catalog, so no metadata call is needed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from airbyte_cdk.models import AirbyteStream, SyncMode

from source_zoho_crm.config import CoqlStreamConfig, SearchStreamConfig, SourceConfig
from zoho_crm_client.coql import parse_query
from zoho_crm_client.dates import parse_datetime
from zoho_crm_client.models import MODIFIED_TIME, ModuleMeta, parent_of_note
from zoho_crm_client.schema import PRIMARY_KEY_SCHEMA

CURSOR_FIELD = MODIFIED_TIME  # the client's one name for it (zoho_crm_client/models.py)
DELETED_AT = "_ab_cdc_deleted_at"

# The modules Get Records reads (docs/zoho-api/modules.md): Zoho's v8 Get Records page lists them, and custom
# modules (generated_type "custom") besides. settings/modules also lists system modules (Approvals, Attachments,
# Visits, Consents, `..__s` statistics) as api_supported and viewable, which Get Records refuses with 400
# INVALID_MODULE: a default catalog offers only these. Notes is read through its own list API (section 6).
RECORD_MODULES = frozenset({
    "Leads", "Accounts", "Contacts", "Deals", "Campaigns", "Tasks", "Cases", "Events", "Calls", "Solutions",
    "Products", "Vendors", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices",
    "Appointments__s", "Appointments_Rescheduled_History__s", "Services__s", "Activities", "Notes",
})
CUSTOM = "custom"


class Kind(enum.Enum):
    MODULE = "module"
    COQL = "coql"
    SEARCH = "search"
    SUBFORM = "subform"  # subform_streams.py
    ORG = "org"  # users, roles, profiles, ... (org_streams.py)


def _no_columns(row: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Override:
    """What a module's stream has beyond its field metadata: extra columns and how a row fills them."""

    extra_properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    always_request: tuple[str, ...] = ()  # fields read to derive the extra properties
    derive: Callable[[dict[str, Any]], dict[str, Any]] = _no_columns
    bulk_read: bool = True  # False when Bulk Read's CSV lacks what `derive` needs


def note_parent(row: dict[str, Any]) -> dict[str, Any]:
    """A note's parent as two plain columns; the client reads every shape Zoho sends (models.parent_of_note)."""
    module, parent_id = parent_of_note(row)
    return {"parent_module": module, "parent_id": parent_id}


def what_module(row: dict[str, Any]) -> dict[str, Any]:
    """An activity's `$se_module`, the module of its What_Id record (docs/zoho-api/modules.md M6): Zoho sends it
    beside What_Id, and without it the id alone does not say which table to join."""
    return {SE_MODULE: row.get(SE_MODULE)}


SE_MODULE = "$se_module"
NULLABLE_STRING = {"type": ["null", "string"]}
NO_OVERRIDE = Override()
OVERRIDES: dict[str, Override] = {
    # Read by readers/notes.py, never by Bulk Read (Zoho's Bulk Read lists no Notes; docs/zoho-api/notes.md).
    "Notes": Override(extra_properties={"parent_module": NULLABLE_STRING, "parent_id": NULLABLE_STRING},
                      always_request=("Parent_Id",), derive=note_parent,
                      bulk_read=False),  # the CSV has the parent's id, not its module (section 12.1)
    # Bulk Read's CSV is not known to carry $se_module (UNCONFIRMED): a bulk-read row has it null until it changes
    **dict.fromkeys(("Tasks", "Events", "Calls"),
                    Override(extra_properties={SE_MODULE: NULLABLE_STRING}, always_request=("What_Id",),
                             derive=what_module)),
    # Bulk Read's page lists the standard modules and custom ones, not these (docs/zoho-api/modules.md)
    **dict.fromkeys(("Appointments__s", "Appointments_Rescheduled_History__s", "Services__s", "Activities"),
                    Override(bulk_read=False)),
}
DELETED_COLUMN = {DELETED_AT: {"type": ["null", "string"], "format": "date-time"}}


@dataclass(frozen=True)
class StreamDef:
    name: str
    kind: Kind
    module: str
    properties: dict[str, dict[str, Any]]
    primary_key: tuple[str, ...] = ("id",)
    cursor_field: str | None = CURSOR_FIELD
    query: str | None = None
    criteria: str | None = None
    formula_refresh: float | None = None  # days; module streams only (config.formula_refresh)

    @property
    def override(self) -> Override:
        return OVERRIDES.get(self.module, NO_OVERRIDE) if self.kind is Kind.MODULE else NO_OVERRIDE

    @property
    def synthetic(self) -> frozenset[str]:
        """Columns the source computes; never requested from Zoho."""
        if self.kind is not Kind.MODULE:
            return frozenset()
        return frozenset(self.override.extra_properties) | {DELETED_AT}

    def fields_to_request(self, selected: Iterable[str]) -> list[str]:
        """Selected columns minus synthetic ones and `id` (always returned), plus what the read needs."""
        wanted = [f for f in selected if f not in self.synthetic and f != "id"]
        needed = self.override.always_request
        if self.kind is Kind.MODULE and self.cursor_field:
            needed = (*needed, self.cursor_field)
        return wanted + [f for f in needed if f not in wanted]

    @cached_property
    def text_columns(self) -> frozenset[str]:
        """Columns declared as text alone: the key and Long Integers (Zoho documents both as strings)."""
        return frozenset(name for name, schema in self.properties.items() if _text_only(schema))

    @cached_property
    def datetime_columns(self) -> frozenset[str]:
        return frozenset(name for name, schema in self.properties.items() if schema.get("format") == "date-time")

    def conform(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row as its schema declares it: a whole number Zoho may send in a text column (`id`, a Long Integer;
        docs/zoho-api/fields.md) is emitted as its digits, never through a float; a date-time is emitted in UTC.

        Zoho writes date-times in the API user's offset (docs/zoho-api.md section 0, `+05:30`); a destination that
        keeps timestamps without their offset (PyAirbyte's DuckDB cache) would store that wall-clock time as if it
        were UTC, so the instant is given in UTC (`2024-01-16T17:20:39+00:00`), which every destination reads alike.
        """
        # Every emitted row passes here (about 60 values each): the date-time columns are few, so they are looked up
        # by name, and the other values cost one type check each (benchmarks/profile_source.py).
        for name in self.datetime_columns:
            value = row.get(name)
            if isinstance(value, str) and not value.endswith("+00:00"):
                row[name] = _zoho_form_in_utc(value) or utc_text(value)
        text = self.text_columns
        for name, value in row.items():
            if type(value) is int and name in text:
                row[name] = str(value)
        return row

    def to_record(self, row: dict[str, Any]) -> dict[str, Any]:
        """A live row as emitted: Zoho's fields plus the synthetic columns."""
        if self.kind is not Kind.MODULE:
            return row
        row.update(self.override.derive(row))
        row[DELETED_AT] = None
        return row

    def airbyte_stream(self) -> AirbyteStream:
        incremental = self.cursor_field is not None
        return AirbyteStream(
            name=self.name,
            json_schema={"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                         "additionalProperties": True, "properties": self.properties},
            supported_sync_modes=[SyncMode.full_refresh, SyncMode.incremental] if incremental
            else [SyncMode.full_refresh],
            source_defined_cursor=incremental or None,
            default_cursor_field=[self.cursor_field] if self.cursor_field is not None else None,
            source_defined_primary_key=[[k] for k in self.primary_key] if self.primary_key else None,
            is_resumable=incremental,
        )


def _text_only(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types or []
    return [t for t in types if t != "null"] == ["string"] and "format" not in schema


def is_syncable(module: ModuleMeta) -> bool:
    """Offered by default: API-supported, viewable modules that Get Records reads (RECORD_MODULES, custom)."""
    readable = module.generated_type == CUSTOM or module.api_name in RECORD_MODULES
    return bool(module.api_supported and module.viewable and readable)


def module_stream(module: str, field_schemas: dict[str, dict[str, Any]]) -> StreamDef:
    override = OVERRIDES.get(module, Override())
    # `id` goes last: Zoho's field metadata lists `id` itself (bigint), which must not make the key nullable
    properties = {**field_schemas, **override.extra_properties, **DELETED_COLUMN, "id": dict(PRIMARY_KEY_SCHEMA)}
    return StreamDef(name=module, kind=Kind.MODULE, module=module, properties=properties)


def coql_stream(spec: CoqlStreamConfig, columns: dict[str, dict[str, Any]]) -> StreamDef:
    """`columns`: the client's schema of each selected column (lookups followed, aggregates numeric)."""
    return StreamDef(name=spec.name, kind=Kind.COQL, module=parse_query(spec.query).module, properties=columns,
                     primary_key=spec.primary_key, cursor_field=spec.cursor_field, query=spec.query)


def search_stream(spec: SearchStreamConfig, field_schemas: dict[str, dict[str, Any]]) -> StreamDef:
    properties = {**field_schemas, "id": dict(PRIMARY_KEY_SCHEMA)}
    return StreamDef(name=spec.name, kind=Kind.SEARCH, module=spec.module, properties=properties,
                     cursor_field=None, criteria=spec.criteria)


def from_catalog(name: str, json_schema: dict[str, Any], config: SourceConfig) -> StreamDef:
    """Rebuild a configured stream without metadata: its kind comes from the config, its columns from the catalog.
    The key is read as a string even under a catalog discovered before it was declared one (`id` was then
    number-or-string), so Bulk Read and `conform` keep it text."""
    from source_zoho_crm.subform_streams import from_catalog as subform_from_catalog  # noqa: PLC0415 - builds on this

    properties = {**(json_schema.get("properties") or {}), "id": dict(PRIMARY_KEY_SCHEMA)}
    for coql in config.coql_streams:
        if coql.name == name:
            return StreamDef(name=name, kind=Kind.COQL, module=parse_query(coql.query).module,
                             properties=properties, primary_key=coql.primary_key,
                             cursor_field=coql.cursor_field, query=coql.query)
    for search in config.search_streams:
        if search.name == name:
            return StreamDef(name=name, kind=Kind.SEARCH, module=search.module, properties=properties,
                             cursor_field=None, criteria=search.criteria)
    from source_zoho_crm.org_streams import org_stream_for  # here: org_streams builds on this module

    subform = subform_from_catalog(name, json_schema.get("properties") or {})
    return subform or org_stream_for(name, properties) or StreamDef(
        name=name, kind=Kind.MODULE, module=name, properties=properties, formula_refresh=config.formula_refresh)


def utc_text(value: str) -> str:
    """An ISO-8601 date-time as the same instant in UTC (the client's parser); anything unreadable as given."""
    quick = _zoho_form_in_utc(value)
    if quick is not None:
        return quick
    try:  # another ISO form with an offset by the C parser alone
        local = datetime.fromisoformat(value)
        if local.tzinfo is not None:
            return local.astimezone(timezone.utc).isoformat()
    except (ValueError, OverflowError):
        pass  # the client's parser says what else is readable
    moment = parse_datetime(value)
    return moment.isoformat() if moment is not None else value


# Zoho's own form, `2024-01-16T22:50:39+05:30` (25 characters), made UTC by arithmetic on its text: a row carries
# three or four date-times, and parsing, converting and printing each through datetime cost a date-time about 1.3 us
# (a tenth of a read's CPU, docs/benchmarks.md). Only the local day and offset go through datetime, once per pair;
# `HH:MM` is looked up among the day's 1,440 minutes and the seconds among 00-59, so no text the datetime path would
# refuse takes this one; any other form, or a day whose conversion fails, takes the datetime path
# (unit_tests/source/test_conform.py holds both paths to the same output).
_CLOCK = [f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)]  # minutes past midnight as `HH:MM`
_MINUTES = {clock: m for m, clock in enumerate(_CLOCK)}
_SECONDS = frozenset(f"{n:02d}" for n in range(60))
_SHAPES = frozenset({"T::+", "T::-"})  # the characters at 10, 13, 16 and 19
_UTC_DAYS: dict[str, tuple[str, str | None, int] | tuple[()]] = {}
_UTC_DAYS_KEPT = 4_096  # pairs of local day and offset: over ten years of days in one offset


def _zoho_form_in_utc(value: str) -> str | None:
    if len(value) != 25 or value[10:20:3] not in _SHAPES or value[17:19] not in _SECONDS:
        return None
    minutes = _MINUTES.get(value[11:16])
    if minutes is None:
        return None
    key = value[:10] + value[19:]
    day = _UTC_DAYS.get(key)
    if day is None:
        if len(_UTC_DAYS) >= _UTC_DAYS_KEPT:
            _UTC_DAYS.clear()
        day = _UTC_DAYS[key] = _utc_day(key[:10], key[10:])
    if not day:
        return None
    date, next_date, start = day
    minutes += start
    if minutes >= 1440:  # past midnight UTC
        if next_date is None:
            return None
        date, minutes = next_date, minutes - 1440
    return f"{date}T{_CLOCK[minutes]}{value[16:19]}+00:00"


def _utc_day(date: str, offset: str) -> tuple[str, str | None, int] | tuple[()]:
    """(UTC date of the local day's midnight, the date after it, the minutes past that UTC midnight), or () when
    datetime refuses the day or the offset, or the midnight falls outside its range or off a whole minute."""
    try:
        local = datetime.fromisoformat(f"{date}T00:00:00{offset}")
        if local.tzinfo is None:
            return ()
        midnight = local.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return ()
    if midnight.second or midnight.microsecond:
        return ()
    try:
        next_date: str | None = (midnight + timedelta(days=1)).date().isoformat()
    except OverflowError:
        next_date = None
    return midnight.date().isoformat(), next_date, midnight.hour * 60 + midnight.minute
