"""check, discover, the overwrite refusal and dry run, through the console script against the emulator."""

from __future__ import annotations

from integration_tests.destination.messages import (
    DESTINATION,
    live,
    record,
    rejections,
    state,
    write,
    write_calls,
)
from integration_tests.harness import Emulator, run_connector


def test_given_the_emulator_when_checked_then_the_connection_succeeds(emulator: Emulator) -> None:
    config = emulator.config(streams=[{"name": "people", "module": "Contacts", "operation": "upsert"}])
    run = run_connector(DESTINATION, "check", config=config)
    assert run.of_type("CONNECTION_STATUS")[0]["connectionStatus"] == {"status": "SUCCEEDED"}


def test_given_a_revoked_refresh_token_when_checked_then_a_clear_failure_without_the_secret(emulator) -> None:
    config = emulator.config(refresh_token="1000.revoked-token-value")
    run = run_connector(DESTINATION, "check", config=config)
    status = run.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED"
    assert "refresh" in status["message"].lower() and "Traceback" not in status["message"]
    assert "revoked-token-value" not in run.stdout + run.stderr


def test_given_the_emulator_when_discovered_then_a_destination_catalog_of_creatable_modules(emulator) -> None:
    run = run_connector(DESTINATION, "discover", config=emulator.config())
    assert run.returncode == 0, run.stderr[-2000:]
    [message] = run.of_type("DESTINATION_CATALOG")
    ops = {(op["object_name"], op["sync_mode"]): op for op in message["destination_catalog"]["operations"]}
    assert {"Leads", "Contacts", "Deals", "Notes", "CustomModule1"} <= {name for name, _ in ops}
    assert ops[("Leads", "append_dedup")]["matching_keys"] == [["Email"]]
    assert ops[("Deals", "append_dedup")]["matching_keys"] == [["Deal_Name"]]
    assert ops[("CustomModule1", "append")]["json_schema"]["required"] == ["Name"]
    assert ops[("Notes", "soft_delete")]["matching_keys"] == [["id"]]


def test_given_an_overwrite_stream_when_written_then_refused_before_any_write(emulator: Emulator) -> None:
    before = emulator.stats()
    run = write(emulator, [("Leads", "overwrite")], [record("Leads", {"Last_Name": "x"})])
    assert run.returncode == 1
    [trace] = run.traces("ERROR")
    assert "'overwrite' sync mode, which this destination refuses" in trace["error"]["message"]
    assert trace["error"]["failure_type"] == "config_error"
    assert write_calls(before, emulator.stats()) == 0


def test_given_dry_run_when_written_then_reported_but_nothing_written_and_no_state(emulator: Emulator) -> None:
    emulator.reset()
    base = len(live(emulator, "Leads"))
    before = emulator.stats()
    messages = [record("Leads", {"Last_Name": f"Dry {i}"}) for i in range(5)]
    messages += [record("Leads", {"Last_Name": "Dry bad", "Lead_Status": "Dreaming"}), state("Leads", 1)]
    run = write(emulator, [("Leads", "append")], messages, dry_run=True, on_rejected="report")
    assert run.returncode == 0, run.stderr[-2000:]
    assert write_calls(before, emulator.stats()) == 0 and len(live(emulator, "Leads")) == base
    assert run.states() == []
    assert [(r["code"], r["field"]) for r in rejections(run)] == [("INVALID_DATA", "Lead_Status")]
    assert "Summary: stream Leads, create: 5 validated (dry run, not written)" in run.logs()
