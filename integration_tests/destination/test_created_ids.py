"""Issue 18, item 4: the destination reports the new id of every record it created, so a pipeline can join them back."""

from __future__ import annotations

import json

from integration_tests.harness import Emulator
from integration_tests.wrk.actions import live, write

PREFIX = "Created records: "


def created(logs: list[str]) -> list[dict]:
    return [e for m in logs if m.startswith(PREFIX) for e in json.loads(m[len(PREFIX):])["records"]]


def test_given_creates_a_clone_and_a_convert_when_written_then_each_new_id_is_logged_by_position(
        emulator: Emulator) -> None:
    rows = [{"Last_Name": "Joined", "Company": "Join Co", "Email": f"join{i}@created.example"} for i in range(3)]

    inserted = created(write(emulator, "Leads", rows).logs())
    by_email = {r["Email"]: r for r in live(emulator, "Leads").values() if r.get("Email")}
    source = by_email["join0@created.example"]["id"]
    cloned = created(write(emulator, "Leads", [{"id": source, "_zoho_operation": "clone",
                                                "Email": "join-copy@created.example"}]).logs())
    converted = created(write(emulator, "Leads", [{"id": by_email["join1@created.example"]["id"],
                                                   "_zoho_operation": "convert"}]).logs())

    assert [(e["position"], e["id"]) for e in inserted] == [
        (i + 1, by_email[f"join{i}@created.example"]["id"]) for i in range(3)]
    [copy] = cloned
    assert copy["source_id"] == source and live(emulator, "Leads")[copy["id"]]["Email"] == "join-copy@created.example"
    [conversion] = converted
    assert live(emulator, "Contacts")[conversion["created"]["Contacts"]]["Last_Name"] == "Joined"
    assert live(emulator, "Accounts")[conversion["created"]["Accounts"]]["Account_Name"] == "Join Co"
