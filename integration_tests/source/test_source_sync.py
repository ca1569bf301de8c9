"""The source through its console script against the emulator: full sync, incremental after changes,
COQL and search streams, the cost of a no-change sync, a killed sync resumed, and the credit budget."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from integration_tests.harness import Emulator, configured_catalog, run_connector, same_value, script
from source_zoho_crm.dates import require_datetime
from source_zoho_crm.org_streams import ORG_STREAMS
from source_zoho_crm.streams import utc_text

SYNTHETIC = {"_ab_cdc_deleted_at", "parent_module", "parent_id"}
COQL = {"name": "named_leads", "cursor_field": "Modified_Time",
        "query": "select Last_Name, Email, Lead_Status, Modified_Time from Leads where Last_Name is not null"}
SEARCH = {"name": "contacted_leads", "module": "Leads", "criteria": "(Lead_Status:equals:Contacted)"}
SEARCH_COLUMNS = ("id", "Last_Name", "Email", "Lead_Status", "Modified_Time")


def last_states(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The state to pass to the next run: the last STATE of each stream."""
    by_stream = {s["stream"]["stream_descriptor"]["name"]: s for s in states}
    return list(by_stream.values())


def live(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rows if not r.get("_ab_cdc_deleted_at")}


def mismatches(truth: list[dict[str, Any]], got: dict[str, dict[str, Any]], columns: set[str]) -> list[str]:
    """Every (id, column) where the emitted row differs from the emulator's truth.

    The CDK's serialiser leaves null values out, so a missing key means null; a date-time is compared as an instant
    (the source emits UTC); subforms and multi-select
    lookups come only with a single-record fetch (docs/zoho-api.md section 2.2), so an empty list is not read.
    """
    found = []
    for row in truth:
        emitted = got.get(row["id"], {})
        for column in columns:
            expected = row.get(column)
            if expected == [] and column not in emitted:
                continue
            if not same_value(emitted.get(column), expected):
                found.append(f"{row['id']}.{column}: {emitted.get(column)!r} != {expected!r}")
    return found


MODULES = ["Leads", "Contacts", "Accounts", "Deals", "Tasks", "Notes", "CustomModule1"]


def discover_catalog(config: dict[str, Any]) -> dict[str, Any]:
    run = run_connector("source-zoho-crm", "discover", config=config)
    assert run.returncode == 0, run.stderr[-2000:]
    # the organisation streams (Users, Org, ...) have their own tests (test_org_streams.py); the costs measured
    # here are the module, COQL and search streams'
    catalog = configured_catalog([s for s in run.of_type("CATALOG")[0]["catalog"]["streams"]
                                  if s["name"] not in ORG_STREAMS])
    for entry in catalog["streams"]:
        if entry["stream"]["name"] == SEARCH["name"]:
            # Zoho's search takes at most 50 fields per call: select a few columns, as a user would.
            schema = entry["stream"]["json_schema"]
            schema["properties"] = {k: schema["properties"][k] for k in SEARCH_COLUMNS}
    return catalog


def measured_read(org: Emulator, config: dict[str, Any], catalog: dict[str, Any], state: Any = None) -> Any:
    """A read, with the emulator's request count, credits and calls by route attached as `cost`/`routes`."""
    before = org.stats()
    run = run_connector("source-zoho-crm", "read", config=config, catalog=catalog, state=state)
    after = org.stats()
    assert run.returncode == 0, run.stderr[-3000:] + str(run.traces("ERROR"))
    run.cost = (after["requests"] - before["requests"], after["credits_used"] - before["credits_used"])
    run.routes = {k: v - before["by_route"].get(k, 0) for k, v in after["by_route"].items()}
    return run


def test_given_the_emulator_when_checking_then_the_connection_succeeds(emulator: Emulator) -> None:
    run = run_connector("source-zoho-crm", "check", config=emulator.config())

    assert run.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"


def test_given_a_bad_refresh_token_when_checking_then_it_says_what_to_fix_without_the_secret(
        emulator: Emulator) -> None:
    secret = "1000.not-a-real-token-0123456789"

    run = run_connector("source-zoho-crm", "check", config=emulator.config(refresh_token=secret))

    status = run.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and "refresh" in status["message"].lower()
    assert secret not in run.stdout + run.stderr and "Traceback" not in run.stdout


