"""Reverse ETL on a bad night (issue 7 item 7): killed mid-write, rate limited, 5xx: nothing written twice.

A kill is followed by what the platform does: resend every row after the last STATE the destination echoed.
Upsert (append_dedup) matches on Email, so a resent row updates instead of creating: no duplicates at all.
Create (append) cannot know whether an unacknowledged row reached Zoho: the documented behaviour
(docs/reliability.md) is at-least-once for rows after the last echoed STATE, and nothing is ever lost.
"""

from __future__ import annotations

import json
from typing import Any

from integration_tests.chaos import faults
from integration_tests.chaos.expect import completed
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.verdict import Verdict, compare_writes
from integration_tests.chaos.writes import (
    DESTINATION,
    acknowledged,
    destination_catalog,
    destination_config,
    lead_rows,
    stdin_for,
)
from integration_tests.harness import Emulator, Run

LEADS = "Leads"
UPSERT = "POST /crm/v8/{module}/upsert"
INSERT = "POST /crm/v8/{module}"
REJECTED = "Rejected record: "



def write(scenario: Scenario, emu: Emulator, rows: list[dict[str, Any]], mode: str, **overrides: Any) -> Run:
    return scenario.recorder.run(DESTINATION, "write", config=config(scenario, emu, **overrides),
                                 catalog=destination_catalog(LEADS, mode), stdin=stdin_for(LEADS, rows))


def config(scenario: Scenario, emu: Emulator, **overrides: Any) -> dict[str, Any]:
    # one batch in flight at a time, so a kill lands between commits instead of after all of them
    return destination_config(scenario.config(emu), max_parallel_batches=1, **overrides)


def killed_then_rerun(scenario: Scenario, mode: str, tag: str) -> tuple[Emulator, list[dict[str, Any]], int, Run]:
    """Write 600 rows, SIGKILL at the 2nd echoed STATE, resend what was not acknowledged; (emu, rows, acked, rerun)."""
    emu = scenario.emulator(records=50)
    rows = lead_rows(tag, 600)
    # slow writes, so the kill lands while batches are still in flight rather than after the last one
    emu.faults([{"route": UPSERT if mode == "append_dedup" else INSERT, "latency_ms": 150}])
    first, killed = scenario.recorder.run_killed(
        DESTINATION, "write", after_states=2, stdin=stdin_for(LEADS, rows),
        config=config(scenario, emu), catalog=destination_catalog(LEADS, mode))
    emu.faults([])
    assert killed, f"the destination never echoed 2 states: {first.stderr[-2000:]}"
    done = acknowledged(first.states())
    # The destination keeps sending batches while it echoes a STATE, so creates after the last echoed STATE may
    # have reached Zoho before the kill: resent, Zoho refuses them on the unique Email (DUPLICATE_DATA), which the
    # create test checks; reported, so the rerun still commits the rest.
    resend = {"on_rejected": "report"} if mode == "append" else {}
    return emu, rows, done, write(scenario, emu, rows[done:], mode, **resend)


def test_destination_killed_mid_upsert_and_rerun_writes_nothing_twice(scenario: Scenario) -> None:
    emu, rows, done, rerun = killed_then_rerun(scenario, "append_dedup", "kill-upsert")
    verdict = compare_writes(rows, emu.records(LEADS)["live"], "Email")
    scenario.report(f"SIGKILL at the 2nd STATE ({done} rows acknowledged), rest resent", verdict,
                    name="destination killed: upsert")
    completed(rerun)
    assert verdict.ok, verdict.explain()


def test_destination_killed_mid_create_and_rerun_duplicates_only_unacknowledged_rows(scenario: Scenario) -> None:
    emu, rows, done, rerun = killed_then_rerun(scenario, "append", "kill-create")
    verdict = compare_writes(rows, emu.records(LEADS)["live"], "Email")
    unacknowledged = {r["Email"] for r in rows[done:]}
    scenario.report(f"SIGKILL at the 2nd STATE ({done} rows acknowledged), rest resent", verdict,
                    name="destination killed: create",
                    note=f"{len(verdict.duplicated)} duplicates, all after the last STATE (documented)")
    completed(rerun)
    assert not verdict.lost, verdict.explain()
    assert set(verdict.duplicated) <= unacknowledged, "an acknowledged row was created twice"
    refused = [json.loads(line.removeprefix(REJECTED)) for line in rerun.logs("WARN") if line.startswith(REJECTED)]
    assert {r["code"] for r in refused} <= {"DUPLICATE_DATA"}, refused[:3]
    assert {rows[done + r["position"] - 1]["Email"] for r in refused} <= unacknowledged


def rate_limited_writes(scenario: Scenario, mode: str, route: str, statuses: list[int], tag: str) -> Verdict:
    emu = scenario.emulator(records=50)
    rows = lead_rows(tag, 500)
    rules = faults.status_every(429, 3, route=route) + faults.bursts(statuses, first=2, gap=1, route=route)
    emu.faults(rules)
    run = write(scenario, emu, rows, mode)
    fired = faults.fired(faults.installed(emu))
    emu.faults([])
    verdict = compare_writes(rows, emu.records(LEADS)["live"], "Email")
    scenario.report(f"429 every 3rd write, {'/'.join(map(str, statuses))} in bursts of 5 ({fired} fired)",
                    verdict, name=f"destination faults: {'upsert' if mode == 'append_dedup' else 'create'}")
    completed(run)
    assert fired > 0
    return verdict


def test_429_and_5xx_during_upserts_commit_every_record_exactly_once(scenario: Scenario) -> None:
    verdict = rate_limited_writes(scenario, "append_dedup", UPSERT, [500, 502, 503], "faulty-upsert")
    assert verdict.ok, verdict.explain()


def test_429_and_503_during_creates_commit_every_record_exactly_once(scenario: Scenario) -> None:
    # 429 and 503 mean Zoho refused at the door, so a create may be resent (zoho_crm_client/transport.py)
    verdict = rate_limited_writes(scenario, "append", INSERT, [503], "faulty-create")
    assert verdict.ok, verdict.explain()
