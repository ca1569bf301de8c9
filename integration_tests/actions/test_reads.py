"""The read actions of issue 18, each run as `zoho-crm ...` against the emulator and compared with its ground truth."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from integration_tests.actions.cli import config_file, jsonl, lines, ok, same_values, truth, zoho_crm
from integration_tests.harness import Emulator
from zoho_crm_client.dates import parse_datetime


def test_given_a_lead_with_a_subform_when_record_get_then_every_field_is_printed_with_its_value(
        emulator: Emulator, config: Path) -> None:
    contact = next(iter(truth(emulator, "Contacts")))
    [created] = ok(zoho_crm(config, "record", "create", "Leads", stdin=jsonl(
        {"Last_Name": "Wide", "Company": "Zylker", "Line_Items": [{"Item": "Desk", "Quantity": 2}],
         "Linked_Contacts": [{"Linked_Contacts": {"id": contact}}]})))

    [record] = ok(zoho_crm(config, "record", "get", "Leads", created["id"]))

    expected = truth(emulator, "Leads")[created["id"]]
    assert len(expected) > 50  # more fields than one list call may ask for
    # each subform row comes with its own id and its parent (docs/zoho-api/subforms.md S2)
    [line] = record["Line_Items"]
    assert (line["Item"], line["Quantity"], line["Parent_Id"]["id"]) == ("Desk", 2, created["id"])
    assert line["id"].isdigit()
    assert record["Linked_Contacts"] == [{"Linked_Contacts": {"id": contact}}]
    assert same_values(record, expected) == {}


def test_given_more_than_2000_notes_when_note_list_then_every_note_comes_once_with_its_values(
        emulator_factory, tmp_path: Path) -> None:
    # The Notes list has no page_token and stops at 2,000 rows (docs/zoho-api/notes.md): the org's notes come
    # through a COQL index and the Notes list by ids.
    big = emulator_factory(records=5)
    big.reset(module_records={"Notes": 2150})
    config = config_file(big, tmp_path)
    expected = truth(big, "Notes")

    rows = ok(zoho_crm(config, "note", "list", "--fields", "Note_Title,Note_Content"))

    assert len(expected) > 2000 and sorted(r["id"] for r in rows) == sorted(expected)
    assert all(r["Note_Title"] == expected[r["id"]]["Note_Title"] for r in rows)


def test_given_more_than_2000_leads_when_record_list_sorted_both_ways_then_every_row_comes_in_order(
        emulator_factory, tmp_path: Path) -> None:
    big = emulator_factory(records=2100)
    config = config_file(big, tmp_path)
    expected = truth(big, "Leads")

    ascending = ok(zoho_crm(config, "record", "list", "Leads", "--fields", "Last_Name,Created_Time",
                            "--sort-by", "Created_Time", "--sort-order", "asc"))
    descending = ok(zoho_crm(config, "record", "list", "Leads", "--fields", "Last_Name,Created_Time",
                             "--sort-by", "Created_Time", "--sort-order", "desc"))

    assert len(expected) > 2000
    for rows in (ascending, descending):
        assert sorted(r["id"] for r in rows) == sorted(expected)
        assert all(r["Last_Name"] == expected[r["id"]]["Last_Name"] for r in rows)
    times = [parse_datetime(r["Created_Time"]) for r in ascending]
    assert times == sorted(times)
    times = [parse_datetime(r["Created_Time"]) for r in descending]
    assert times == sorted(times, reverse=True)


def test_given_a_limit_when_record_list_then_it_stops_after_that_many_rows(emulator: Emulator, config: Path) -> None:
    rows = ok(zoho_crm(config, "record", "list", "Leads", "--sort-by", "id", "--sort-order", "desc", "--limit", "3"))

    expected = sorted(truth(emulator, "Leads"), key=int, reverse=True)[:3]
    assert [r["id"] for r in rows] == expected
    assert same_values(rows[0], {k: v for k, v in truth(emulator, "Leads")[expected[0]].items()
                                 if k in rows[0]}) == {}


def test_given_criteria_when_record_search_sorted_then_the_matching_records_come_sorted(
        emulator: Emulator, config: Path) -> None:
    leads = truth(emulator, "Leads")
    status = next(r["Lead_Status"] for r in leads.values() if r.get("Lead_Status"))
    wanted = {i for i, r in leads.items() if r.get("Lead_Status") == status}

    rows = ok(zoho_crm(config, "record", "search", "Leads", "--criteria", f"(Lead_Status:equals:{status})",
                       "--fields", "Last_Name,Lead_Status", "--sort-by", "Last_Name", "--sort-order", "desc"))

    assert {r["id"] for r in rows} == wanted
    names = [r["Last_Name"].casefold() for r in rows]
    assert names == sorted(names, reverse=True)
    assert all(r["Lead_Status"] == status and r["Last_Name"] == leads[r["id"]]["Last_Name"] for r in rows)


def test_given_an_email_when_record_search_then_that_record_comes_with_all_its_list_fields(
        emulator: Emulator, config: Path) -> None:
    lead = next(r for r in truth(emulator, "Leads").values() if r.get("Email"))

    rows = ok(zoho_crm(config, "record", "search", "Leads", "--email", lead["Email"]))

    assert [r["id"] for r in rows] == [lead["id"]]
    assert len(rows[0]) > 50  # more than one call's 50 fields: the rest were fetched by id
    assert same_values(rows[0], {k: v for k, v in lead.items() if k in rows[0]}) == {}


def test_given_deleted_leads_when_record_deleted_by_type_then_the_bin_is_printed(
        emulator: Emulator, config: Path) -> None:
    deleted = emulator.records("Leads")["deleted"]

    everything = ok(zoho_crm(config, "record", "deleted", "Leads"))
    recycle = ok(zoho_crm(config, "record", "deleted", "Leads", "--type", "recycle"))

    assert {(r["id"], parse_datetime(r["deleted_time"])) for r in everything} == {
        (r["id"], parse_datetime(r["deleted_time"])) for r in deleted}
    assert {r["id"] for r in recycle} == {r["id"] for r in deleted if r["type"] == "recycle"}
    assert all(r["type"] == "recycle" for r in recycle)


def test_given_a_coql_query_with_order_by_when_coql_then_rows_come_in_the_users_order(
        emulator: Emulator, config: Path) -> None:
    leads = truth(emulator, "Leads")
    query = "select Last_Name, Email from Leads where Last_Name is not null order by Last_Name desc, id asc"

    rows = ok(zoho_crm(config, "coql", query))
    page = ok(zoho_crm(config, "coql", query.replace("desc, id asc", "desc, id asc limit 5 offset 2")))

    expected = sorted((r for r in leads.values() if r.get("Last_Name")), key=lambda r: int(r["id"]))
    expected.sort(key=lambda r: r["Last_Name"].casefold(), reverse=True)
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    assert all(r["Email"] == leads[r["id"]]["Email"] for r in rows)
    assert [r["id"] for r in page] == [r["id"] for r in expected[2:7]]


def test_given_a_coql_query_without_order_when_coql_with_a_limit_then_it_stops_there(
        emulator: Emulator, config: Path) -> None:
    rows = ok(zoho_crm(config, "coql", "select Last_Name from Leads where id is not null", "--limit", "7"))

    assert len(rows) == 7
    leads = truth(emulator, "Leads")
    assert all(r["Last_Name"] == leads[r["id"]]["Last_Name"] for r in rows)


def test_given_a_read_when_format_csv_or_table_then_a_person_or_a_spreadsheet_can_read_it(
        emulator: Emulator, config: Path) -> None:
    args = ("record", "list", "Leads", "--fields", "Last_Name,Owner", "--sort-by", "id", "--limit", "4")

    as_csv = zoho_crm(config, *args, "--format", "csv")
    as_table = zoho_crm(config, *args, "--format", "table")

    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    leads = truth(emulator, "Leads")
    assert as_csv.returncode == 0 and len(rows) == 4
    assert all(r["Last_Name"] == leads[r["id"]]["Last_Name"] for r in rows)
    assert as_table.returncode == 0 and as_table.stdout.splitlines()[0].split() == [
        "id", "Modified_Time", "Last_Name", "Owner"]
    assert as_table.stdout.rstrip().endswith("(4 rows)")
    assert lines(zoho_crm(config, *args[:-2], "--limit", "1"))  # json lines stay the default