@pytest.mark.timeout(900)  # four connector runs over ~15,000 records: seconds alone, minutes on a loaded CI box
def test_given_a_seeded_org_when_syncing_fully_then_incrementally_then_every_read_matches_the_truth(
        emulator_factory: Any) -> None:
    """One flow, so the seeded org is discovered and fully read once (a few thousand Leads, > 50 fields)."""
    org = emulator_factory(records=2100)
    # no `edition`: the first sync learns it from GET org and the state keeps it (source_zoho_crm/edition.py)
    config = org.config(coql_streams=[COQL], search_streams=[SEARCH])
    catalog = discover_catalog(config)
    assert_discovered(catalog)

    first = measured_read(org, config, catalog)
    assert_full_sync_equals_truth(org, catalog, first)
    assert_converted_leads_and_note_parents(org, first)
    assert_coql_and_search_rows(org, first)
    assert_progress_visible(first)

    modules_only = {"streams": [s for s in catalog["streams"] if s["stream"]["name"] in MODULES]}
    unchanged = measured_read(org, config, modules_only, last_states(first.states()))
    assert unchanged.records() == []
    # One call per module for its records (Leads too: its second field group is not asked for when the
    # first holds only the rows already read at the boundary), and one per module for its deletions; Notes:
    # one newest-first page and no deletions (source_zoho_crm/readers/notes.py).
    assert unchanged.routes["GET /crm/v8/{module}"] == len(MODULES) - 1
    assert unchanged.routes["GET /crm/v8/{module}/deleted"] == len(MODULES) - 1
    assert unchanged.routes["GET /crm/v8/Notes"] == 1 and "GET /crm/v8/Notes/deleted" not in unchanged.routes
    assert first.routes["GET /crm/v8/org"] == 1 and unchanged.routes.get("GET /crm/v8/org", 0) == 0

    touched = org.mutate(module="Leads", create=5, update=250, delete=3, same_second=True)
    changed = measured_read(org, config, catalog, last_states(first.states()))
    assert_incremental_returns_the_changes(org, first, changed, touched)
    report_cost("first sync", first.cost)
    report_cost("no-change incremental", unchanged.cost)
    report_cost("incremental after changes", changed.cost)


def assert_discovered(catalog: dict[str, Any]) -> None:
    streams = {s["stream"]["name"]: s["stream"] for s in catalog["streams"]}
    assert set(MODULES) <= set(streams)
    assert "Home" not in streams and not any("_X_" in name for name in streams)
    assert len(streams["Leads"]["json_schema"]["properties"]) > 50
    assert {"parent_module", "parent_id", "Parent_Id"} <= set(streams["Notes"]["json_schema"]["properties"])
    assert streams["named_leads"]["default_cursor_field"] == ["Modified_Time"]
    assert streams["contacted_leads"]["supported_sync_modes"] == ["full_refresh"]


def assert_full_sync_equals_truth(org: Emulator, catalog: dict[str, Any], first: Any) -> None:
    for entry in catalog["streams"]:
        name = entry["stream"]["name"]
        if name not in MODULES:
            continue
        truth = org.records(name)
        rows = first.records(name)
        columns = set(entry["stream"]["json_schema"]["properties"]) - SYNTHETIC
        assert set(live(rows)) == {r["id"] for r in truth["live"]}, name
        assert mismatches(truth["live"], live(rows), columns) == [], name
        tombstones = {r["id"]: r["_ab_cdc_deleted_at"] for r in rows if r.get("_ab_cdc_deleted_at")}
        # Zoho lists no deleted Notes (docs/zoho-api/notes.md): that stream has no tombstones
        expected = {} if name == "Notes" else {d["id"]: utc_text(d["deleted_time"]) for d in truth["deleted"]}
        assert tombstones == expected, name


