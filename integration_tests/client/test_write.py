"""Writing through the client to a real emulator, checked against its ground truth."""

from __future__ import annotations

from integration_tests.harness import Emulator
from zoho_crm_client import ZohoClient, note_parent


def live(emulator: Emulator, module: str) -> dict[str, dict]:
    return {r["id"]: r for r in emulator.records(module)["live"]}


def test_insert_150_with_one_bad_record_maps_every_result_to_its_input(emulator: Emulator, zoho: ZohoClient) -> None:
    records = [{"Last_Name": f"Batch {i}", "Company": "Zylker"} for i in range(150)]
    records[120] = {"Company": "no last name"}
    results = zoho.insert("Leads", records)
    assert [r.index for r in results] == list(range(150))
    bad = results[120]
    assert (bad.ok, bad.code, bad.field) == (False, "MANDATORY_NOT_FOUND", "Last_Name")
    truth = live(emulator, "Leads")
    assert all(truth[r.id]["Last_Name"] == f"Batch {r.index}" for r in results if r.index != 120)


def test_update_upsert_and_delete_round_trip(emulator: Emulator, zoho: ZohoClient) -> None:
    [made] = zoho.insert("Contacts", [{"Last_Name": "Daly", "Email": "paul.daly.rt@zylker.example"}])
    [updated] = zoho.update("Contacts", [{"id": made.id, "Last_Name": "Daly-Smith"}])
    assert updated.ok and live(emulator, "Contacts")[made.id]["Last_Name"] == "Daly-Smith"
    upserted = zoho.upsert("Contacts", [{"Email": "paul.daly.rt@zylker.example", "Last_Name": "Daly 3"},
                                        {"Email": "new.person.rt@zylker.example", "Last_Name": "New"}],
                           duplicate_check_fields=["Email"])
    assert [(r.ok, r.action) for r in upserted] == [(True, "update"), (True, "insert")]
    assert upserted[0].id == made.id
    deleted = zoho.delete("Contacts", [made.id, upserted[1].id])
    assert all(r.ok for r in deleted)
    assert {made.id, upserted[1].id} <= {r["id"] for r in emulator.records("Contacts")["deleted"]}


def test_convert_a_lead_then_converting_again_is_a_clear_failure(emulator: Emulator, zoho: ZohoClient) -> None:
    [made] = zoho.insert("Leads", [{"Last_Name": "Convertible", "Company": "Convert Co"}])
    first = zoho.convert_lead(made.id, {"overwrite": True})
    assert first.ok and first.details["Contacts"]["id"] in live(emulator, "Contacts")
    again = zoho.convert_lead(made.id, {"overwrite": True})
    assert (again.ok, again.code) == (False, "ID_ALREADY_CONVERTED")


def test_clone_copies_with_overrides(emulator: Emulator, zoho: ZohoClient) -> None:
    [made] = zoho.insert("Accounts", [{"Account_Name": "Template Account"}])
    copy = zoho.clone("Accounts", made.id, {"Account_Name": "Template Account (copy)"})
    assert copy.ok and copy.id != made.id
    assert live(emulator, "Accounts")[copy.id]["Account_Name"] == "Template Account (copy)"


def test_notes_create_update_delete(emulator: Emulator, zoho: ZohoClient) -> None:
    lead_id = next(iter(live(emulator, "Leads")))
    [note] = zoho.create_notes([{"Parent_Id": note_parent("Leads", lead_id), "Note_Title": "Call",
                                 "Note_Content": "Call back Friday"}])
    assert note.ok
    assert live(emulator, "Notes")[note.id]["Note_Content"] == "Call back Friday"
    [changed] = zoho.update_notes([{"id": note.id, "Note_Content": "Call back Monday"}])
    assert changed.ok and live(emulator, "Notes")[note.id]["Note_Content"] == "Call back Monday"
    [gone] = zoho.delete_notes([note.id])
    assert gone.ok and note.id not in live(emulator, "Notes")
