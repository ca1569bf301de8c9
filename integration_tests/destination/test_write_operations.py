"""Every operation on Leads, Contacts, Deals, CustomModule1 and Notes, through the console script, checked
against the emulator's truth. Two runs: creates first, then a mixed run driven by `_zoho_operation`.
Convert and clone are in test_convert_clone.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from integration_tests.destination.messages import by, live, record, rejections, state, write, write_calls
from integration_tests.harness import Emulator

# module -> (duplicate-check field, a new record's values, a field an update changes and its new value)
MODULES: dict[str, tuple[str, Callable[[str], dict[str, Any]], tuple[str, Any]]] = {
    "Leads": ("Email", lambda t: {"Last_Name": f"Dest {t}", "Email": f"{t}@lead.example"}, ("First_Name", "Ann")),
    "Contacts": ("Email", lambda t: {"Last_Name": f"Dest {t}", "Email": f"{t}@contact.example"},
                 ("Title", "CTO")),
    "Deals": ("Deal_Name", lambda t: {"Deal_Name": f"Dest {t}", "Stage": "Qualification"}, ("Amount", 1234.5)),
    "CustomModule1": ("Name", lambda t: {"Name": f"Dest {t}"}, ("Quantity", 7)),
}


@pytest.fixture(scope="module")
def created(emulator: Emulator) -> dict[str, Any]:
    """Run 1: three creates per module and two notes (parent as plain columns and as Zoho's object)."""
    emulator.reset()
    parent = live(emulator, "Leads")[0]["id"]
    messages = [record(m, make(f"{m.lower()}-{i}")) for m, (_, make, _) in MODULES.items() for i in range(3)]
    messages += [record("Notes", {"Note_Title": "plain", "Note_Content": "c1", "parent_module": "Leads",
                                  "parent_id": parent}),
                 record("Notes", {"Note_Title": "object", "Note_Content": "c2",
                                  "Parent_Id": {"module": {"api_name": "Leads"}, "id": parent}}),
                 state("Leads", 1)]
    before = emulator.stats()
    run = write(emulator, [(m, "append") for m in [*MODULES, "Notes"]], messages, trigger=["workflow"])
    return {"run": run, "before": before, "after": emulator.stats(), "parent": parent, "truth": truth(emulator)}


def truth(emulator: Emulator) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The emulator's records now, kept by the fixture: later runs in this module change them."""
    return {m: emulator.records(m) for m in [*MODULES, "Notes"]}


def test_given_creates_in_five_modules_when_written_then_each_lands_with_its_values(created) -> None:
    assert created["run"].returncode == 0, created["run"].stderr[-2000:]
    assert rejections(created["run"]) == []
    for module, (key, make, _) in MODULES.items():
        rows = by(created["truth"][module]["live"], key)
        for i in range(3):
            expected = make(f"{module.lower()}-{i}")
            assert {k: rows[expected[key]][k] for k in expected} == expected
    notes = by(created["truth"]["Notes"]["live"], "Note_Title")
    for title in ("plain", "object"):
        assert notes[title]["Parent_Id"]["id"] == created["parent"]
        assert notes[title]["Parent_Id"]["module"]["api_name"] == "Leads"


def test_given_creates_when_written_then_one_call_per_module_and_the_chosen_trigger(created) -> None:
    before, after = created["before"], created["after"]
    assert write_calls(before, after) == 5
    kinds = ("workflow", "approval", "blueprint", "none")
    triggered = {k: after["triggers"].get(k, 0) - before["triggers"].get(k, 0) for k in kinds}
    assert triggered == {"workflow": 5, "approval": 0, "blueprint": 0, "none": 0}  # Notes' call included
    [st] = created["run"].states()
    assert st["destinationStats"]["recordCount"] == 3  # the Leads stream's records before its STATE


@pytest.fixture(scope="module")
def mixed(created, emulator: Emulator) -> dict[str, Any]:
    """Run 2, one stream per module in append_dedup mode: upsert an existing and a new record, update one
    by id, delete one by id; then update and delete the notes."""
    rows = {m: by(created["truth"][m]["live"], key) for m, (key, _, _) in MODULES.items()}
    messages, expected = [], {}
    for module, (key, make, (changed, value)) in MODULES.items():
        first, second, third = (rows[module][make(f"{module.lower()}-{i}")[key]] for i in range(3))
        new = make(f"{module.lower()}-new")
        messages += [
            record(module, {**make(f"{module.lower()}-0"), changed: value}),  # upsert: matches on the key
            record(module, new),  # upsert: inserts
            record(module, {"id": second["id"], changed: value, "_zoho_operation": "update"}),
            record(module, {"id": third["id"], "_zoho_operation": "delete"}),
        ]
        expected[module] = (first, second, third, new)
    notes = by(created["truth"]["Notes"]["live"], "Note_Title")
    messages += [record("Notes", {"id": notes["plain"]["id"], "Note_Content": "edited",
                                  "_zoho_operation": "update"}),
                 record("Notes", {"id": notes["object"]["id"], "_zoho_operation": "delete"})]
    streams = [(m, "append_dedup") for m in MODULES] + [("Notes", "append")]
    run = write(emulator, streams, messages, primary_key={m: [k] for m, (k, _, _) in MODULES.items()})
    return {"run": run, "expected": expected, "notes": notes, "truth": truth(emulator)}


def test_given_mixed_operations_when_written_then_the_truth_shows_each(mixed) -> None:
    assert mixed["run"].returncode == 0, (rejections(mixed["run"]), mixed["run"].stderr[-2000:])
    for module, (key, _, (changed, value)) in MODULES.items():
        first, second, third, new = mixed["expected"][module]
        rows = by(mixed["truth"][module]["live"], "id")
        assert rows[first["id"]][changed] == value, module  # upserted onto the existing record
        assert rows[second["id"]][changed] == value, module  # updated by id
        assert third["id"] not in rows and third["id"] in {d["id"] for d in mixed["truth"][module]["deleted"]}
        assert new[key] in {r[key] for r in rows.values()}, module


def test_given_note_updates_and_deletes_when_written_then_the_truth_shows_them(mixed) -> None:
    notes = by(mixed["truth"]["Notes"]["live"], "id")
    assert notes[mixed["notes"]["plain"]["id"]]["Note_Content"] == "edited"
    assert mixed["notes"]["object"]["id"] not in notes