def assert_converted_leads_and_note_parents(org: Emulator, first: Any) -> None:
    converted = {r["id"] for r in org.records("Leads")["live"] if r.get("Converted__s")}
    notes = live(first.records("Notes"))
    assert converted and converted <= set(live(first.records("Leads")))
    for truth in org.records("Notes")["live"]:
        parent = truth["Parent_Id"]
        assert (notes[truth["id"]]["parent_module"], notes[truth["id"]]["parent_id"]) == (
            parent["module"]["api_name"], parent["id"])


def assert_coql_and_search_rows(org: Emulator, first: Any) -> None:
    leads = org.records("Leads")["live"]
    assert set(live(first.records("named_leads"))) == {r["id"] for r in leads if r.get("Last_Name")}
    assert set(live(first.records("contacted_leads"))) == {
        r["id"] for r in leads if r.get("Lead_Status") == "Contacted"}


def assert_progress_visible(first: Any) -> None:
    statuses = [(t["stream_status"]["stream_descriptor"]["name"], t["stream_status"]["status"])
                for t in first.traces("STREAM_STATUS")]
    assert ("Leads", "STARTED") in statuses and ("Leads", "COMPLETE") in statuses
    assert any(line.startswith("Leads: page 11, ") for line in first.logs())  # past 2,000 rows: page_token
    assert any(line.startswith("Leads: complete:") for line in first.logs())
    assert first.traces("ESTIMATE")


