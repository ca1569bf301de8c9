from __future__ import annotations

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok, zoho_error
from zoho_crm_client import note_parent

LEADS = f"{API}/crm/v8/Leads"


def ok(i: int, **extra: object) -> dict:
    return {"code": "SUCCESS", "status": "success", "message": "record added", "details": {"id": str(i)}, **extra}


def echo_ids(request, context) -> dict:
    body = request.json()
    context.status_code = 201
    return {"data": [ok(int(r["Last_Name"])) for r in body["data"]]}


def test_250_records_go_in_chunks_of_100_and_results_keep_input_order() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(LEADS, json=echo_ids)
        results = client().insert("Leads", [{"Last_Name": str(i)} for i in range(250)])
    assert [len(h.json()["data"]) for h in hit.request_history] == [100, 100, 50]
    assert [(r.index, r.id) for r in results] == [(i, str(i)) for i in range(250)]
    assert hit.request_history[0].json()["trigger"] == []


def test_a_trigger_is_passed_through() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(LEADS, json=echo_ids)
        client().insert("Leads", [{"Last_Name": "1"}], trigger=["workflow", "approval"])
    assert hit.last_request.json()["trigger"] == ["workflow", "approval"]


def test_a_request_level_error_applies_to_every_record_of_its_chunk_only() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(LEADS, [{"status_code": 201, "json": {"data": [ok(i) for i in range(100)]}},
                          {"status_code": 400, "json": zoho_error("INVALID_DATA", "body is not valid JSON")}])
        results = client().insert("Leads", [{"Last_Name": "x"}] * 103)
    assert all(r.ok for r in results[:100])
    assert [(r.index, r.ok, r.code) for r in results[100:]] == [(i, False, "INVALID_DATA") for i in (100, 101, 102)]


def test_multiple_errors_name_the_first_field() -> None:
    item = {"code": "MULTIPLE_OR_MULTI_ERRORS", "status": "error", "message": "Multiple errors",
            "details": {"errors": [{"code": "INVALID_DATA", "details": {"api_name": "Email"}},
                                   {"code": "MANDATORY_NOT_FOUND", "details": {"api_name": "Last_Name"}}]}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(LEADS, status_code=400, json={"data": [item]})
        result = client().insert("Leads", [{}])[0]
    assert (result.ok, result.code, result.field) == (False, "MULTIPLE_OR_MULTI_ERRORS", "Email")
    assert len(result.details["errors"]) == 2


def test_fewer_results_than_records_leave_no_record_without_an_outcome() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(LEADS, status_code=207, json={"data": [ok(1)]})
        results = client().insert("Leads", [{"Last_Name": "a"}, {"Last_Name": "b"}])
    assert [(r.ok, r.code) for r in results] == [(True, "SUCCESS"), (False, "INVALID_RESPONSE")]


def test_upsert_sends_duplicate_check_fields_and_reports_the_action() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(f"{LEADS}/upsert", json={"data": [ok(1, action="insert"), ok(2, action="update")]})
        results = client().upsert("Leads", [{"Email": "a"}, {"Email": "b"}], duplicate_check_fields=["Email"])
    assert hit.last_request.json()["duplicate_check_fields"] == ["Email"]
    assert [r.action for r in results] == ["insert", "update"]


def test_delete_sends_ids_with_workflows_off_by_default() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.delete(LEADS, json={"data": [
            {"code": "SUCCESS", "status": "success", "message": "record deleted", "details": {"id": "1"}},
            {"code": "NO_PERMISSION", "status": "error", "message": "permission denied",
             "details": {"id": "2", "permissions": ["Crm_Implied_Delete_Leads"]}}]})
        results = client().delete("Leads", ["1", "2"])
    assert hit.last_request.qs == {"ids": ["1,2"], "wf_trigger": ["false"]}
    assert [(r.ok, r.id) for r in results] == [(True, "1"), (False, "2")]


# The per-record error Zoho documents for a delete of an id that is not (or no longer) there: OAS v8.0/record.json
# (zoho/crm-oas) lists code INVALID_DATA with messages "record not deleted" and "the id given seems to be invalid.";
# docs/zoho-api/hostile.md cites it.
@pytest.mark.parametrize("message", ["record not deleted", "the id given seems to be invalid."])
def test_given_an_id_already_deleted_when_deleted_again_then_it_counts_as_done(message: str) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.delete(LEADS, json={"data": [
            {"code": "INVALID_DATA", "status": "error", "message": message, "details": {"id": "2"}},
            {"code": "INVALID_DATA", "status": "error", "message": "invalid data",
             "details": {"id": "3", "api_name": "Owner"}}]},
                    status_code=400)
        results = client().delete("Leads", ["2", "3", "x1"])
    # "x1" is no Zoho id: refused before the call (paths.py), so it is never taken for a record already gone
    assert [(r.ok, r.id, r.action) for r in results] == [(True, "2", "already deleted"), (False, "3", None),
                                                          (False, None, None)]
    assert mock.last_request.qs["ids"] == ["2,3"] and results[2].field == "id"


@pytest.mark.parametrize("status", [200, 202, 400])
def test_convert_lead_reads_data_0_whatever_the_status(status: int) -> None:
    item = ({"code": "SUCCESS", "status": "success", "message": "converted",
             "details": {"Contacts": {"id": "c"}, "Accounts": {"id": "a"}, "Deals": None}} if status == 200 else
            {"code": "ID_ALREADY_CONVERTED", "status": "error", "message": "id already converted", "details": {}})
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(f"{LEADS}/5/actions/convert", status_code=status, json={"data": [item]})
        result = client().convert_lead("5", {"Accounts": {"id": "a"}, "overwrite": True})
    assert hit.last_request.json() == {"data": [{"Accounts": {"id": "a"}, "overwrite": True}]}
    assert result.ok is (status == 200) and result.code == item["code"]


def test_convert_top_level_error_becomes_the_result() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(f"{LEADS}/5/actions/convert", status_code=400, json=zoho_error("ID_ALREADY_CONVERTED", "done"))
        result = client().convert_lead("5", {})
    assert (result.ok, result.code, result.index) == (False, "ID_ALREADY_CONVERTED", 0)


def test_clone_without_overrides_sends_no_body() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(f"{LEADS}/5/actions/clone", status_code=201, json={"data": [ok(6)]})
        result = client().clone("Leads", "5")
        client().clone("Leads", "5", {"Last_Name": "copy"})
    assert hit.request_history[0].body is None
    assert hit.request_history[1].json() == {"data": [{"Last_Name": "copy"}]}
    assert (result.ok, result.id) == (True, "6")


def test_notes_are_created_with_the_v8_parent_shape_and_deleted_by_ids() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        created = mock.post(f"{API}/crm/v8/Notes", status_code=201, json={"data": [ok(1)]})
        deleted = mock.delete(f"{API}/crm/v8/Notes", json={"data": [ok(1)]})
        client().create_notes([{"Parent_Id": note_parent("Leads", "77"), "Note_Content": "hi"}])
        client().delete_notes(["1"])
    assert created.last_request.json()["data"][0]["Parent_Id"] == {"module": {"api_name": "Leads"}, "id": "77"}
    assert deleted.last_request.qs == {"ids": ["1"]}
