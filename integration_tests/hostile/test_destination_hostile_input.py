"""Issue 12, destination: hostile input through `destination-zoho-crm write`, checked against the emulator's truth.

Each case asserts the exit status, the message (naming what to fix), the data in Zoho (nothing lost, nothing
written twice, also after the platform's retry, which resends everything after the last STATE it received) and
that no output is the CDK's "Something went wrong in the connector". The table is in docs/reliability.md,
"Hostile input: destination, tracebacks and new users".
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from integration_tests.destination.messages import (
    DESTINATION,
    catalog,
    live,
    record,
    rejections,
    state,
    write,
)
from integration_tests.harness import Emulator, run_connector
from integration_tests.hostile.common import failure, markers, no_crash


def lead(tag: str, i: int, **extra: Any) -> dict[str, Any]:
    return record("Leads", {"Last_Name": f"{tag} {i}", "Email": f"{tag}.{i}@hostile.example", **extra})


def tagged(emulator: Emulator, tag: str) -> list[str]:
    """Last names of the live Leads this test wrote (a duplicate shows as a repeated name)."""
    return sorted(r["Last_Name"] for r in live(emulator, "Leads") if str(r.get("Last_Name", "")).startswith(tag))


def after_last_state(messages: list[dict[str, Any]], echoed: int) -> list[dict[str, Any]]:
    """What the platform resends on its retry: every message after the `echoed`-th STATE."""
    seen = 0
    for index, message in enumerate(messages):
        if message["type"] == "STATE":
            seen += 1
            if seen == echoed:
                return messages[index + 1:]
    return messages


def test_given_a_record_of_a_stream_not_in_the_catalog_then_the_settled_state_is_echoed_before_failing(
        emulator: Emulator) -> None:
    emulator.reset()
    first = [lead("fatal", i) for i in range(100)] + [state("Leads", 1)]
    rest = [record("Nope", {"Last_Name": "x"}), *[lead("fatal", i) for i in range(100, 105)], state("Leads", 2)]

    run = write(emulator, [("Leads", "append")], first + rest)

    message, kind = failure(run)
    assert run.returncode == 1 and "'Nope'" in message and kind == "config_error"
    assert markers(run) == [1]  # the 100 committed rows are acknowledged: a retry does not write them again
    assert tagged(emulator, "fatal") == sorted(f"fatal {i}" for i in range(100))
    retry = [m for m in after_last_state(first + rest, len(markers(run)))
             if m.get("record", {}).get("stream") != "Nope"]  # the user fixed the source
    again = write(emulator, [("Leads", "append")], retry)
    no_crash(again)
    assert again.returncode == 0 and markers(again) == [2]
    assert tagged(emulator, "fatal") == sorted(f"fatal {i}" for i in range(105))


@pytest.mark.parametrize("bad", ["{not json", '{"type": "RECORD", "record": {"stream": "Leads"', '{"type": "STATE"}'])
def test_given_a_line_that_is_not_a_message_then_the_attempt_fails_naming_it_and_the_row_is_sent_again(
        emulator: Emulator, bad: str) -> None:
    emulator.reset()
    first = [lead("line", i) for i in range(100)] + [state("Leads", 1)]
    later = [lead("line", i) for i in range(100, 103)] + [state("Leads", 2)]
    stdin = "".join(json.dumps(m) + "\n" for m in first) + bad + "\n" + "".join(json.dumps(m) + "\n" for m in later)

    run = run_connector(DESTINATION, "write", config=emulator.config(), catalog=catalog(("Leads", "append")),
                        stdin=stdin, timeout=120)

    message, kind = failure(run)
    assert run.returncode == 1 and "input line 102" in message and kind == "config_error"
    assert markers(run) == [1]  # STATE 2 would acknowledge the broken line: never echoed
    assert tagged(emulator, "line") == sorted(f"line {i}" for i in range(100))
    again = write(emulator, [("Leads", "append")], after_last_state(first + later, 1))
    assert again.returncode == 0 and markers(again) == [2]
    assert tagged(emulator, "line") == sorted(f"line {i}" for i in range(103))


@pytest.mark.parametrize("value", [[{"name": "English"}], [["English"]], [1, "English"]])
def test_given_a_multi_select_of_objects_then_the_row_is_rejected_and_the_others_commit(
        emulator: Emulator, value: Any) -> None:
    emulator.reset()
    messages = [lead("pick", i) for i in range(100)] + [lead("pick", 100, Languages_Known=value),
                                                        state("Leads", 1)]

    run = write(emulator, [("Leads", "append")], messages, on_rejected="report")

    no_crash(run)
    assert run.returncode == 0 and markers(run) == [1]
    [rejected] = rejections(run)
    assert rejected["field"] == "Languages_Known" and "picklist values are strings" in rejected["message"]
    assert tagged(emulator, "pick") == sorted(f"pick {i}" for i in range(100))


def test_given_nan_in_a_number_then_the_row_is_rejected_locally_not_reported_as_an_ambiguous_write(
        emulator: Emulator) -> None:
    emulator.reset()
    good = [json.dumps(lead("nan", i)) for i in range(3)]
    nan = json.dumps(lead("nan", 3)).replace('"Last_Name"', '"Annual_Revenue": NaN, "Last_Name"')
    stdin = "\n".join([*good, nan, json.dumps(state("Leads", 1))]) + "\n"

    run = run_connector(DESTINATION, "write", config=emulator.config(on_rejected="report"),
                        catalog=catalog(("Leads", "append")), stdin=stdin, timeout=120)

    no_crash(run)
    assert run.returncode == 0 and markers(run) == [1]
    [rejected] = rejections(run)
    assert rejected["source"] == "local" and rejected["field"] == "Annual_Revenue" and "NaN" in rejected["message"]
    assert tagged(emulator, "nan") == ["nan 0", "nan 1", "nan 2"]


def test_given_a_tombstone_on_a_stream_written_by_id_then_the_record_is_deleted(emulator: Emulator) -> None:
    emulator.reset()
    victim, kept = live(emulator, "Leads")[:2]
    rows = [record("Leads", {"id": victim["id"], "Last_Name": victim["Last_Name"],
                             "_ab_cdc_deleted_at": "2026-01-01T00:00:00Z"}),
            record("Leads", {"id": kept["id"], "Last_Name": "Still here", "_ab_cdc_deleted_at": None}),
            state("Leads", 1)]

    run = write(emulator, [("Leads", "append_dedup")], rows, primary_key={"Leads": ["id"]})

    no_crash(run)
    assert run.returncode == 0 and markers(run) == [1] and not rejections(run)
    truth = emulator.records("Leads")
    assert victim["id"] in {d["id"] for d in truth["deleted"]}
    assert {r["id"]: r["Last_Name"] for r in truth["live"]}[kept["id"]] == "Still here"


def test_given_a_tombstone_on_a_stream_matched_on_email_then_it_is_rejected_saying_how_to_delete(
        emulator: Emulator) -> None:
    emulator.reset()
    target = live(emulator, "Leads")[0]
    rows = [record("Leads", {"Email": target["Email"], "Last_Name": "gone",
                             "_ab_cdc_deleted_at": "2026-01-01T00:00:00Z"}), state("Leads", 1)]

    run = write(emulator, [("Leads", "append_dedup")], rows, primary_key={"Leads": ["Email"]}, on_rejected="report")

    no_crash(run)
    [rejected] = rejections(run)
    assert rejected["field"] == "_ab_cdc_deleted_at" and "soft_delete" in rejected["message"]
    assert {r["id"]: r for r in live(emulator, "Leads")}[target["id"]] == target  # not overwritten, not kept as new


def test_given_an_upsert_whose_matching_key_is_empty_then_a_rerun_does_not_insert_it_again(
        emulator: Emulator) -> None:
    emulator.reset()
    rows = [record("Leads", {"Last_Name": "keyless 0", "Email": None}),
            record("Leads", {"Last_Name": "keyless 1"}), lead("keyless", 2), state("Leads", 1)]

    runs = [write(emulator, [("Leads", "append_dedup")], rows, primary_key={"Leads": ["Email"]},
                  on_rejected="report") for _ in range(2)]

    for run in runs:
        no_crash(run)
        assert run.returncode == 0 and markers(run) == [1]
        assert sorted(r["field"] for r in rejections(run)) == ["Email", "Email"]
        assert all("matching key Email is empty" in r["message"] for r in rejections(run))
    assert tagged(emulator, "keyless") == ["keyless 2"]


def test_given_a_delete_resent_after_a_kill_then_the_ids_already_deleted_count_as_done(emulator: Emulator) -> None:
    emulator.reset()
    ids = [r["id"] for r in live(emulator, "Leads")[:3]]
    rows = [record("Leads", {"id": i}) for i in ids] + [state("Leads", 1)]

    first = write(emulator, [("Leads", "soft_delete")], rows)
    resent = write(emulator, [("Leads", "soft_delete")], rows)

    for run in (first, resent):
        no_crash(run)
        assert run.returncode == 0 and markers(run) == [1] and not rejections(run)
    assert any("3 committed (already deleted)" in line for line in resent.logs())
    assert set(ids) <= {d["id"] for d in emulator.records("Leads")["deleted"]}


def test_given_a_reject_file_in_a_missing_folder_then_the_write_fails_before_writing(emulator: Emulator) -> None:
    emulator.reset()
    before = len(live(emulator, "Leads"))

    run = write(emulator, [("Leads", "append")], [lead("reject", 0), state("Leads", 1)],
                reject_file="/nonexistent-folder/rejects.jsonl")

    message, kind = failure(run)
    assert run.returncode == 1 and "reject_file" in message and "does not exist" in message
    assert kind == "config_error" and len(live(emulator, "Leads")) == before


def test_given_a_catalog_listing_a_stream_twice_then_the_write_is_refused(emulator: Emulator) -> None:
    emulator.reset()
    doubled = catalog(("Leads", "append"), ("Leads", "append"))
    stdin = json.dumps(lead("twice", 0)) + "\n"

    run = run_connector(DESTINATION, "write", config=emulator.config(), catalog=doubled, stdin=stdin, timeout=120)

    message, kind = failure(run)
    assert run.returncode == 1 and "'Leads' is listed twice" in message and kind == "config_error"
    assert tagged(emulator, "twice") == []
