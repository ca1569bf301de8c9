"""Issue 12, silent loss through the cursor: a start or a saved cursor in the future, and a very large tie.

A cursor in the future reads nothing and, saved, makes every later sync skip every change: refused, naming
what to fix. Thousands of rows modified in the same second must not make each STATE carry every id of that
second (quadratic state), and the sync after such a state must still miss nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from integration_tests.harness import Emulator, Run, configured_catalog, run_connector
from integration_tests.hostile.security_scan import assert_no_secret

FUTURE = "2999-01-01T00:00:00Z"


def catalog_of(config: dict[str, Any], names: list[str]) -> dict[str, Any]:
    discovered = run_connector("source-zoho-crm", "discover", config=config, timeout=120)
    streams = [m["catalog"]["streams"] for m in discovered.messages if m.get("type") == "CATALOG"][0]
    return configured_catalog(streams, names=names)


def stream_state(name: str, blob: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": name}, "stream_state": blob}}]


def saved(run: Run, name: str) -> list[dict[str, Any]]:
    return [s["stream"]["stream_state"] for s in run.states() if s["stream"]["stream_descriptor"]["name"] == name]


@pytest.mark.parametrize("command", ["check", "read"])
def test_a_start_datetime_in_the_future_is_refused_naming_the_key(emulator: Emulator, command: str) -> None:
    config = emulator.config(start_datetime="2999-01-01")
    extra = {"catalog": catalog_of(emulator.config(), ["Leads"])} if command == "read" else {}
    run = run_connector("source-zoho-crm", command, config=config, timeout=120, **extra)
    if command == "check":
        [status] = [m["connectionStatus"] for m in run.messages if m.get("type") == "CONNECTION_STATUS"]
        assert status["status"] == "FAILED" and status["message"].startswith("start_datetime"), status
    else:
        assert run.returncode != 0
        [error] = [t["error"] for t in run.traces("ERROR")]
        assert "start_datetime" in error["message"] and "future" in error["message"], error
        assert error["failure_type"] == "config_error"
        assert not run.states() and not run.records()
    assert_no_secret(run)


def test_a_saved_cursor_in_the_future_is_refused_and_not_saved_again(emulator: Emulator) -> None:
    config = emulator.config()
    run = run_connector("source-zoho-crm", "read", config=config, catalog=catalog_of(config, ["Leads"]),
                        state=stream_state("Leads", {"Modified_Time": FUTURE, "ids_at_cursor": []}), timeout=120)
    assert run.returncode != 0
    [error] = [t["error"] for t in run.traces("ERROR")]
    assert "Leads" in error["message"] and FUTURE in error["message"] and "Reset" in error["message"], error
    assert error["failure_type"] == "config_error"
    assert all(s.get("Modified_Time") != FUTURE for s in saved(run, "Leads")), "the future cursor was saved again"
    assert_no_secret(run)


def test_a_thousand_rows_in_one_second_keep_each_state_to_a_page_and_lose_nothing(emulator_factory) -> None:
    emu: Emulator = emulator_factory(records=1300)
    tied = emu.mutate(module="Leads", update=1000, same_second=True)["updated"]
    config = emu.config(bulk_read="never", include_deleted=False)
    catalog = catalog_of(config, ["Leads"])
    first = run_connector("source-zoho-crm", "read", config=config, catalog=catalog, timeout=300)
    assert first.returncode == 0, first.stdout[-2000:]
    live = {r["id"] for r in emu.records("Leads")["live"]}
    assert {r["id"] for r in first.records("Leads")} == live
    states = saved(first, "Leads")
    assert len(tied) == 1000 and len(states) >= 5
    assert max(len(s["ids_at_cursor"]) for s in states) == 200, "the ids at the cursor grew past a page"
    assert max(len(json.dumps(s)) for s in states) < 8_000  # bytes: 200 ids, not 1,000

    # the next sync from that state: every row of the tied second it has no id for is read again, none lost
    emu.mutate(module="Leads", update=3)
    second = run_connector("source-zoho-crm", "read", config=config, catalog=catalog, timeout=300,
                           state=stream_state("Leads", states[-1]))
    assert second.returncode == 0, second.stdout[-2000:]
    again = {r["id"] for r in second.records("Leads")}
    newest = max(r["Modified_Time"] for r in emu.records("Leads")["live"])
    changed = {r["id"] for r in emu.records("Leads")["live"] if r["Modified_Time"] == newest}
    assert changed <= again, "a change after the tie was missed"
    assert set(tied) - set(states[-1]["ids_at_cursor"]) <= again, "a row of the tied second was lost"
    assert_no_secret(second)
