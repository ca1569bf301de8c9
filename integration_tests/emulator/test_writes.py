"""Section 8: insert, update, upsert, delete; per-record results in input order; 201/200/207/400; triggers."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import error_of

pytestmark = pytest.mark.usefixtures("fresh_org")


def _codes(resp):
    return [item["code"] for item in resp.json()["data"]]


def test_insert_all_ok_is_201_and_the_record_reads_back(api, emulator):
    resp = api.post("Leads", {"data": [{"Last_Name": "Daly", "First_Name": "Paul", "Email": "p@zylker.example",
                                        "No_of_Employees": 42, "Languages_Known": ["English", "German"],
                                        "Parent_Account": {"id": emulator.records("Accounts")["live"][0]["id"]},
                                        "Created_Time": "2001-01-01T00:00:00+00:00"}]})
    assert resp.status_code == 201
    item = resp.json()["data"][0]
    assert item["code"] == "SUCCESS" and item["message"] == "record added" and item["details"]["id"]
    record = api.get(f"Leads/{item['details']['id']}").json()["data"][0]
    assert record["Full_Name"] == "Paul Daly" and record["Parent_Account"]["name"]
    assert record["Created_Time"] == item["details"]["Created_Time"] != "2001-01-01T05:30:00+05:30"


def test_mixed_batch_is_207_with_results_in_input_order(api):
    resp = api.post("Leads", {"data": [
        {"Last_Name": "Ok"},
        {"First_Name": "No last name"},
        {"Last_Name": "X", "No_of_Employees": "many"},
        {"Last_Name": "X", "Lead_Status": "Unknown"},
        {"Last_Name": "X", "Bogus_Field": 1},
        {"Last_Name": "X", "Parent_Account": {"id": "5725767999999999999"}},
        {"Last_Name": "x" * 81},
    ]})
    assert resp.status_code == 207
    data = resp.json()["data"]
    assert _codes(resp) == ["SUCCESS", "MANDATORY_NOT_FOUND"] + ["INVALID_DATA"] * 5
    assert data[1]["details"] == {"api_name": "Last_Name", "json_path": "$.data[1].Last_Name"}
    assert data[2]["details"] == {"expected_data_type": "integer", "api_name": "No_of_Employees",
                                  "json_path": "$.data[2].No_of_Employees"}
    assert data[3]["details"]["api_name"] == "Lead_Status" and "Contacted" in data[3]["details"]["supported_values"]
    assert data[4]["details"] == {"api_name": "Bogus_Field", "json_path": "$.data[4].Bogus_Field"}
    assert data[5]["details"]["api_name"] == "Parent_Account"
    assert data[6]["details"]["maximum_length"] == 80


def test_all_failed_is_400_with_data(api):
    resp = api.post("Deals", {"data": [{"Deal_Name": "No stage"}]})
    assert resp.status_code == 400
    assert resp.json()["data"][0]["details"]["api_name"] == "Stage"


def test_unique_fields_give_duplicate_data(api, emulator):
    existing = emulator.records("Accounts")["live"][0]["Account_Name"]
    resp = api.post("Accounts", {"data": [{"Account_Name": existing.upper()}]})
    item = resp.json()["data"][0]
    assert resp.status_code == 400 and item["code"] == "DUPLICATE_DATA"
    assert item["details"]["api_name"] == "Account_Name" and item["details"]["duplicate_record"]["id"]


@pytest.mark.parametrize("body, status, code", [
    ({}, 400, "MANDATORY_NOT_FOUND"),
    ({"data": []}, 400, "MANDATORY_NOT_FOUND"),
    ({"data": [{"Last_Name": "x"}], "trigger": ["nonsense"]}, 400, "INVALID_DATA"),
])
def test_request_level_write_errors(api, body, status, code):
    assert error_of(api.post("Leads", body))[:2] == (status, code)


def test_more_than_100_records_is_limit_exceeded_inside_data(api):
    resp = api.post("Leads", {"data": [{"Last_Name": str(i)} for i in range(101)]})
    assert resp.status_code == 400
    assert resp.json() == {"data": [{"code": "LIMIT_EXCEEDED", "details": {"maximum_length": 100, "api_name": "data"},
                                     "message": "count of records in your request exceeds the limit",
                                     "status": "error"}]}


def test_update_bumps_modified_time_and_ignores_read_only(api, emulator):
    before = emulator.records("Contacts")["live"][0]
    resp = api.put("Contacts", {"data": [{"id": int(before["id"]), "Title": "CTO", "Full_Name": "ignored"},
                                         {"Title": "no id"}, {"id": "5725767999999999999", "Title": "x"}]})
    assert resp.status_code == 207
    data = resp.json()["data"]
    assert data[0]["message"] == "record updated"
    assert data[1]["details"] == {"api_name": "id", "json_path": "$.data[1].id"}
    assert data[2]["code"] == "INVALID_DATA" and data[2]["details"]["api_name"] == "id"
    after = api.get(f"Contacts/{before['id']}").json()["data"][0]
    assert after["Title"] == "CTO" and after["Full_Name"] == before["Full_Name"]
    assert after["Modified_Time"] > before["Modified_Time"]


def test_update_one_by_path(api, emulator):
    rid = emulator.records("Deals")["live"][0]["id"]
    resp = api.put(f"Deals/{rid}", {"data": [{"Amount": 10, "Probability": 50}]})
    assert resp.status_code == 200
    assert api.get(f"Deals/{rid}").json()["data"][0]["Expected_Revenue"] == 5.0


def test_upsert_updates_on_the_duplicate_check_field_and_inserts_otherwise(api, emulator):
    email = emulator.records("Leads")["live"][0]["Email"]
    resp = api.post("Leads/upsert", {"data": [{"Last_Name": "Up", "Email": email},
                                              {"Last_Name": "New", "Email": "new@x.example"}],
                                     "duplicate_check_fields": ["Email"]})
    assert resp.status_code == 200
    first, second = resp.json()["data"]
    assert (first["action"], first["duplicate_field"]) == ("update", "Email")
    assert (second["action"], second["duplicate_field"]) == ("insert", None)
    bad = api.post("Leads/upsert", {"data": [{"Last_Name": "x"}], "duplicate_check_fields": ["Phone"]})
    assert error_of(bad)[:2] == (400, "INVALID_DATA")


def test_delete_moves_to_recycle_bin(api, emulator):
    live = emulator.records("Tasks")["live"]
    ids = [live[0]["id"], "5725767999999999999"]
    resp = api.delete("Tasks", ids=",".join(ids))
    assert resp.status_code == 207 and _codes(resp) == ["SUCCESS", "INVALID_DATA"]
    truth = emulator.records("Tasks")
    assert ids[0] not in {r["id"] for r in truth["live"]}
    assert {"id": ids[0], "type": "recycle"}.items() <= next(d for d in truth["deleted"] if d["id"] == ids[0]).items()
    recycle = api.get("Tasks/deleted", type="recycle").json()["data"]
    assert recycle[0]["id"] == ids[0]
    assert api.delete(f"Tasks/{live[1]['id']}").status_code == 200
    assert error_of(api.delete("Tasks"))[:2] == (400, "REQUIRED_PARAM_MISSING")


def test_triggers_are_recorded_per_call(api, emulator):
    api.post("Leads", {"data": [{"Last_Name": "a"}], "trigger": []})
    api.post("Leads", {"data": [{"Last_Name": "b"}], "trigger": ["workflow"]})
    api.post("Leads", {"data": [{"Last_Name": "c"}]})
    api.delete("Leads", ids=emulator.records("Leads")["live"][0]["id"], wf_trigger="false")
    triggers = emulator.stats()["triggers"]
    assert triggers["none"] == 2 and triggers["workflow"] == 2 and triggers["approval"] == 1


def test_writes_without_content_type_and_with_numeric_ids_are_read(api, emulator):
    rid = emulator.records("Accounts")["live"][0]["id"]
    resp = api.call("PUT", "Accounts", data=f'{{"data":[{{"id":{rid},"Employees":7}}]}}'.encode())
    assert resp.status_code == 200
    assert api.get(f"Accounts/{rid}").json()["data"][0]["Employees"] == 7


@pytest.mark.parametrize("field, value, expected", [
    ("No_of_Employees", 42, None), ("No_of_Employees", 4.5, "integer"), ("No_of_Employees", True, "integer"),
    ("Big_Number", "12345678901234", None), ("Big_Number", 12345678901234, None), ("Big_Number", "12x", "bigint"),
    ("Annual_Revenue", 10, None), ("Annual_Revenue", "10", "double"), ("Email_Opt_Out", "yes", "boolean"),
    ("Date_of_Birth", "1990-04-01", None), ("Date_of_Birth", "1990-13-01", "date"),
    ("Last_Contacted_At", "2024-05-01T10:15:00-07:00", None), ("Last_Contacted_At", "2024-05-01 10:15", "datetime"),
    ("Reviewer", {"id": "5725767000000500001"}, None), ("Reviewer", {"id": "1"}, "jsonobject"),
    ("Email", "not-an-email", "email"), ("Languages_Known", ["English", "Klingon"], "supported_values"),
    ("Line_Items", "x", "jsonarray"),
])
def test_values_are_checked_by_data_type(api, field, value, expected):
    item = api.post("Leads", {"data": [{"Last_Name": "Typed", field: value}]}).json()["data"][0]
    if expected is None:
        assert item["code"] == "SUCCESS", item
    elif expected == "supported_values":
        assert item["code"] == "INVALID_DATA" and "English" in item["details"]["supported_values"]
    else:
        assert (item["code"], item["details"].get("expected_data_type")) == ("INVALID_DATA", expected), item
    assert expected is None or item["details"]["api_name"] == field


def test_datetimes_written_with_any_offset_come_back_in_the_user_zone(api):
    rid = api.post("Leads", {"data": [{"Last_Name": "Tz", "Last_Contacted_At": "2024-05-01T10:15:00-07:00"}]}).json()[
        "data"][0]["details"]["id"]
    assert api.get(f"Leads/{rid}").json()["data"][0]["Last_Contacted_At"] == "2024-05-01T22:45:00+05:30"
