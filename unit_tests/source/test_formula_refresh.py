"""formula_refresh's pure parts: which columns are formulas (Zoho's published field metadata), the bounded digest,
the config key (docs/source.md "Formula fields")."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from source_zoho_crm.config import SourceConfig, SourceConfigError
from source_zoho_crm.readers.formula_digest import MAX_BUCKETS, Digest, bucket_count, bucket_of, row_hash
from source_zoho_crm.readers.formulas import Entry, formula_names
from zoho_crm_client import FieldMeta

# Zoho's own sample of settings/fields?module=Leads (docs/zoho-api/fields.md [FM]); Formula_Decimal is its formula
SAMPLE = Path(__file__).parents[1] / "client" / "fixtures" / "zoho_fields_leads_sample.json"


def test_given_zohos_published_metadata_then_its_formula_is_the_one_column_refreshed() -> None:
    fields = [FieldMeta.from_json(f) for f in json.loads(SAMPLE.read_text())["fields"]]
    every = [f.api_name for f in fields]
    assert formula_names(fields, every) == ("Formula_Decimal",)
    assert formula_names(fields, [n for n in every if n != "Formula_Decimal"]) == ()  # not selected: not read


def test_bucket_count_is_a_bounded_power_of_two() -> None:
    assert [bucket_count(n) for n in (0, 1, 3, 100, 1024, 10**6)] == [1, 1, 4, 128, 1024, MAX_BUCKETS]


def test_the_same_values_read_over_rest_or_bulk_read_hash_alike() -> None:
    rest = row_hash("1", [412.0, "2024-05-01T10:15:00+05:30", True, None])
    bulk = row_hash("1", [412, "2024-05-01T04:45:00+00:00", True, None])
    assert rest == bulk and row_hash("1", [413.0, "2024-05-01T10:15:00+05:30", True, None]) != rest


def test_given_one_changed_row_then_only_its_bucket_differs() -> None:
    hashes = {str(i): row_hash(str(i), [i]) for i in range(300)}
    before = Digest.of(hashes, 512)
    hashes["7"] = row_hash("7", [8])
    assert Digest.of(hashes, 512).changed(before) == {bucket_of("7", 512)}
    assert Digest.of(dict(reversed(list(hashes.items()))), 512) == Digest.of(hashes, 512)  # any order
    assert before.changed(None) == set(range(512))


def test_a_digest_survives_the_state_and_garbage_does_not() -> None:
    digest = Digest.of({"1": 5, "2": 9}, 4)
    assert Digest.decode(digest.encode()) == digest
    assert len(Digest.of({}, MAX_BUCKETS).encode()) < 6000
    assert [Digest.decode(t) for t in ("", "not base64!", "AAAAAAAAAAAAAA==", 7)] == [None, None, None, None]


def test_an_entry_is_due_after_its_days_and_a_missing_one_at_once() -> None:
    now = datetime(2026, 1, 10, tzinfo=timezone.utc)
    entry = Entry.from_state({"refreshed_at": "2026-01-09T00:00:00+00:00", "fields": ["F"], "digest": None})
    assert entry.due(1, now) and not entry.due(2, now)
    assert Entry.from_state(None).due(30, now) and Entry.from_state({"refreshed_at": "x"}).due(30, now)
    assert Entry.from_state(entry.to_state()) == entry
    assert not Entry(now - timedelta(hours=1), (), None).due(0.5, now)


@pytest.mark.parametrize(("value", "days"), [(None, None), (0, None), (1, 1.0), (0.5, 0.5), (7, 7.0)])
def test_formula_refresh_is_off_or_a_number_of_days(value: object, days: float | None) -> None:
    assert SourceConfig.from_mapping({"formula_refresh": value}).formula_refresh == days


@pytest.mark.parametrize("value", [-1, "daily", True])
def test_a_formula_refresh_that_is_not_days_is_refused_by_name(value: object) -> None:
    with pytest.raises(SourceConfigError, match="formula_refresh"):
        SourceConfig.from_mapping({"formula_refresh": value})