def assert_incremental_returns_the_changes(org: Emulator, first: Any, changed: Any, touched: Any) -> None:
    boundary = {s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"] for s in first.states()}
    rows = changed.records("Leads")
    assert set(touched["created"]) | set(touched["updated"]) <= set(live(rows))
    assert {r["id"] for r in rows if r.get("_ab_cdc_deleted_at")} == set(touched["deleted"])
    floor = require_datetime(boundary["Leads"]["Modified_Time"])
    assert all(require_datetime(r["Modified_Time"]) >= floor for r in rows)
    truth = {r["id"]: r for r in org.records("Leads")["live"]}
    assert all(same_value(r["Modified_Time"], truth[i]["Modified_Time"]) for i, r in live(rows).items())
    assert set(touched["created"]) | set(touched["updated"]) <= set(live(changed.records("named_leads")))
    assert changed.records("Contacts") == []


def report_cost(what: str, cost: tuple[int, int]) -> None:
    print(f"source cost, {what}: {cost[0]} HTTP requests (token included), {cost[1]} credits")


def small_catalog(columns: dict[str, list[str]]) -> dict[str, Any]:
    """A configured catalog of a few columns per module, as a user who deselected the rest would send."""
    streams = []
    for name, chosen in columns.items():
        properties = {c: {} for c in ["id", "Modified_Time", "_ab_cdc_deleted_at", *chosen]}
        streams.append({"name": name, "json_schema": {"type": "object", "properties": properties},
                        "supported_sync_modes": ["full_refresh", "incremental"], "source_defined_cursor": True,
                        "default_cursor_field": ["Modified_Time"], "source_defined_primary_key": [["id"]]})
    return configured_catalog(streams)


def read_until_first_state_then_kill(config: dict[str, Any], catalog: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the source and SIGKILL it right after the first STATE line; the messages printed until then."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, value in (("config", config), ("catalog", catalog)):
            paths[name] = os.path.join(tmp, f"{name}.json")
            Path(paths[name]).write_text(json.dumps(value))
        proc = subprocess.Popen([script("source-zoho-crm"), "read", "--config", paths["config"],
                                 "--catalog", paths["catalog"]], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        messages = []
        for line in proc.stdout:
            message = json.loads(line)
            messages.append(message)
            if message.get("type") == "STATE":
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait()
        proc.stdout.close()
    return messages


def test_given_a_sync_killed_after_its_first_checkpoint_then_a_restart_from_it_ends_with_the_truth(
        emulator_factory: Any) -> None:
    emu = emulator_factory(records=900)
    config = emu.config(modules=["Leads", "Notes"], max_concurrent_requests=1)
    catalog = small_catalog({"Leads": ["Last_Name", "Email"], "Notes": ["Note_Title", "parent_id"]})

    killed = read_until_first_state_then_kill(config, catalog)
    state = last_states([m["state"] for m in killed if m["type"] == "STATE"])
    resumed = run_connector("source-zoho-crm", "read", config=config, catalog=catalog, state=state)

    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert len(state) == 1
    for module in ("Leads", "Notes"):
        before = [m["record"]["data"] for m in killed if m["type"] == "RECORD" and m["record"]["stream"] == module]
        got = {**live(before), **live(resumed.records(module))}
        assert set(got) == {r["id"] for r in emu.records(module)["live"]}, module


def test_given_a_credit_budget_then_the_sync_stops_cleanly_and_the_next_one_completes(
        emulator_factory: Any) -> None:
    emu = emulator_factory(records=900)
    config = emu.config(modules=["Leads"], edition="Enterprise")
    catalog = small_catalog({"Leads": ["Last_Name", "Email"]})

    stopped = run_connector("source-zoho-crm", "read", config={**config, "api_credit_budget": 2}, catalog=catalog)
    resumed = run_connector("source-zoho-crm", "read", config=config, catalog=catalog,
                            state=last_states(stopped.states()))

    # reaching the budget is not an error (docs/source.md): a success, state saved, with a warning
    assert stopped.returncode == 0 and "Traceback" not in stopped.stdout and not stopped.traces("ERROR")
    assert any("api_credit_budget" in w and "resume" in w for w in stopped.logs("WARN"))
    assert 0 < len(stopped.records("Leads")) < len(emu.records("Leads")["live"])
    assert resumed.returncode == 0
    got = {**live(stopped.records("Leads")), **live(resumed.records("Leads"))}
    assert set(got) == {r["id"] for r in emu.records("Leads")["live"]}


def test_given_bulk_read_always_then_a_first_sync_exports_the_module_and_matches_the_truth(
        emulator_factory: Any) -> None:
    emu = emulator_factory(records=900)
    config = emu.config(modules=["Leads"], bulk_read="always", edition="Enterprise")
    catalog = discover_catalog(config)

    run = measured_read(emu, config, catalog)

    assert run.routes.get("POST /crm/bulk/v8/read") == 1
    truth = emu.records("Leads")["live"]
    rows = live(run.records("Leads"))
    assert set(rows) == {r["id"] for r in truth}
    properties = catalog["streams"][0]["stream"]["json_schema"]["properties"]
    # Bulk Read's CSV carries a lookup as its id only (section 12.1); every other value comes back typed.
    scalars = {c for c, s in properties.items() if not {"object", "array"} & set(s.get("type") or [])}
    assert mismatches(truth, rows, scalars - SYNTHETIC) == []
    assert all(rows[r["id"]]["Owner"] == {"id": r["Owner"]["id"]} for r in truth if r.get("Owner"))


def test_given_a_new_connection_then_the_first_sync_sends_no_tombstones_and_the_next_sends_new_deletions(
        emulator_factory: Any) -> None:
    # The platform's generation ids for a new connection (0/0): the destination has no rows to remove.
    emu = emulator_factory(records=300)
    config = emu.config(modules=["Leads"], edition="Enterprise")
    catalog = small_catalog({"Leads": ["Last_Name", "Email"]})
    for entry in catalog["streams"]:
        entry.update(generation_id=0, minimum_generation_id=0, sync_id=1)
    assert emu.records("Leads")["deleted"], "the seed deletes some Leads"

    first = measured_read(emu, config, catalog)
    touched = emu.mutate(module="Leads", delete=3, update=2)
    second = measured_read(emu, config, catalog, last_states(first.states()))

    assert not [r for r in first.records("Leads") if r.get("_ab_cdc_deleted_at")]
    assert first.routes.get("GET /crm/v8/{module}/deleted", 0) == 0
    assert set(live(first.records("Leads"))) == {r["id"] for r in emu.records("Leads")["live"]} | set(
        touched["deleted"])
    assert {r["id"] for r in second.records("Leads") if r.get("_ab_cdc_deleted_at")} == set(touched["deleted"])
    assert second.routes["GET /crm/v8/{module}/deleted"] == 1
