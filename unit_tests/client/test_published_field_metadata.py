"""Zoho's published sample of `settings/fields?module=Leads` through the real FieldMeta, schema and validator code.

The fixture is Zoho's own sample answer (fixtures/zoho_fields_leads_sample.json names the page); these tests hold
the facts of docs/zoho-api/fields.md: writability from `read_only` + `operation_type` (not `field_read_only`),
`json_type` over `data_type` where it names a structure, and `id` / Long Integer served as strings.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from destination_zoho_crm.catalog import module_operations
from destination_zoho_crm.operations import Operation
from destination_zoho_crm.validate import Validator
from source_zoho_crm.streams import module_stream
from zoho_crm_client import FieldMeta, field_schema, record_schema
from zoho_crm_client.models import ModuleMeta
from zoho_crm_client.schema import value_type

SAMPLE = Path(__file__).parent / "fixtures" / "zoho_fields_leads_sample.json"


@pytest.fixture(scope="module")
def fields() -> dict[str, FieldMeta]:
    raw = json.loads(SAMPLE.read_text())["fields"]
    return {f["api_name"]: FieldMeta.from_json(f) for f in raw}


def test_given_zohos_owner_when_read_then_it_is_writable_although_field_read_only(
        fields: dict[str, FieldMeta]) -> None:
    owner = fields["Owner"]
    assert owner.raw["field_read_only"] is True and owner.field_read_only
    assert (owner.read_only, owner.creatable, owner.updatable) == (False, True, True)


@pytest.mark.parametrize("name", ["Created_Time", "Full_Name", "Last_Activity_Time", "id", "Converted__s",
                                  "Formula_Decimal", "Data_Source", "Total_Notes_Added"])
def test_given_a_field_zoho_sets_itself_when_read_then_it_is_not_writable(fields: dict[str, FieldMeta],
                                                                          name: str) -> None:
    # operation_type false (Created_Time, Full_Name), or read_only for this user (Data_Source: api_create true)
    assert not fields[name].creatable and not fields[name].updatable


def test_given_salesiq_fields_field_read_only_with_operations_true_then_they_are_writable(
        fields: dict[str, FieldMeta]) -> None:
    assert fields["Last_Visited_Time"].creatable and fields["Visitor_Score"].updatable


def test_given_a_subform_whose_operations_say_false_then_it_is_still_writable(fields: dict[str, FieldMeta]) -> None:
    # Zoho's Insert Records page documents subform rows written through the Records API
    assert fields["Project_Details"].raw["operation_type"]["api_create"] is False
    assert fields["Project_Details"].creatable


def test_given_tag_text_with_json_type_jsonarray_then_it_is_typed_as_an_array(fields: dict[str, FieldMeta]) -> None:
    tag = fields["Tag"]
    assert (tag.data_type, tag.json_type, value_type(tag)) == ("text", "jsonarray", "jsonarray")
    schema = field_schema(tag)
    jsonschema.validate([{"name": "Hot", "id": "5725767000000800000", "color_code": "#F17574"}], schema)
    jsonschema.validate([], schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("Hot", schema)


def test_where_both_types_agree_on_the_kind_then_the_data_type_says_more(fields: dict[str, FieldMeta]) -> None:
    assert value_type(fields["checking_multi_picklist"]) == "multiselectpicklist"
    assert value_type(fields["Contact_Lookup"]) == "lookup"
    assert value_type(fields["Layout"]) == "layout"
    assert value_type(fields["Territories"]) == "jsonarray"  # a data type of its own, typed by its json_type
    assert value_type(fields["Total_Notes_Added"]) == "integer"  # rollup_summary, typed by its json_type


@pytest.mark.parametrize("name", ["id", "Wizard", "Visitor_Score"])
def test_given_bigint_fields_served_as_json_type_string_then_one_json_type_string(fields: dict[str, FieldMeta],
                                                                                   name: str) -> None:
    assert (fields[name].data_type, fields[name].json_type) == ("bigint", "string")
    assert field_schema(fields[name]) == {"type": ["null", "string"]}


def test_given_the_id_field_when_a_stream_is_built_then_the_key_stays_a_non_null_string(
        fields: dict[str, FieldMeta]) -> None:
    schemas = {f.api_name: field_schema(f) for f in fields.values()}
    assert module_stream("Leads", schemas).properties["id"] == {"type": "string"}
    assert record_schema(list(fields.values()))["properties"]["id"] == {"type": "string"}


def test_given_the_sample_when_the_destination_catalog_is_built_then_owner_and_tag_are_writable(
        fields: dict[str, FieldMeta]) -> None:
    leads = ModuleMeta(api_name="Leads", creatable=True, editable=True, deletable=True)
    ops = {op.sync_mode.value: op.json_schema for op in module_operations(leads, list(fields.values()))}
    for mode in ("append", "update"):
        assert {"Owner", "Tag"} <= set(ops[mode]["properties"])
        assert "Created_Time" not in ops[mode]["properties"]


def test_given_rows_setting_owner_and_tag_when_validated_then_nothing_is_refused(
        fields: dict[str, FieldMeta]) -> None:
    validator = Validator("Leads", fields.values())
    row = {"Last_Name": "Daly", "Owner": {"id": "5725767000000411001"}, "Tag": [{"name": "Hot"}]}
    assert validator.check(row, Operation.CREATE) == []
    assert validator.check({"Owner": {"email": "abc@zoho.com"}, "Tag": []}, Operation.UPDATE) == []
    refused = validator.check({"Tag": "Hot", "Created_Time": "2024-01-01T00:00:00+00:00"}, Operation.UPDATE)
    assert [r.field for r in refused] == ["Tag", "Created_Time"]
