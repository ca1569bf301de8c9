"""Rows that set Owner and Tag, written through the console script and committed in the emulator.

Zoho's field metadata marks Owner `field_read_only: true` with `operation_type.api_create/api_update: true`, and
gives Tag `data_type: text` with `json_type: jsonarray`; its SDK sample sets both on insert (docs/zoho-api/
fields.md). The destination offers both in its catalog and sends them; the emulator's ground truth shows them set.
"""

from __future__ import annotations

import jsonschema

from integration_tests.destination.messages import DESTINATION, by, live, record, rejections, state, write
from integration_tests.harness import Emulator, run_connector

USERS = [f"5725767{500_000 + i:012d}" for i in range(5)]  # the emulator's seeded users (seed.make_users)


def _operations(emulator: Emulator) -> dict[tuple[str, str], dict]:
    run = run_connector(DESTINATION, "discover", config=emulator.config())
    assert run.returncode == 0, run.stderr[-2000:]
    [message] = run.of_type("DESTINATION_CATALOG")
    return {(op["object_name"], op["sync_mode"]): op["json_schema"]
            for op in message["destination_catalog"]["operations"]}


def test_given_the_emulator_when_discovered_then_owner_and_tag_are_writable_columns(emulator: Emulator) -> None:
    ops = _operations(emulator)
    for module in ("Leads", "Contacts", "Deals", "CustomModule1"):
        for mode in ("append", "update"):
            properties = ops[(module, mode)]["properties"]
            assert {"Owner", "Tag"} <= set(properties), (module, mode)
            assert "Created_Time" not in properties and "Full_Name" not in properties
    row = {"Last_Name": "Valid", "Owner": {"id": USERS[1]}, "Tag": [{"name": "Hot"}]}
    jsonschema.validate(row, ops[("Leads", "append")])


def test_given_rows_setting_owner_and_tag_when_written_then_zoho_holds_them(emulator: Emulator) -> None:
    emulator.reset()
    target = live(emulator, "Contacts")[0]
    run = write(emulator, [("Leads", "append"), ("Contacts", "update")], [
        record("Leads", {"Last_Name": "Owned 1", "Email": "owned1@lead.example", "Owner": {"id": USERS[2]},
                         "Tag": [{"name": "Webinar"}, {"name": "Imported 2026"}]}),
        record("Leads", {"Last_Name": "Owned 2", "Email": "owned2@lead.example", "Owner": USERS[3], "Tag": []}),
        record("Leads", {"Last_Name": "Owned 3", "Email": "owned3@lead.example",
                         "Owner": {"email": "ken.adams@zylker.example"}}),
        record("Contacts", {"_zoho_operation": "update", "id": target["id"], "Owner": {"id": USERS[4]},
                            "Tag": [{"name": "VIP"}]}),
        state("Leads", 1),
    ])
    assert run.returncode == 0, run.stderr[-2000:]
    assert rejections(run) == []
    leads = by(live(emulator, "Leads"), "Email")
    first, second, third = (leads[f"owned{i}@lead.example"] for i in (1, 2, 3))
    assert [first["Owner"]["id"], second["Owner"]["id"], third["Owner"]["id"]] == [USERS[2], USERS[3], USERS[1]]
    assert [t["name"] for t in first["Tag"]] == ["Webinar", "Imported 2026"] and second["Tag"] == []
    assert all(t["id"] for t in first["Tag"])
    contact = by(live(emulator, "Contacts"), "id")[target["id"]]
    assert contact["Owner"]["id"] == USERS[4] and [t["name"] for t in contact["Tag"]] == ["VIP"]


def test_given_a_tag_as_plain_text_when_written_then_it_is_rejected_locally(emulator: Emulator) -> None:
    emulator.reset()
    before = emulator.stats()
    run = write(emulator, [("Leads", "append")], [record("Leads", {"Last_Name": "Bad", "Tag": "Hot"})])
    [rejected] = rejections(run)
    assert rejected["code"] == "INVALID_DATA" and rejected["field"] == "Tag"
    assert emulator.stats()["by_route"].get("POST /crm/v8/{module}", 0) == before["by_route"].get(
        "POST /crm/v8/{module}", 0)
