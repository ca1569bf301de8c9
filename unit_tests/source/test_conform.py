"""`StreamDef.conform`, which every emitted row passes through, against its definition value by value: a whole
number in a text-only column becomes its digits, a date-time becomes the same instant in UTC (the client's
parser), anything else is left as it is."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from source_zoho_crm import streams
from source_zoho_crm.streams import module_stream, utc_text
from zoho_crm_client import FieldMeta, field_schema
from zoho_crm_client.dates import parse_datetime

FIELDS = [FieldMeta.from_json({"api_name": name, "data_type": kind, "json_type": json_type})
          for name, kind, json_type in [
              ("Wizard", "bigint", "string"), ("Visits", "integer", "integer"), ("City", "text", "string"),
              ("Modified_Time", "datetime", "string"), ("Created_Time", "datetime", "string"),
              ("Date_of_Birth", "date", "string"), ("Score", "double", "double")]]
STREAM = module_stream("Leads", {f.api_name: field_schema(f) for f in FIELDS})
VALUES = [None, True, 0, 7, 5725767000000411001, 2**70, 1.5, "", "x", "12", [], {"id": "1"},
          "2024-01-16T22:50:39+05:30", "2024-01-16T17:20:39+00:00", "2024-01-16T17:20:39Z", "2024-01-16T17:20:39z ",
          "2024-01-16T17:20:39", "2024-01-16", "0001-01-01T00:00:00+05:30", "9999-12-31T23:59:59-05:00",
          "2024-02-30T10:00:00+05:30", "not a date"]


def defined(name: str, value: Any) -> Any:
    schema = STREAM.properties.get(name, {})
    if type(value) is int and name in STREAM.text_columns:
        return str(value)
    if isinstance(value, str) and schema.get("format") == "date-time" and not value.endswith("+00:00"):
        moment = parse_datetime(value)
        return moment.isoformat() if moment is not None else value
    return value


def test_given_random_rows_when_conformed_then_every_value_is_its_definition() -> None:
    draw = random.Random(14)
    names = [*STREAM.properties, "Unknown_Column"]
    for _ in range(2000):
        row = {name: draw.choice(VALUES) for name in draw.sample(names, draw.randint(0, len(names)))}
        expected = {name: defined(name, value) for name, value in row.items()}
        assert STREAM.conform(dict(row)) == expected, row


@pytest.mark.parametrize("value", [v for v in VALUES if isinstance(v, str)])
def test_given_a_date_time_text_when_made_utc_then_it_is_the_client_parsers_instant(value: str) -> None:
    moment = parse_datetime(value)
    assert utc_text(value) == (moment.isoformat() if moment is not None else value)


def through_datetime(value: str) -> str:
    """utc_text as it was before Zoho's form got its own arithmetic: datetime's parser, then the client's."""
    try:
        local = datetime.fromisoformat(value)
        if local.tzinfo is not None:
            return local.astimezone(timezone.utc).isoformat()
    except (ValueError, OverflowError):
        pass
    moment = parse_datetime(value)
    return moment.isoformat() if moment is not None else value


DAYS = ["2024-02-29", "2023-02-29", "2024-12-31", "2025-01-01", "0001-01-01", "9999-12-31", "2023-W40-6",
        "2023-13-01", "2023-1-007", "\uff12\uff10\uff12\uff13-10-07"]
CLOCKS = ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "06:30:00", "18:29:59", "1a:00:00",
          "\u0661\u0661:00:00", " 1:00:00"]
OFFSETS = ["+05:30", "-03:30", "+05:45", "+12:45", "+14:00", "-12:00", "+00:00", "-00:00", "+23:59", "-23:59",
           "+24:00", "+05:60", "+0530x", "Z12345", "+05:3a"]


def test_given_zohos_date_time_form_when_made_utc_by_its_text_then_it_is_what_datetime_makes_of_it() -> None:
    # Zoho's form takes the arithmetic path (streams._zoho_form_in_utc); near misses of it, days and offsets that
    # datetime refuses or cannot convert, and every other form must come out as datetime's path made them
    draw = random.Random(14)
    for n in range(50_000):
        if n % 3:
            moment = datetime(1990, 1, 1) + timedelta(seconds=draw.randrange(60 * 365 * 86_400))
            value = moment.strftime("%Y-%m-%dT%H:%M:%S") + draw.choice(OFFSETS)
        else:
            value = f"{draw.choice(DAYS)}{draw.choice('TT t')}{draw.choice(CLOCKS)}{draw.choice(OFFSETS)}"
        if n % 997 == 0:
            streams._UTC_DAYS.clear()  # noqa: SLF001 - the cache is emptied as when it is full
        assert utc_text(value) == through_datetime(value), value
        assert STREAM.conform({"Modified_Time": value}) == {"Modified_Time": defined("Modified_Time", value)}
