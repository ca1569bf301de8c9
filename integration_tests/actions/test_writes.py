"""The write actions of issue 18, each run as `zoho-crm ...` against the emulator and compared with its ground truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from integration_tests.actions.cli import ZOHO_CRM, jsonl, lines, ok, truth, zoho_crm
from integration_tests.harness import Emulator


def test_given_json_lines_when_record_create_then_each_gets_a_result_line_with_its_new_id(
        emulator: Emulator, config: Path) -> None:
    records = [{"Last_Name": "Daly", "Company": "Zylker", "Email": "paul.daly@create.example"},
               {"Last_Name": "Boyle", "Company": "Zylker", "Annual_Revenue": 1500.5}]

    results = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl(*records)))

    leads = truth(emulator, "Leads")
    assert [(r["index"], r["status"], r["code"]) for r in results] == [(0, "success", "SUCCESS"),
                                                                       (1, "success", "SUCCESS")]
    assert set(results[0]) >= {"index", "status", "id", "code", "message", "details"}
    for result, record in zip(results, records, strict=True):
        assert {k: leads[result["id"]][k] for k in record} == record


def test_given_one_bad_record_among_good_ones_when_record_create_then_exit_1_and_the_good_ones_committed(
        emulator: Emulator, config: Path) -> None:
    run = zoho_crm(config, "record", "create", "Leads", stdin=jsonl(
        {"Last_Name": "Good1"}, {"Company": "no last name"}, {"Last_Name": "Good2"}))

    results = lines(run)
    leads = truth(emulator, "Leads")
    assert run.returncode == 1
    assert [r["status"] for r in results] == ["success", "error", "success"]
    assert results[1]["code"] == "MANDATORY_NOT_FOUND" and results[1]["details"]["api_name"] == "Last_Name"
    assert results[1]["id"] is None
    assert leads[results[0]["id"]]["Last_Name"] == "Good1" and leads[results[2]["id"]]["Last_Name"] == "Good2"


def test_given_ids_and_changes_when_record_update_and_upsert_then_zoho_holds_the_new_values(
        emulator: Emulator, config: Path) -> None:
    [a, b] = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl(
        {"Last_Name": "Before", "Email": "upd.a@update.example"}, {"Last_Name": "Before", "Email": "upd.b@update.example"})))

    updated = ok(zoho_crm(config, "record", "update", "Leads", "--data", json.dumps(
        [{"id": a["id"], "Last_Name": "After"}, {"id": b["id"], "Lead_Status": "Contacted"}])))
    upserted = ok(zoho_crm(config, "record", "upsert", "Leads", "--duplicate-check-fields", "Email", stdin=jsonl(
        {"Email": "upd.b@update.example", "Last_Name": "Upserted"}, {"Email": "new@update.example", "Last_Name": "New"})))

    leads = truth(emulator, "Leads")
    assert [r["id"] for r in updated] == [a["id"], b["id"]]
    assert leads[a["id"]]["Last_Name"] == "After" and leads[b["id"]]["Lead_Status"] == "Contacted"
    assert [(r["id"] == b["id"], r["action"]) for r in upserted] == [(True, "update"), (False, "insert")]
    assert leads[b["id"]]["Last_Name"] == "Upserted" and leads[upserted[1]["id"]]["Email"] == "new@update.example"


def test_given_ids_as_arguments_or_on_stdin_when_record_delete_then_they_go_to_the_recycle_bin(
        emulator: Emulator, config: Path) -> None:
    created = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl(*[{"Last_Name": f"Del{i}"} for i in range(3)])))
    ids = [r["id"] for r in created]

    by_argument = ok(zoho_crm(config, "record", "delete", "Leads", ids[0], ids[1]))
    by_stdin = ok(zoho_crm(config, "record", "delete", "Leads", stdin=jsonl(created[2])))  # a result line piped in

    assert [r["id"] for r in by_argument + by_stdin] == ids
    assert not set(ids) & set(truth(emulator, "Leads"))
    assert set(ids) <= {r["id"] for r in emulator.records("Leads")["deleted"]}


def test_given_a_record_when_record_clone_with_data_then_the_copy_has_its_values_and_the_override(
        emulator: Emulator, config: Path) -> None:
    [source] = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl(
        {"Last_Name": "Template", "Company": "Zylker", "Email": "template@clone.example", "Annual_Revenue": 99.0})))

    [copy] = ok(zoho_crm(config, "record", "clone", "Leads", source["id"], "--data",
                         '{"Email": "copy@clone.example"}'))

    leads = truth(emulator, "Leads")
    assert copy["status"] == "success" and copy["id"] not in (None, source["id"])
    assert leads[copy["id"]]["Email"] == "copy@clone.example"
    assert {k: leads[copy["id"]][k] for k in ("Last_Name", "Company", "Annual_Revenue")} == {
        "Last_Name": "Template", "Company": "Zylker", "Annual_Revenue": 99.0}


def test_given_a_lead_when_lead_convert_with_a_deal_then_the_new_contact_account_and_deal_ids_are_printed(
        emulator: Emulator, config: Path) -> None:
    [lead] = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl(
        {"Last_Name": "Convert", "First_Name": "Ada", "Company": "Convert Co", "Email": "ada@convert.example"})))
    deal = {"Deal_Name": "Convert Co deal", "Stage": "Qualification", "Closing_Date": "2026-12-31"}

    [result] = ok(zoho_crm(config, "lead", "convert", lead["id"], "--data", json.dumps({"Deals": deal})))

    ids = {module: result["details"][module]["id"] for module in ("Contacts", "Accounts", "Deals")}
    assert result["id"] == ids["Contacts"]
    assert truth(emulator, "Contacts")[ids["Contacts"]]["Last_Name"] == "Convert"
    assert truth(emulator, "Accounts")[ids["Accounts"]]["Account_Name"] == "Convert Co"
    assert {k: truth(emulator, "Deals")[ids["Deals"]][k] for k in deal} == deal
    assert truth(emulator, "Leads")[lead["id"]]["Converted__s"] is True


def test_given_a_shell_pipeline_when_a_lead_is_created_then_a_note_is_added_to_it_through_the_printed_id(
        emulator: Emulator, config: Path) -> None:
    first_id = f"{sys.executable} -c 'import json, sys; print(json.loads(sys.stdin.readline())[\"id\"])'"
    pipeline = (f"id=$(echo '{{\"Last_Name\": \"Piped\"}}' | {ZOHO_CRM} record create Leads --config {config}"
                f" | {first_id}) && echo '{{\"Note_Title\": \"Call\", \"Note_Content\": \"Friday 10:00\"}}'"
                f" | {ZOHO_CRM} note create --parent \"Leads:$id\" --config {config} && echo \"lead=$id\"")

    run = subprocess.run(["bash", "-c", f"set -o pipefail; {pipeline}"], capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stderr
    note_line, lead_line = run.stdout.strip().splitlines()
    lead_id, note_id = lead_line.removeprefix("lead="), json.loads(note_line)["id"]
    note = truth(emulator, "Notes")[note_id]
    assert truth(emulator, "Leads")[lead_id]["Last_Name"] == "Piped"
    assert (note["Parent_Id"]["id"], note["Note_Title"], note["Note_Content"]) == (lead_id, "Call", "Friday 10:00")


def test_given_notes_of_a_record_when_note_get_list_and_delete_then_zoho_agrees(
        emulator: Emulator, config: Path) -> None:
    [lead] = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl({"Last_Name": "Noted"})))
    notes = ok(zoho_crm(config, "note", "create", "--parent", f"Leads:{lead['id']}", stdin=jsonl(
        {"Note_Title": "One", "Note_Content": "first"}, {"Note_Title": "Two", "Note_Content": "second"})))
    ids = [n["id"] for n in notes]

    [got] = ok(zoho_crm(config, "note", "get", ids[0]))
    listed = ok(zoho_crm(config, "note", "list", "--parent", f"Leads:{lead['id']}"))
    everyone = ok(zoho_crm(config, "note", "list", "--fields", "Note_Title"))
    deleted = ok(zoho_crm(config, "note", "delete", *ids))

    stored = emulator.records("Notes")
    assert (got["Note_Title"], got["Note_Content"], got["Parent_Id"]["id"]) == ("One", "first", lead["id"])
    assert sorted((n["id"], n["Note_Content"]) for n in listed) == sorted(zip(ids, ["first", "second"], strict=True))
    assert set(ids) <= {n["id"] for n in everyone} and len(everyone) >= len(ids)
    assert [d["status"] for d in deleted] == ["success", "success"]
    assert not set(ids) & {n["id"] for n in stored["live"]}
