"""The Wrk platform's Zoho CRM write actions, each done with destination-zoho-crm (docs/wrk-actions.md).

Each test writes its own records of the seeded org, so the tests share one emulator and stay independent.
"""

from __future__ import annotations

from integration_tests.harness import Emulator
from integration_tests.wrk.actions import calls, deleted_ids, live, write

DELETE_ROUTE = "DELETE /crm/v8/{module}"
UPDATE_ROUTE = "PUT /crm/v8/{module}"


def _unconverted_leads(emulator: Emulator) -> list[dict]:
    return [r for r in live(emulator, "Leads").values() if not r.get("Converted__s")]


def test_create_a_record_is_an_append_stream(emulator: Emulator) -> None:
    contact = {"First_Name": "Grace", "Last_Name": "Hopper", "Email": "grace.hopper@wrk.example"}

    write(emulator, "Contacts", [contact], sync_mode="append")

    [created] = [r for r in live(emulator, "Contacts").values() if r.get("Email") == contact["Email"]]
    assert (created["First_Name"], created["Last_Name"]) == ("Grace", "Hopper")


def test_update_a_record_is_the_update_operation_on_its_id(emulator: Emulator) -> None:
    lead = _unconverted_leads(emulator)[0]

    write(emulator, "Leads", [{"id": lead["id"], "Description": "updated through the destination"}],
          sync_mode="append", operation="update")

    assert live(emulator, "Leads")[lead["id"]]["Description"] == "updated through the destination"


def test_update_multiple_records_sends_up_to_100_in_one_call(emulator: Emulator) -> None:
    leads = _unconverted_leads(emulator)[1:6]
    before = emulator.stats()

    write(emulator, "Leads", [{"id": r["id"], "Lead_Status": "Contacted"} for r in leads],
          sync_mode="append", operation="update")

    truth = live(emulator, "Leads")
    assert all(truth[r["id"]]["Lead_Status"] == "Contacted" for r in leads)
    assert calls(before, emulator.stats(), UPDATE_ROUTE) == 1


def test_delete_a_record_is_a_soft_delete_stream(emulator: Emulator) -> None:
    lead = _unconverted_leads(emulator)[6]

    write(emulator, "Leads", [{"id": lead["id"]}], sync_mode="soft_delete")

    assert lead["id"] in deleted_ids(emulator, "Leads")
    assert lead["id"] not in live(emulator, "Leads")


def test_delete_multiple_records_sends_up_to_100_ids_in_one_call(emulator: Emulator) -> None:
    ids = [r["id"] for r in _unconverted_leads(emulator)[7:12]]
    before = emulator.stats()

    write(emulator, "Leads", [{"id": i} for i in ids], sync_mode="soft_delete")

    assert set(ids) <= deleted_ids(emulator, "Leads")
    assert calls(before, emulator.stats(), DELETE_ROUTE) == 1


def test_delete_a_note_is_a_soft_delete_stream_into_notes(emulator: Emulator) -> None:
    note_id = sorted(live(emulator, "Notes"))[0]

    write(emulator, "Notes", [{"id": note_id}], sync_mode="soft_delete")

    assert note_id not in live(emulator, "Notes")


def test_delete_notes_sends_up_to_100_ids_in_one_call(emulator: Emulator) -> None:
    ids = sorted(live(emulator, "Notes"))[1:4]
    before = emulator.stats()

    write(emulator, "Notes", [{"id": i} for i in ids], sync_mode="soft_delete")

    assert not set(ids) & set(live(emulator, "Notes"))
    assert calls(before, emulator.stats(), DELETE_ROUTE) == 1


def test_clone_a_record_is_the_clone_operation_with_overriding_fields(emulator: Emulator) -> None:
    template = _unconverted_leads(emulator)[12]
    before = set(live(emulator, "Leads"))

    # Email is unique in Leads, so a clone needs its own (docs/zoho-api.md section 10).
    write(emulator, "Leads", [{"_zoho_operation": "clone", "id": template["id"], "Last_Name": "Clone",
                               "Email": "clone@wrk.example"}])

    [clone] = [r for i, r in live(emulator, "Leads").items() if i not in before]
    assert (clone["Last_Name"], clone["Company"]) == ("Clone", template["Company"])


def test_convert_a_lead_is_the_convert_operation_with_an_optional_deal(emulator: Emulator) -> None:
    lead = _unconverted_leads(emulator)[13]
    deal = {"Deal_Name": "Wrk conversion", "Stage": "Qualification", "Closing_Date": "2026-12-31"}

    write(emulator, "Leads", [{"_zoho_operation": "convert", "id": lead["id"], "Deals": deal}])

    assert live(emulator, "Leads")[lead["id"]]["Converted__s"] is True
    assert [d for d in live(emulator, "Deals").values() if d["Deal_Name"] == "Wrk conversion"]
