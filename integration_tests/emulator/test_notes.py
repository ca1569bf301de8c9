"""Section 6: every Notes call, v8 and v2 shapes."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import Api, error_of

pytestmark = pytest.mark.usefixtures("fresh_org")


@pytest.fixture
def lead_id(emulator):
    return emulator.records("Leads")["live"][0]["id"]


def test_list_notes_needs_fields_and_is_oldest_first(api):
    assert error_of(api.get("Notes"))[:2] == (400, "REQUIRED_PARAM_MISSING")
    body = api.get("Notes", fields="Note_Title,Parent_Id").json()
    ids = [n["id"] for n in body["data"]]
    assert ids == sorted(ids) and body["info"]["sort_order"] == "asc"
    parent = body["data"][0]["Parent_Id"]
    assert set(parent) == {"module", "name", "id"} and set(parent["module"]) == {"api_name", "id"}


def test_create_update_delete_notes(api, lead_id):
    created = api.post("Notes", {"data": [
        {"Parent_Id": {"module": {"api_name": "Leads"}, "id": lead_id}, "Note_Title": "t", "Note_Content": "c"},
        {"Parent_Id": {"module": {"api_name": "Leads"}, "id": "5725767999999999999"}, "Note_Content": "c"},
        {"Parent_Id": {"module": {"api_name": "Leads"}, "id": lead_id}, "Note_Title": "no content"},
    ]})
    assert created.status_code == 207
    ok, bad_parent, no_content = created.json()["data"]
    assert ok["code"] == "SUCCESS" and ok["message"] == "record added"
    assert bad_parent["code"] == "INVALID_DATA" and bad_parent["message"] == "the related id given seems to be invalid"
    assert no_content["details"] == {"api_name": "Note_Content", "json_path": "$.data[2].Note_Content"}
    note_id = ok["details"]["id"]
    assert api.put(f"Notes/{note_id}", {"data": [{"Note_Title": "new"}]}).status_code == 200
    assert api.put("Notes", {"data": [{"id": note_id, "Note_Content": "bulk"}]}).status_code == 200
    note = api.get(f"Notes/{note_id}", fields="Note_Title,Note_Content").json()["data"][0]
    assert (note["Note_Title"], note["Note_Content"]) == ("new", "bulk")
    assert api.delete("Notes", ids=note_id).status_code == 200
    assert api.get(f"Notes/{note_id}").status_code == 204
    assert api.get("Notes/deleted", type="recycle").json()["data"][0]["id"] == note_id


def test_related_notes_of_a_record_and_post_without_parent_id(api, lead_id):
    created = api.post(f"Leads/{lead_id}/Notes", {"data": [{"Note_Content": "from the record"}]})
    assert created.status_code == 201
    rows = api.get(f"Leads/{lead_id}/Notes", fields="Note_Content,Parent_Id").json()["data"]
    assert "from the record" in [r["Note_Content"] for r in rows]
    assert {r["Parent_Id"]["id"] for r in rows} == {lead_id}
    assert error_of(api.get("Leads/5725767999999999999/Notes", fields="Note_Content"))[:2] == (400, "INVALID_DATA")


def test_v2_notes_shape_and_create_body(emulator, lead_id):
    v2 = Api(emulator, "v2")
    note = v2.get("Notes", per_page=1).json()["data"][0]
    assert set(note["Parent_Id"]) == {"name", "id"} and note["$se_module"] in ("Leads", "Contacts", "Accounts",
                                                                                "Deals")
    resp = v2.post("Notes", {"data": [{"Note_Content": "v2", "Parent_Id": lead_id, "se_module": "Leads"}]})
    assert resp.status_code == 201
    rid = resp.json()["data"][0]["details"]["id"]
    back = v2.get(f"Notes/{rid}").json()["data"][0]
    assert back["Parent_Id"]["id"] == lead_id and back["$se_module"] == "Leads"


def test_the_notes_list_is_for_admins_and_the_related_list_for_everyone(emulator, api, lead_id):
    emulator.limits(admin=False)
    assert error_of(api.get("Notes", fields="Note_Title"))[:2] == (403, "NOT_SUPPORTED")
    assert api.get(f"Leads/{lead_id}/Notes", fields="Note_Title").status_code in (200, 204)
