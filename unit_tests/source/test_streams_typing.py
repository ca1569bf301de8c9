"""A stream's declared types hold on every path: the key stays a non-null string, a number Zoho might send in a
text column is emitted as its digits, Bulk Read's text cells stay text, and Tag is not asked of Bulk Read."""

from __future__ import annotations

from source_zoho_crm.config import SearchStreamConfig, SourceConfig
from source_zoho_crm.readers import bulk
from source_zoho_crm.streams import from_catalog, module_stream, search_stream
from zoho_crm_client import FieldMeta, field_schema

# Zoho's metadata lists `id` itself: data_type bigint, json_type string (docs/zoho-api/fields.md)
ID_FIELD = FieldMeta.from_json({"api_name": "id", "data_type": "bigint", "json_type": "string", "read_only": True})
TAG = FieldMeta.from_json({"api_name": "Tag", "data_type": "text", "json_type": "jsonarray"})
FIELDS = [ID_FIELD, TAG,
          FieldMeta.from_json({"api_name": "Wizard", "data_type": "bigint", "json_type": "string"}),
          FieldMeta.from_json({"api_name": "Visits", "data_type": "integer", "json_type": "integer"}),
          FieldMeta.from_json({"api_name": "Languages", "data_type": "multiselectpicklist", "json_type": "jsonarray"}),
          FieldMeta.from_json({"api_name": "Modified_Time", "data_type": "datetime", "json_type": "string"})]
SCHEMAS = {f.api_name: field_schema(f) for f in FIELDS}


def test_given_the_id_field_in_metadata_when_streams_are_built_then_the_key_is_a_non_null_string() -> None:
    assert module_stream("Leads", SCHEMAS).properties["id"] == {"type": "string"}
    search = search_stream(SearchStreamConfig(name="s", module="Leads", criteria="(Visits:equals:1)"), SCHEMAS)
    assert search.properties["id"] == {"type": "string"}


def test_given_numbers_in_text_columns_when_conformed_then_they_are_their_digits() -> None:
    stream = module_stream("Leads", SCHEMAS)
    row = stream.conform({"id": 5725767000000411001, "Wizard": 12, "Visits": 3, "Tag": [], "Modified_Time": None})
    assert row == {"id": "5725767000000411001", "Wizard": "12", "Visits": 3, "Tag": [], "Modified_Time": None}
    assert stream.conform({"id": "1", "Visits": True}) == {"id": "1", "Visits": True}


def test_given_a_bulk_read_csv_then_ids_and_long_integers_stay_text() -> None:
    stream = module_stream("Leads", SCHEMAS)
    assert bulk.converter(stream.properties["id"]) is None
    assert bulk.converter(stream.properties["Wizard"]) is None
    assert bulk.converter(stream.properties["Visits"])("42") == 42


def test_given_tag_when_a_bulk_read_is_planned_then_it_is_not_asked_for() -> None:
    stream = module_stream("Leads", SCHEMAS)
    assert bulk.exported(stream, ["Tag", "Languages", "Wizard", "Visits"]) == ["Languages", "Wizard", "Visits"]


def test_given_a_catalog_discovered_before_the_key_was_a_string_when_read_then_the_key_is_text() -> None:
    old = {"properties": {"id": {"type": ["null", "number", "string"]}, "Visits": {"type": ["null", "integer"]}}}
    stream = from_catalog("Leads", old, SourceConfig.from_mapping({}))
    assert bulk.converter(stream.properties["id"]) is None
    assert stream.conform({"id": 42})["id"] == "42"
