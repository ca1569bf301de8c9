"""Issue 12, "Found trying it as a new user": what a first-time user of the source runs into, through the console
scripts against the emulator. docs/reliability.md, "Hostile input: destination, tracebacks and new users", lists
each case with its expected behaviour.
"""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest

from integration_tests.harness import Emulator, configured_catalog, run_connector, same_value
from integration_tests.hostile.common import failure, no_crash

SOURCE, DESTINATION = "source-zoho-crm", "destination-zoho-crm"
BACKOFF = re.compile(r"retry \d+/\d+ in")  # the client's backoff log line (transport.py)


def discovered(config: dict[str, Any], name: str, sync_mode: str = "full_refresh") -> dict[str, Any]:
    """Airbyte's default selection of one discovered stream: every column."""
    run = run_connector(SOURCE, "discover", config=config)
    no_crash(run)
    streams = [m["catalog"]["streams"] for m in run.of_type("CATALOG")][0]
    return configured_catalog(streams, sync_mode=sync_mode, names=[name])


def live_rows(run: Any, stream: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in run.records(stream) if not r.get("_ab_cdc_deleted_at")}


def test_given_a_search_stream_with_every_column_selected_then_it_is_read_in_field_groups(
        emulator: Emulator) -> None:
    emulator.reset()
    truth = emulator.records("Leads")["live"]
    status = truth[0]["Lead_Status"]
    expected = {r["id"]: r for r in truth if r.get("Lead_Status") == status}
    config = emulator.config(modules=["Leads"], search_streams=[
        {"name": "by_status", "module": "Leads", "criteria": f"(Lead_Status:equals:{status})"}])
    catalog = discovered(config, "by_status")
    columns = set(catalog["streams"][0]["stream"]["json_schema"]["properties"])

    run = run_connector(SOURCE, "read", config=config, catalog=catalog)

    no_crash(run)
    assert run.returncode == 0 and not run.traces("ERROR") and len(columns) > 50
    got = live_rows(run, "by_status")
    assert set(got) == set(expected)
    for record_id, row in got.items():  # every column of every row, not only the first 50
        shared = columns & set(expected[record_id])
        # date-times compared as instants: the source emits UTC, Zoho the user's offset (source_zoho_crm/streams.py)
        assert not [k for k in shared if not same_value(row.get(k) or None, expected[record_id][k] or None)]


def test_given_a_search_past_2000_rows_it_cannot_split_then_it_ends_with_a_warning_not_a_failure(
        emulator_factory: Any) -> None:
    """Nine conditions leave no room for the two Modified_Time conditions of a read past 2,000 rows (Zoho allows
    10): the stream keeps the ceiling (a search it can split reads every row: test_search_past_ceiling.py)."""
    emu = emulator_factory(records=2100)
    nine = "(" + "and".join(f"(Last_Name:not_equal:zzz-none-{i})" for i in range(9)) + ")"
    config = emu.config(modules=["Leads"], search_streams=[{"name": "all_leads", "module": "Leads", "criteria": nine}])
    catalog = discovered(config, "all_leads")
    catalog["streams"][0]["stream"]["json_schema"]["properties"] = {"Last_Name": {"type": "string"}}

    run = run_connector(SOURCE, "read", config=config, catalog=catalog)

    no_crash(run)
    assert run.returncode == 0 and not run.traces("ERROR")
    assert len(live_rows(run, "all_leads")) == 2000
    assert any("2,000" in w and "coql_streams" in w and "Zoho allows 10" in w for w in run.logs("WARN")), run.logs(
        "WARN")


def test_given_search_criteria_zoho_refuses_then_the_message_says_search_criteria_not_coql(
        emulator: Emulator) -> None:
    config = emulator.config(modules=["Leads"], search_streams=[
        {"name": "odd", "module": "Leads", "criteria": "(No_Such_Field:equals:x)"}])
    catalog = discovered(config, "odd")

    run = run_connector(SOURCE, "read", config=config, catalog=catalog)

    message, kind = failure(run)
    assert run.returncode == 1 and kind == "config_error"
    assert "search criteria" in message and "(No_Such_Field:equals:x)" in message and "COQL" not in message


def test_given_the_days_credits_are_gone_then_the_read_fails_at_once_saying_when_they_return(
        emulator_factory: Any) -> None:
    emu = emulator_factory(records=20)
    config = emu.config(modules=["Leads"], edition="Enterprise")
    catalog = discovered(config, "Leads")
    emu.limits(credits_allowance=1000, credits_used=1000)
    before = emu.stats()

    run = run_connector(SOURCE, "read", config=config, catalog=catalog)

    message, _ = failure(run)
    throttled = emu.stats()["status_counts"].get("429", 0) - before["status_counts"].get("429", 0)
    assert run.returncode == 1 and "credits" in message and "24-hour" in message
    # one 429 per call of the first page (its two field groups are asked side by side), none retried
    assert throttled <= 2, f"{throttled} answers of 429: the used-up credits were retried"
    assert not [w for w in run.logs("WARN") if BACKOFF.search(w)]


def test_given_the_api_credit_budget_is_reached_then_the_sync_succeeds_with_state_and_a_warning(
        emulator_factory: Any) -> None:
    emu = emulator_factory(records=900)
    config = emu.config(modules=["Leads"], edition="Enterprise")
    catalog = discovered(config, "Leads", sync_mode="incremental")

    stopped = run_connector(SOURCE, "read", config={**config, "api_credit_budget": 3}, catalog=catalog)
    resumed = run_connector(SOURCE, "read", config=config, catalog=catalog, state=stopped.states()[-1:])

    no_crash(stopped)
    assert stopped.returncode == 0 and not stopped.traces("ERROR") and stopped.states()
    assert any("api_credit_budget" in w and "resumes" in w for w in stopped.logs("WARN"))
    assert resumed.returncode == 0
    got = {**live_rows(stopped, "Leads"), **live_rows(resumed, "Leads")}
    assert set(got) == {r["id"] for r in emu.records("Leads")["live"]}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("name", [SOURCE, DESTINATION])
def test_given_a_closed_port_then_check_fails_at_once_naming_the_address(emulator: Emulator, name: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}"

    run = run_connector(name, "check", config=emulator.config(accounts_url=url, api_url=url), timeout=60)

    message, _ = failure(run)
    assert run.returncode == 0 and url in message
    assert not [w for w in run.logs("WARN") if BACKOFF.search(w)], run.logs("WARN")  # no backoff at all


@pytest.mark.parametrize("name", [SOURCE, DESTINATION])
def test_given_unknown_config_keys_then_each_is_named_with_the_closest_known_key(
        emulator: Emulator, name: str) -> None:
    config = {**emulator.config(), "sort_by": "Modified_Time", "dc_regoin": "EU"}

    run = run_connector(name, "check", config=config)

    no_crash(run)
    warnings = run.logs("WARN")
    assert any("'dc_regoin'" in w and "did you mean 'dc_region'" in w for w in warnings), warnings
    assert any("'sort_by'" in w and "ignored" in w for w in warnings), warnings
    assert [m["connectionStatus"]["status"] for m in run.of_type("CONNECTION_STATUS")] == ["SUCCEEDED"]
