from __future__ import annotations

import logging

import pytest

from zoho_crm_client import FieldMeta, field_schema, record_schema
from zoho_crm_client.schema import TYPE_SCHEMAS

SECTION_2_2 = ["text", "email", "phone", "website", "autonumber", "profileimage", "mediumtext", "textarea",
               "picklist", "multiselectpicklist", "integer", "bigint", "double", "decimal", "currency", "percent",
               "boolean", "date", "datetime", "lookup", "ownerlookup", "userlookup", "multiselectlookup",
               "multiuserlookup", "subform", "fileupload", "imageupload", "formula", "RRULE", "ALARM",
               "multireminder", "event_reminder", "consent_lookup", "multi_module_lookup", "module", "layout",
               "linetax", "time_range"]


def meta(data_type: str, **raw: object) -> FieldMeta:
    return FieldMeta.from_json({"api_name": "F", "data_type": data_type, **raw})


@pytest.mark.parametrize("data_type", SECTION_2_2)
def test_every_type_of_section_2_2_has_a_schema(data_type: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        schema = field_schema(meta(data_type))
    assert schema and not caplog.records
    assert data_type in TYPE_SCHEMAS or data_type == "formula"


def test_key_shapes() -> None:
    assert field_schema(meta("bigint"))["type"] == ["null", "string"]
    assert field_schema(meta("datetime")) == {"type": ["null", "string"], "format": "date-time",
                                              "airbyte_type": "timestamp_with_timezone"}
    assert field_schema(meta("date"))["format"] == "date"
    assert field_schema(meta("lookup"))["properties"]["id"] == {"type": ["null", "string"]}
    assert field_schema(meta("multiselectpicklist"))["items"] == {"type": ["null", "string"]}


def test_formula_follows_its_return_type() -> None:
    assert field_schema(meta("formula", formula={"return_type": "double"}))["type"] == ["null", "number"]
    assert field_schema(meta("formula", formula={"return_type": "datetime"}))["format"] == "date-time"


def test_an_unknown_type_gets_a_permissive_schema_and_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert field_schema(meta("hologram")) == {}
    assert "hologram" in caplog.text


def test_an_unknown_type_with_a_known_json_type_uses_it() -> None:
    assert field_schema(meta("new_thing", json_type="jsonobject"))["type"] == ["null", "object"]


def test_record_schema_has_a_string_id() -> None:
    schema = record_schema([meta("integer")])
    assert schema["properties"]["id"] == {"type": "string"} and schema["properties"]["F"]["type"][1] == "integer"


def test_field_meta_reads_lookup_module_in_both_shapes_and_write_flags() -> None:
    assert meta("lookup", lookup={"module": {"api_name": "Accounts"}}).lookup_module == "Accounts"
    assert meta("lookup", lookup={"module": "Accounts"}).lookup_module == "Accounts"
    ro = meta("text", operation_type={"api_create": True, "api_update": False})
    assert (ro.creatable, ro.updatable) == (True, False)
    assert not meta("formula").creatable
