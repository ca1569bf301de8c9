"""Zoho having a bad night (issue 7 items 1-4): every fault is absorbed and the replica equals the truth.

Each scenario seeds an emulator, installs fault rules, runs one incremental read of the real `source-zoho-crm`,
applies what it emitted to a table keyed by id and compares that table with the emulator's records.
"""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.chaos import faults
from integration_tests.chaos.expect import clean_error, completed
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.sync import SourceSync
from integration_tests.harness import Emulator, Run

LEADS = "Leads"
ALL_MODULES = ("Leads", "Contacts", "Accounts", "Deals", "Tasks", "Notes", "CustomModule1")



def replicate_under(scenario: Scenario, rules: list[dict[str, Any]], *, records: int = 600,
                    streams: tuple[str, ...] = (LEADS,), **config: Any) -> tuple[Emulator, SourceSync, Run, int]:
    """One read with `rules` installed; returns the emulator, the sync, the run and how often the rules fired."""
    emu = scenario.emulator(records=records)
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=list(streams), **config), list(streams))
    emu.faults(rules)
    run = sync.read()
    fired = faults.fired(faults.installed(emu))
    emu.faults([])
    return emu, sync, run, fired


def test_429_on_every_third_request(scenario: Scenario) -> None:
    emu, sync, run, fired = replicate_under(scenario, faults.status_every(429, 3))
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"429 on every 3rd records call ({fired} fired)", verdict)
    completed(run)
    assert fired > 0 and verdict.ok, verdict.explain()


def test_500_502_503_in_bursts_of_five(scenario: Scenario) -> None:
    emu, sync, run, fired = replicate_under(scenario, faults.bursts([500, 502, 503], first=2, gap=2))
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"500, 502, 503 in bursts of 5 ({fired} fired)", verdict)
    completed(run)
    assert fired == 15 and verdict.ok, verdict.explain()


def test_connection_dropped_mid_response(scenario: Scenario) -> None:
    emu, sync, run, fired = replicate_under(scenario, faults.drop_at(2, 5))
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"connection closed mid-body ({fired} fired)", verdict)
    completed(run)
    assert fired == 2 and verdict.ok, verdict.explain()


def test_latency_spikes_longer_than_the_request_timeout(scenario: Scenario) -> None:
    # a spike past request_timeout_seconds must end in a timeout and a retry, not in a hung sync
    emu, sync, run, fired = replicate_under(scenario, faults.latency_every(1500, 4), request_timeout_seconds=1)
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"1.5 s latency on every 4th call, 1 s timeout ({fired} fired)", verdict)
    completed(run)
    assert fired > 0 and verdict.ok, verdict.explain()


@pytest.mark.chaos
def test_access_token_expiring_every_50_requests(scenario: Scenario) -> None:
    # every module and 13 pages each, so that one read makes over 100 calls: at least two expiries mid-sync
    emu, sync, run, fired = replicate_under(scenario, faults.token_expiry_every(50), records=2600,
                                            streams=ALL_MODULES)
    verdicts = [sync.verdict(emu, s) for s in ALL_MODULES]
    refreshes = emu.stats()["by_route"].get(faults.TOKEN, 0)
    for stream, verdict in zip(ALL_MODULES, verdicts, strict=True):
        scenario.report(f"access token expired every 50 requests ({fired} times, {refreshes} refreshes)",
                        verdict, name=f"token expiry: {stream}")
    completed(run)
    assert fired >= 2 and all(v.ok for v in verdicts), [v.explain() for v in verdicts]
    assert refreshes <= fired + 2, f"{refreshes} token refreshes for {fired} expiries: the token is not cached"


def test_invalid_code_from_the_token_endpoint_fails_cleanly_without_a_retry_storm(scenario: Scenario) -> None:
    emu, sync, failed, fired = replicate_under(scenario, faults.token_error("invalid_code"))
    token_calls = emu.stats()["by_route"].get(faults.TOKEN, 0)
    message = clean_error(failed)
    fixed = sync.read()  # the user fixes the refresh token: the next sync completes
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"invalid_code on refresh ({token_calls} token calls), then a valid token", verdict,
                    note="FAILED first, naming the refresh token")
    assert failed.returncode != 0 and "refresh token" in message, message
    assert token_calls <= 3, f"{token_calls} calls to the token endpoint after invalid_code: a retry storm"
    completed(fixed)
    assert verdict.ok, verdict.explain()


def test_expired_page_token_in_the_middle_of_a_large_module(scenario: Scenario) -> None:
    # past 2,000 records get-records needs page_token (docs/zoho-api.md section 3.1); expire it while it is in use
    emu, sync, run, fired = replicate_under(scenario, faults.page_token_expiry_at(26), records=2600)
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"page_token expired past record 2,000 ({fired} fired)", verdict)
    completed(run)
    assert fired == 1 and verdict.ok, verdict.explain()


def test_api_credits_exhausted_mid_sync_then_the_next_run_completes(scenario: Scenario) -> None:
    emu = scenario.emulator(records=1200)
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=[LEADS]), [LEADS])
    stopped = sync.read(api_credit_budget=8)
    partial = len(sync.replicas[LEADS])
    completed(stopped)  # reaching the budget is not an error (docs/source.md): a success with a warning
    message = " | ".join(stopped.logs("WARN"))
    finished = sync.read()
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"api_credit_budget=8, then a run without budget ({partial} rows after the first)", verdict)
    assert "budget" in message and stopped.states(), f"no clean stop with state: {message}"
    assert 0 < partial < verdict.expected, f"the budget did not stop the first run mid-sync ({partial} rows)"
    completed(finished)
    assert verdict.ok, verdict.explain()
