from __future__ import annotations

import pytest

from destination_zoho_crm.operations import Operation
from destination_zoho_crm.payload import Payload, build
from unit_tests.destination.fakes import FIELDS
from zoho_crm_client.models import WriteResult

LEAD_FIELDS = {f.api_name: f for f in FIELDS["Leads"]}
NOTE_FIELDS = {f.api_name: f for f in FIELDS["Notes"]}


def payload(record, op=Operation.CREATE, module="Leads") -> Payload:
    result = build(record, op, module, NOTE_FIELDS if module == "Notes" else LEAD_FIELDS)
    assert isinstance(result, Payload), result
    return result


def test_given_airbyte_metadata_and_control_columns_when_built_then_they_are_not_sent() -> None:
    built = payload({"Last_Name": "x", "_zoho_operation": "create", "_ab_cdc_deleted_at": None,
                     "_airbyte_raw_id": "r"})
    assert built.body == {"Last_Name": "x"}


def test_given_an_id_when_created_or_upserted_then_it_is_not_sent() -> None:
    assert payload({"id": "7", "Last_Name": "x"}).body == {"Last_Name": "x"}
    assert payload({"id": "7", "Last_Name": "x"}, Operation.UPSERT).body == {"Last_Name": "x"}


def test_given_an_update_when_built_then_the_id_is_in_the_body_as_a_string() -> None:
    built = payload({"id": 5725767000000524157, "First_Name": "y"}, Operation.UPDATE)
    assert built.body == {"First_Name": "y", "id": "5725767000000524157"}


@pytest.mark.parametrize("op", [Operation.UPDATE, Operation.DELETE, Operation.CONVERT, Operation.CLONE])
def test_given_no_id_when_the_operation_needs_one_then_the_record_is_rejected(op) -> None:
    result = build({"First_Name": "y"}, op, "Leads", LEAD_FIELDS)
    assert isinstance(result, WriteResult) and (result.code, result.field) == ("MANDATORY_NOT_FOUND", "id")


def test_given_a_delete_when_built_then_only_the_id_matters() -> None:
    built = payload({"id": "9", "Last_Name": "ignored", "Created_Time": "ignored"}, Operation.DELETE)
    assert (built.record_id, built.body) == ("9", {})


def test_given_a_bare_lookup_id_when_built_then_it_is_sent_as_an_object() -> None:
    assert payload({"Last_Name": "x", "Owner": "123"}).body["Owner"] == {"id": "123"}


def test_given_convert_columns_when_built_then_the_body_uses_zohos_v8_shapes() -> None:
    built = payload({"id": "1", "Deals": {"Deal_Name": "D"}, "assign_to": "55", "notify_lead_owner": True,
                     "Accounts": None, "First_Name": "ignored"}, Operation.CONVERT)
    assert built.body == {"notify_lead_owner": True, "assign_to": {"id": "55"}, "Deals": {"Deal_Name": "D"}}


@pytest.mark.parametrize("columns", [
    {"parent_module": "Deals", "parent_id": "77"},
    {"Parent_Id": {"module": {"api_name": "Deals"}, "id": "77"}},
    {"Parent_Id": {"module": "Deals", "id": "77", "name": "Big deal"}},
    {"Parent_Id": "77", "se_module": "Deals"},
    {"Parent_Id": {"name": "Big deal", "id": "77"}, "$se_module": "Deals"},
])
def test_given_a_note_parent_in_any_shape_when_built_then_zoho_gets_the_v8_object(columns) -> None:
    built = payload({"Note_Content": "c", **columns}, module="Notes")
    assert built.body == {"Note_Content": "c", "Parent_Id": {"module": {"api_name": "Deals"}, "id": "77"}}
    assert built.parent == ("Deals", "77")


def test_given_a_new_note_without_parent_when_built_then_it_is_rejected() -> None:
    result = build({"Note_Content": "c"}, Operation.CREATE, "Notes", NOTE_FIELDS)
    assert isinstance(result, WriteResult) and result.field == "Parent_Id"


def test_given_a_note_update_without_parent_when_built_then_it_is_fine() -> None:
    assert payload({"id": "3", "Note_Content": "c"}, Operation.UPDATE, module="Notes").body == {
        "Note_Content": "c", "id": "3"}
