"""Section 6 and docs/zoho-api/notes.md: every Notes call, v8 and v2 shapes, and what the Notes list does not do."""

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


NEWEST = {"fields": "Note_Title,Modified_Time", "sort_by": "Modified_Time", "sort_order": "desc"}


def test_deleted_notes_are_refused_as_zoho_refuses_a_module_deleted_records_does_not_support(emulator, api):
    deleted = emulator.records("Notes")["deleted"]
    assert deleted  # the seed's recycle bin holds notes: there would be something to list

    assert error_of(api.get("Notes/deleted", type="all")) == (
        400, "INVALID_MODULE", {"resource_path_index": 0})


def test_the_notes_list_ignores_if_modified_since(api):
    later = {"If-Modified-Since": "2100-01-01T00:00:00+00:00"}

    plain, filtered = api.get("Notes", **NEWEST), api.get("Notes", headers=later, **NEWEST)

    assert filtered.status_code == 200 and filtered.json() == plain.json()


def test_the_notes_list_issues_no_page_token_and_ignores_one(api):
    first = api.get("Notes", per_page=10, **NEWEST).json()
    assert first["info"]["more_records"] and first["info"]["next_page_token"] is None

    again = api.get("Notes", per_page=10, page_token="a-token-from-get-records", **NEWEST)

    assert again.json()["data"] == first["data"]  # page 1 again: a client that trusts the token loops


def test_the_notes_list_sorts_newest_first_when_asked_and_says_so(api):
    body = api.get("Notes", **NEWEST).json()

    times = [n["Modified_Time"] for n in body["data"]]
    assert (body["info"]["sort_by"], body["info"]["sort_order"]) == ("Modified_Time", "desc")
    assert [t.replace("+05:30", "") for t in times] == sorted((t.replace("+05:30", "") for t in times), reverse=True)


def test_the_notes_list_stops_at_2000_rows_by_position(emulator, api):
    emulator.reset(module_records={"Notes": 2100})
    try:
        assert api.get("Notes", per_page=200, page=10, **NEWEST).json()["info"]["more_records"]
        assert error_of(api.get("Notes", per_page=200, page=11, **NEWEST))[:2] == (
            400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED")
        assert error_of(api.get("Notes", per_page=100, page=21, **NEWEST))[:2] == (
            400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED")
    finally:
        emulator.reset(module_records={})


def test_notes_by_ids_come_in_the_lists_shape(emulator, api):
    wanted = [n["id"] for n in emulator.records("Notes")["live"][:3]]

    body = api.get("Notes", ids=",".join(wanted), fields="Parent_Id,Note_Title").json()

    assert sorted(n["id"] for n in body["data"]) == sorted(wanted)
    assert all(set(n["Parent_Id"]) == {"module", "name", "id"} for n in body["data"])


def test_coql_reads_notes_in_keyset_order(emulator, api):
    query = "select Modified_Time from Notes where id is not null order by Modified_Time asc, id asc limit 2000"

    rows = api.post("coql", {"select_query": query}).json()["data"]

    assert {r["id"] for r in rows} == {n["id"] for n in emulator.records("Notes")["live"]}
    assert set(rows[0]) == {"id", "Modified_Time"}
