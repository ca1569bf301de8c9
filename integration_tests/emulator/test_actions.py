"""Sections 9 and 10: convert lead (single, mass_convert job) and clone."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import Api, error_of

pytestmark = pytest.mark.usefixtures("fresh_org")


@pytest.fixture
def leads(emulator):
    return [r for r in emulator.records("Leads")["live"] if not r["Converted__s"] and r["Company"]]


def test_convert_creates_contact_account_and_deal_and_hides_the_lead(api, emulator, leads):
    lead = leads[0]
    resp = api.post(f"Leads/{lead['id']}/actions/convert", {"data": [{
        "Deals": {"Deal_Name": "Big one", "Stage": "Qualification", "Closing_Date": "2027-01-01",
                  "Contact_Role": "5545974000000006873"}}]})
    assert resp.status_code == 200
    details = resp.json()["data"][0]["details"]
    assert details["Contacts"]["id"] and details["Accounts"]["name"] == lead["Company"]
    contact = api.get(f"Contacts/{details['Contacts']['id']}").json()["data"][0]
    assert contact["Last_Name"] == lead["Last_Name"] and contact["Account_Name"]["id"] == details["Accounts"]["id"]
    deal = api.get(f"Deals/{details['Deals']['id']}").json()["data"][0]
    assert deal["Contact_Name"]["id"] == contact["id"]
    hidden = {r["id"] for r in api.get("Leads", fields="Converted__s").json()["data"]}
    listed = {r["id"] for r in api.get("Leads", fields="Converted__s", converted="true").json()["data"]}
    assert lead["id"] in listed and lead["id"] not in hidden
    again = api.post(f"Leads/{lead['id']}/actions/convert", {"data": [{}]})
    assert error_of(again) == (400, "ID_ALREADY_CONVERTED", {"resource_path_index": 1})


def test_convert_without_deal_gives_null_deal_and_uses_given_account(api, emulator, leads):
    account = emulator.records("Accounts")["live"][0]
    resp = api.post(f"Leads/{leads[1]['id']}/actions/convert", {"data": [{"Accounts": {"id": account["id"]}}]})
    details = resp.json()["data"][0]["details"]
    assert details["Deals"] is None and details["Accounts"]["id"] == account["id"]


@pytest.mark.parametrize("item, code, details", [
    ({"Deals": {"Deal_Name": "x"}}, "MANDATORY_NOT_FOUND", {"api_name": "Stage", "json_path": "$.data[0].Deals.Stage"}),
    ({"Accounts": "5725767001000000001"}, "INVALID_DATA", {"api_name": "Accounts", "json_path": "$.data[0].Accounts"}),
    ({"Contacts": {"id": "5725767999999999999"}}, "INVALID_DATA",
     {"api_name": "Contacts", "json_path": "$.data[0].Contacts"}),
])
def test_convert_errors_leave_the_lead_unconverted(api, leads, item, code, details):
    resp = api.post(f"Leads/{leads[2]['id']}/actions/convert", {"data": [item]})
    assert resp.status_code == 400
    assert (resp.json()["data"][0]["code"], resp.json()["data"][0]["details"]) == (code, details)
    lead = api.get(f"Leads/{leads[2]['id']}").json()["data"][0]
    assert lead["Converted__s"] is False


def test_convert_unknown_lead_and_two_items(api, leads):
    assert error_of(api.post("Leads/5725767999999999999/actions/convert", {"data": [{}]})) == (
        400, "INVALID_DATA", {"resource_path_index": 1})
    assert error_of(api.post(f"Leads/{leads[0]['id']}/actions/convert", {"data": [{}, {}]}))[:2] == (
        400, "LIMIT_EXCEEDED")


def test_v2_convert_takes_plain_ids(emulator, leads):
    account = emulator.records("Accounts")["live"][0]
    v2 = Api(emulator, "v2")
    resp = v2.post(f"Leads/{leads[3]['id']}/actions/convert", {"data": [{"Accounts": account["id"]}]})
    assert resp.status_code == 200 and resp.json()["data"][0]["details"]["Accounts"]["id"] == account["id"]


def test_mass_convert_job(api, leads, emulator):
    converted = next(r for r in emulator.records("Leads")["live"] if r["Converted__s"])
    resp = api.post("Leads/actions/mass_convert", {"ids": [leads[4]["id"], leads[5]["id"], converted["id"]]})
    assert resp.status_code == 202
    body = resp.json()
    assert (body["code"], body["status"]) == ("SCHEDULED", "success")
    status = api.get("Leads/actions/mass_convert", job_id=body["details"]["job_id"]).json()["data"][0]
    assert status == {"Status": "completed", "Total_Count": 3, "Converted_Count": 2, "Not_Converted_Count": 1,
                      "Failed_Count": 0}
    assert error_of(api.post("Leads/actions/mass_convert", {"ids": [str(i) for i in range(51)]}))[:2] == (
        400, "LIMIT_EXCEEDED")


def test_clone_without_body_hits_unique_fields_and_with_overrides_succeeds(api, emulator):
    source = emulator.records("Contacts")["live"][0]
    plain = api.call("POST", f"Contacts/{source['id']}/actions/clone")
    assert plain.status_code == 400 and plain.json()["data"][0]["code"] == "DUPLICATE_DATA"
    resp = api.post(f"Contacts/{source['id']}/actions/clone", {"data": [{"Email": "copy@x.example"}]})
    assert resp.status_code == 201
    clone = api.get(f"Contacts/{resp.json()['data'][0]['details']['id']}").json()["data"][0]
    assert clone["Last_Name"] == source["Last_Name"] and clone["Email"] == "copy@x.example"
    assert clone["id"] != source["id"]


def test_clone_of_a_module_without_unique_fields_and_of_notes(api, emulator):
    task = emulator.records("Tasks")["live"][0]
    assert api.call("POST", f"Tasks/{task['id']}/actions/clone").status_code == 201
    note = emulator.records("Notes")["live"][0]
    assert error_of(api.call("POST", f"Notes/{note['id']}/actions/clone"))[:2] == (400, "NOT_SUPPORTED")
