"""Bad input (issue 7 item 8): each mistake gets a clear message naming what to fix, never a bare traceback."""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.chaos.expect import clean_error, completed
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.verdict import Verdict, compare_writes
from integration_tests.chaos.writes import (
    DESTINATION,
    destination_catalog,
    destination_config,
    lead_rows,
    stdin_for,
)
from integration_tests.harness import Emulator

SOURCE = "source-zoho-crm"


# (case, change to a working config, the key the message must name so the user knows what to fix)
SOURCE_CONFIGS = [
    pytest.param({"client_secret": None}, "client_secret", id="missing client_secret"),
    pytest.param({"client_id": 12345}, "client_id", id="client_id of the wrong type"),
    pytest.param({"dc_region": "Atlantis"}, "dc_region", id="unknown region"),
    pytest.param({"start_datetime": "2024-13-45"}, "start_datetime", id="impossible start date"),
    pytest.param({"start_datetime": "last tuesday"}, "start_datetime", id="start date that is not a date"),
    pytest.param({"api_credit_budget": "plenty"}, "api_credit_budget", id="credit budget of the wrong type"),
    pytest.param({"api_url": "http://zoho.example.com"}, "api_url", id="plain http to a remote host"),
]
DESTINATION_CONFIGS = [
    pytest.param({"refresh_token": None}, "refresh_token", id="missing refresh_token"),
    pytest.param({"dc_region": "Atlantis"}, "dc_region", id="unknown region"),
    pytest.param({"accounts_url": "http://accounts.example.com"}, "accounts_url", id="plain http to a remote host"),
]


def broken(config: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    out = {**config, **change}
    return {k: v for k, v in out.items() if v is not None}


@pytest.mark.parametrize(("change", "key"), SOURCE_CONFIGS)
def test_source_check_with_a_bad_config_names_the_key(scenario: Scenario, emulator: Emulator,
                                                      change: dict[str, Any], key: str) -> None:
    run = scenario.recorder.run(SOURCE, "check", config=broken(scenario.config(emulator), change))
    message = clean_error(run)
    scenario.report(f"config: {scenario.case}", Verdict(1, 1), note=message[:60], name="bad config (source)")
    assert key in message, message


@pytest.mark.parametrize(("change", "key"), DESTINATION_CONFIGS)
def test_destination_check_with_a_bad_config_names_the_key(scenario: Scenario, emulator: Emulator,
                                                           change: dict[str, Any], key: str) -> None:
    run = scenario.recorder.run(DESTINATION, "check", config=broken(scenario.config(emulator), change))
    message = clean_error(run)
    scenario.report(f"config: {scenario.case}", Verdict(1, 1), note=message[:60], name="bad config (destination)")
    assert key in message, message


MALFORMED_CATALOGS = [
    pytest.param({"streams": "Leads"}, "streams", id="streams that are not a list"),
]


@pytest.mark.parametrize(("catalog", "names"), MALFORMED_CATALOGS)
def test_source_read_with_a_malformed_catalog_says_what_is_wrong(scenario: Scenario, emulator: Emulator,
                                                                 catalog: Any, names: str) -> None:
    run = scenario.recorder.run(SOURCE, "read", config=scenario.config(emulator), catalog=catalog)
    message = clean_error(run)
    scenario.report(f"catalog: {scenario.case}", Verdict(1, 1), note=message[:60], name="bad catalog (source)")
    assert names in message, message
    assert run.returncode != 0 and not run.of_type("RECORD")


def test_source_read_of_a_stream_zoho_does_not_have_reports_it_incomplete(scenario: Scenario,
                                                                         emulator: Emulator) -> None:
    # Zoho answers INVALID_MODULE for a module it does not have as for one it refuses (docs/zoho-api/modules.md):
    # the stream is reported INCOMPLETE with Zoho's reason, and the sync goes on (issue 17 item 1).
    catalog = {"streams": [{
        "stream": {"name": "No_Such_Module", "json_schema": {"type": "object"}, "supported_sync_modes": ["full_refresh"]},
        "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
    run = scenario.recorder.run(SOURCE, "read", config=scenario.config(emulator), catalog=catalog)
    warnings = [w for w in run.logs("WARN") if "No_Such_Module" in w and "INVALID_MODULE" in w]
    statuses = [t["stream_status"]["status"] for t in run.traces("STREAM_STATUS")]
    scenario.report("catalog: a stream Zoho does not have", Verdict(1, 1), note=(warnings or ["-"])[0][:60],
                    name="bad catalog (source)")
    assert run.returncode == 0 and not run.traces("ERROR") and not run.of_type("RECORD")
    assert warnings and statuses[-1] == "INCOMPLETE", run.stdout[-2000:]


def test_destination_stops_at_a_garbage_line_naming_it_and_the_resent_rows_are_written(scenario: Scenario,
                                                                                        emulator: Emulator) -> None:
    # issue 12: a skipped line would be acknowledged by a later STATE and never sent again; the write stops there
    rows = lead_rows("garbage", 3)
    stdin = 'this is not json\n{"type": "RECORD"}\n' + stdin_for("Leads", rows)
    config, catalog = destination_config(scenario.config(emulator)), destination_catalog()
    stopped = scenario.recorder.run(DESTINATION, "write", config=config, catalog=catalog, stdin=stdin)
    message = clean_error(stopped)
    resent = scenario.recorder.run(DESTINATION, "write", config=config, catalog=catalog,
                                   stdin=stdin_for("Leads", rows))
    verdict = compare_writes(rows, emulator.records("Leads")["live"], "Email")
    scenario.report("stdin: a non-JSON line, then the rows resent", verdict, note=message[:60],
                    name="bad input (destination stdin)")
    assert stopped.returncode != 0 and "input line 1" in message, message
    completed(resent)
    assert verdict.ok, verdict.explain()


def test_destination_refuses_a_record_of_an_unknown_stream_by_name(scenario: Scenario, emulator: Emulator) -> None:
    stdin = stdin_for("Not_A_Stream", [{"Last_Name": "x"}]) + stdin_for("Leads", lead_rows("unknown", 2))
    run = scenario.recorder.run(DESTINATION, "write", config=destination_config(scenario.config(emulator)),
                                catalog=destination_catalog(), stdin=stdin)
    message = clean_error(run)
    scenario.report("stdin: a record of a stream not in the catalog", Verdict(1, 1), note=message[:60],
                    name="bad input (destination stdin)")
    assert "Not_A_Stream" in message and run.returncode != 0, message
