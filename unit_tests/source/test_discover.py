from __future__ import annotations

import logging

import pytest
from airbyte_cdk.models import AirbyteMessageSerializer, SyncMode

from source_zoho_crm.config import SourceConfig, SourceConfigError
from source_zoho_crm.discover import Discovery, discover
from source_zoho_crm.streams import Kind
from unit_tests.source.fakes import FakeClient, datetime_field, module, text_field

LOG = logging.getLogger("test")
ORG_STREAMS = ["Users", "Roles", "Profiles", "Territories", "Org", "Currencies", "Layouts", "Tags"]


def module_names(found: Discovery) -> list[str]:
    """The module, COQL and search streams; the organisation streams come after them (org_streams.py)."""
    return [s.name for s in found.streams if s.kind is not Kind.ORG]


def org() -> FakeClient:
    fields = [text_field("Last_Name"), text_field("Email"), datetime_field("Modified_Time")]
    return FakeClient(
        modules_meta=[module("Leads"), module("Notes", status="system_hidden"), module("CustomModule1",
                      generated_type="custom"), module("Home", api_supported=False),
                      module("Leads_X_Contacts", generated_type="linking"), module("DealHistory",
                      generated_type="field_tracker"), module("Hidden", viewable=False)],
        fields_meta={"Leads": fields, "Notes": [text_field("Note_Title"), datetime_field("Modified_Time")],
                     "CustomModule1": fields},
    )


def test_given_an_org_when_discovering_then_each_syncable_module_is_a_stream_with_one_fields_call() -> None:
    client = org()

    found = discover(client, SourceConfig.from_mapping({}), LOG)

    assert module_names(found) == ["Leads", "Notes", "CustomModule1"]
    assert client.calls["modules"] == 1
    assert all(client.calls[f"fields:{m}"] == 1 for m in ("Leads", "Notes", "CustomModule1"))


def test_given_a_module_stream_then_it_is_incremental_on_modified_time_with_a_deleted_column() -> None:
    leads = discover(org(), SourceConfig.from_mapping({}), LOG).streams[0].airbyte_stream()

    assert leads.supported_sync_modes == [SyncMode.full_refresh, SyncMode.incremental]
    assert leads.default_cursor_field == ["Modified_Time"]
    assert leads.source_defined_primary_key == [["id"]]
    assert leads.json_schema["properties"]["_ab_cdc_deleted_at"] == {"type": ["null", "string"],
                                                                      "format": "date-time"}
    assert leads.json_schema["properties"]["Email"] == {"type": ["null", "string"]}


def test_given_notes_then_parent_module_and_parent_id_are_plain_columns() -> None:
    notes = discover(org(), SourceConfig.from_mapping({}), LOG).streams[1]

    assert {"parent_module", "parent_id", "Note_Title"} <= set(notes.properties)
    assert notes.fields_to_request(notes.properties) == ["Note_Title", "Modified_Time", "Parent_Id"]


def test_given_a_module_whose_fields_fail_when_discovering_then_it_is_reported_not_dropped_silently() -> None:
    client = org()
    client.failing_fields = {"CustomModule1"}

    found = discover(client, SourceConfig.from_mapping({}), LOG)

    assert "CustomModule1" not in module_names(found)
    trace = AirbyteMessageSerializer.dump(found.problems[0])["trace"]
    assert trace["type"] == "ERROR" and "CustomModule1" in trace["error"]["message"]


def test_given_a_modules_subset_when_discovering_then_only_those_are_fetched() -> None:
    client = org()

    found = discover(client, SourceConfig.from_mapping({"modules": ["Notes", "Nope"]}), LOG)

    assert module_names(found) == ["Notes"]
    assert client.calls["fields:Leads"] == 0


def test_given_coql_and_search_streams_then_their_schemas_come_from_the_selected_fields() -> None:
    config = SourceConfig.from_mapping({
        "modules": ["Leads"],
        "coql_streams": [{"name": "recent", "cursor_field": "Modified_Time",
                          "query": "select Last_Name, Owner.email, COUNT(id) as n, Modified_Time from Leads "
                                   "where Last_Name is not null"}],
        "search_streams": [{"name": "by_mail", "module": "Leads", "criteria": "(Email:equals:a@b.c)"}],
    })
    client = org()

    coql, search = [s for s in discover(client, config, LOG).streams if s.kind is not Kind.ORG][1:]

    assert coql.properties == {"id": {"type": ["string"]}, "Last_Name": {"type": ["null", "string"]},
                               "Owner.email": {}, "n": {"type": ["null", "number"]},
                               "Modified_Time": coql.properties["Modified_Time"]}
    assert coql.airbyte_stream().default_cursor_field == ["Modified_Time"]
    assert search.airbyte_stream().supported_sync_modes == [SyncMode.full_refresh]
    assert client.calls["fields:Leads"] == 1


def test_given_a_custom_stream_named_like_a_module_when_discovering_then_it_is_refused() -> None:
    config = SourceConfig.from_mapping({"search_streams": [{"name": "Leads", "module": "Leads",
                                                            "criteria": "(Email:equals:a@b.c)"}]})

    with pytest.raises(SourceConfigError, match="Leads"):
        discover(org(), config, LOG)


def test_given_system_modules_listed_as_api_supported_then_a_default_catalog_leaves_them_out() -> None:
    """docs/zoho-api/modules.md: Approvals, Attachments, Visits... are api_supported and viewable in
    settings/modules, yet Get Records refuses them."""
    client = org()
    client.modules_meta += [module(name) for name in ("Approvals", "Attachments", "Data_Enrichment_Stats__s")]

    found = discover(client, SourceConfig.from_mapping({}), LOG)

    assert module_names(found) == ["Leads", "Notes", "CustomModule1"]
    assert client.calls["fields:Approvals"] == 0


def test_given_modules_naming_a_module_beyond_the_documented_list_then_it_is_offered_with_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    client = org()
    client.modules_meta.append(module("Visits"))
    client.fields_meta["Visits"] = [text_field("Name")]

    found = discover(client, SourceConfig.from_mapping({"modules": ["Leads", "Visits", "Home"]}), LOG)

    assert module_names(found) == ["Leads", "Visits"]
    assert "Visits" in caplog.text and "incomplete" in caplog.text and "Home" in caplog.text


def test_given_an_org_then_the_organisation_streams_follow_and_tags_and_layouts_cover_the_module_streams() -> None:
    found = discover(org(), SourceConfig.from_mapping({}), LOG)

    org_streams = {s.name: s for s in found.streams if s.kind is Kind.ORG}
    assert list(org_streams) == ORG_STREAMS
    assert org_streams["Tags"].properties["module"]["enum"] == ["Leads", "CustomModule1"]  # Notes have no tags
    assert org_streams["Users"].airbyte_stream().default_cursor_field == ["Modified_Time"]
    assert org_streams["Layouts"].primary_key == ("module", "id")


def test_given_a_search_stream_named_users_then_it_keeps_the_name_and_the_users_stream_is_left_out(caplog) -> None:
    config = SourceConfig.from_mapping({"search_streams": [{"name": "Users", "module": "Leads",
                                                            "criteria": "(Email:equals:a@b.c)"}]})

    found = discover(org(), config, LOG)

    users = [s for s in found.streams if s.name == "Users"]
    assert [s.kind for s in users] == [Kind.SEARCH]
    assert any("Users" in r.getMessage() and "taken" in r.getMessage() for r in caplog.records)
