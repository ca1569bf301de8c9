"""The Wrk platform's Zoho CRM read actions, each done with source-zoho-crm (docs/wrk-actions.md).

One connection holds every read action's stream, as a user would set it up, and is synced once per
module (each connector run costs seconds of start-up); each test checks its action's rows against the
emulator's truth.
"""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.harness import Emulator, Run
from integration_tests.wrk.actions import DELETED_AT, deleted_ids, live, read

WON_DEALS = "select Deal_Name, Stage, Amount from Deals where Stage = 'Closed Won'"


@pytest.fixture(scope="module")
def picked(emulator: Emulator) -> dict[str, Any]:
    """The lead and the note that the single-record actions retrieve."""
    return {"lead": next(iter(live(emulator, "Leads").values())),
            "note": next(iter(live(emulator, "Notes").values()))}


@pytest.fixture(scope="module")
def synced(emulator: Emulator, picked: dict[str, Any]) -> Run:
    lead, note = picked["lead"], picked["note"]
    coql = [
        {"name": "one_lead", "query": f"select Last_Name, Email, Company from Leads where id = '{lead['id']}'"},
        {"name": "one_note", "query": f"select Note_Title, Note_Content from Notes where id = '{note['id']}'"},
        {"name": "won_deals", "query": WON_DEALS},
    ]
    search = [{"name": "namesakes", "module": "Leads", "criteria": f"(Last_Name:equals:{lead['Last_Name']})"}]
    return read(emulator, ["Leads", "Notes", "one_lead", "one_note", "won_deals", "namesakes"],
                sync_mode="incremental", modules=["Leads", "Notes", "Deals"], include_deleted=True,
                coql_streams=coql, search_streams=search, columns={"namesakes": ["Last_Name", "Email"]})


def test_retrieve_multiple_records_is_a_module_stream(emulator: Emulator, synced: Run) -> None:
    rows = [r for r in synced.records("Leads") if not r.get(DELETED_AT)]

    assert {r["id"] for r in rows} == set(live(emulator, "Leads"))


def test_retrieve_a_record_is_a_coql_stream_selecting_its_id(synced: Run, picked: dict[str, Any]) -> None:
    lead = picked["lead"]

    [row] = synced.records("one_lead")
    assert (row["id"], row["Last_Name"], row["Email"], row["Company"]) == (
        lead["id"], lead["Last_Name"], lead["Email"], lead["Company"])


def test_retrieve_deleted_records_is_the_tombstones_of_an_incremental_module_stream(
        emulator: Emulator, synced: Run) -> None:
    tombstones = {r["id"] for r in synced.records("Leads") if r.get(DELETED_AT)}

    assert tombstones == deleted_ids(emulator, "Leads")
    assert tombstones, "the seeded org has records in the recycle bin"


def test_retrieve_notes_is_the_notes_stream_with_its_parent_as_plain_columns(
        emulator: Emulator, synced: Run) -> None:
    truth = live(emulator, "Notes")
    rows = [r for r in synced.records("Notes") if not r.get(DELETED_AT)]

    assert {r["id"] for r in rows} == set(truth)
    assert all(r["parent_id"] == truth[r["id"]]["Parent_Id"]["id"] for r in rows)


def test_retrieve_a_note_is_a_coql_stream_on_notes_selecting_its_id(synced: Run, picked: dict[str, Any]) -> None:
    note = picked["note"]

    [row] = synced.records("one_note")
    assert (row["id"], row["Note_Title"], row["Note_Content"]) == (note["id"], note["Note_Title"],
                                                                  note["Note_Content"])


def test_execute_a_coql_query_is_a_coql_stream(emulator: Emulator, synced: Run) -> None:
    won = {i for i, d in live(emulator, "Deals").items() if d["Stage"] == "Closed Won"}

    assert {r["id"] for r in synced.records("won_deals")} == won
    assert won


def test_search_records_is_a_search_stream(emulator: Emulator, synced: Run, picked: dict[str, Any]) -> None:
    name = picked["lead"]["Last_Name"].lower()
    expected = {i for i, r in live(emulator, "Leads").items() if r["Last_Name"].lower() == name}

    assert {r["id"] for r in synced.records("namesakes")} == expected
