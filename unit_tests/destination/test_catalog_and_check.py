from __future__ import annotations

import json

from destination_zoho_crm.catalog import build_catalog, catalog_message
from destination_zoho_crm.check import check_access
from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.spec import specification
from unit_tests.destination.fakes import FakeClient


def operations() -> dict[tuple[str, str], dict]:
    client = FakeClient()
    message = catalog_message(build_catalog(client.modules(), client.fields))
    assert message["type"] == "DESTINATION_CATALOG"
    json.dumps(message)  # serialisable as it is printed
    return {(op["object_name"], op["sync_mode"]): op for op in message["destination_catalog"]["operations"]}


def test_given_the_org_when_discovered_then_every_creatable_api_module_is_an_object() -> None:
    assert {name for name, _ in operations()} == {"Leads", "Contacts", "Deals", "Notes", "Custom_Module1"}


def test_given_leads_when_discovered_then_upsert_matches_on_email_and_delete_on_id() -> None:
    ops = operations()
    assert {mode for name, mode in ops if name == "Leads"} == {"append", "append_dedup", "update", "soft_delete"}
    assert ops[("Leads", "append_dedup")]["matching_keys"] == [["Email"]]
    assert ops[("Leads", "update")]["matching_keys"] == [["id"], ["Email"]]
    assert ops[("Leads", "soft_delete")]["json_schema"]["required"] == ["id"]
    assert ops[("Custom_Module1", "append_dedup")]["matching_keys"] == [["Name"]]


def test_given_leads_when_discovered_then_create_schema_has_writable_fields_and_mandatory_ones_required() -> None:
    schema = operations()[("Leads", "append")]["json_schema"]
    assert schema["required"] == ["Last_Name"]
    assert "Created_Time" not in schema["properties"] and "Full_Name" not in schema["properties"]
    assert schema["properties"]["No_of_Employees"]["type"] == ["null", "integer"]
    assert "_zoho_operation" in schema["properties"]


def test_given_notes_when_discovered_then_the_plain_parent_columns_are_offered() -> None:
    schema = operations()[("Notes", "append")]["json_schema"]
    assert {"parent_module", "parent_id", "Parent_Id"} <= set(schema["properties"])
    assert schema["required"] == ["Note_Content"]


def test_given_a_working_token_when_checked_then_no_problem() -> None:
    result = check_access(FakeClient(), DestinationConfig())
    assert result.failure is None and result.warnings == []


def test_given_a_stream_on_a_read_only_module_when_checked_then_the_user_reads_what_to_change() -> None:
    config = DestinationConfig.from_mapping({"streams": [{"name": "s", "module": "Readonly_Module"}]})
    assert "Stream 's': the module 'Readonly_Module' is not creatable" in check_access(FakeClient(), config).failure


def test_given_a_stream_on_an_unknown_module_when_checked_then_the_writable_modules_are_listed() -> None:
    config = DestinationConfig.from_mapping({"streams": [{"name": "Lead", "operation": "delete"}]})
    problem = check_access(FakeClient(), config).failure
    assert "'Lead' is not available" in problem and "Contacts, Custom_Module1, Deals, Leads, Notes" in problem


def test_given_the_spec_when_read_then_secrets_are_marked_and_overwrite_is_not_offered() -> None:
    spec = specification()
    props = spec.connectionSpecification["properties"]
    assert all(props[k]["airbyte_secret"] for k in ("client_id", "client_secret", "refresh_token"))
    assert [m.value for m in spec.supported_destination_sync_modes] == [
        "append", "append_dedup", "update", "soft_delete"]
