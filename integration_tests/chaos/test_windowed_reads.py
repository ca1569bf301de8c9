"""A module large enough to be read in Modified_Time windows side by side (zoho_crm_client/windows.py), killed
and resumed: SIGKILL at several points, people editing between attempts, tokens expiring, and the replica still
equals the emulator's truth (lost 0, duplicated 0).

A killed attempt delivers only the records followed by a STATE (sync.py). A windowed read's STATE saves the
lowest unfinished window's position and the ranges read above it (`ranges_done`, docs/source-state.md); a
resumed read must read the gaps and nothing in those ranges again.
"""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.chaos import faults
from integration_tests.chaos.expect import completed
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.sync import SourceSync

LEADS = "Leads"
EDIT = {"module": LEADS, "create": 15, "update": 25, "delete": 10}
# Zoho's round trips: at 0 ms a read is held back by its own CPU and stays in one window (windows.Pace)
SLOW = faults.latency_every(30, 1, faults.RECORDS)


def ranges_done(states: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    blobs = [s["stream"]["stream_state"] for s in states if s.get("type") == "STREAM"]
    return [b["ranges_done"] for b in blobs if b.get("ranges_done")]


@pytest.mark.chaos
def test_windowed_read_killed_edited_and_resumed_equals_the_truth(scenario: Scenario) -> None:
    emu = scenario.emulator(records=14000)
    # full refresh is not what is tested: start_datetime far back, 10 calls in flight so windows can run
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=[LEADS], max_concurrent_requests=10,
                                                     bulk_read="never"), [LEADS])
    kills, windowed = [], []
    for attempt in range(6):
        emu.faults(SLOW + (faults.token_expiry_every(40) if attempt % 2 else []))
        # the first kill lands once windows run (from the first pages, once the newest page has been asked:
        # zoho_crm_client/windows.py); the later ones resume from a state with ranges_done
        run, killed = sync.read_killed(after_states=26 if attempt == 0 else 2 + 2 * attempt)
        kills.append(len(run.states()) if killed else 0)
        windowed += ranges_done(run.states())
        emu.mutate(**EDIT)  # people keep working between attempts: updates move rows past every window
    emu.faults([])
    final = sync.read()
    verdict = sync.verdict(emu, LEADS)
    scenario.report(f"windowed read: SIGKILL x{sum(1 for k in kills if k)} (after {kills} states), "
                    "edits between attempts, token expiry every 40 requests, then resumed", verdict,
                    name="windowed read killed: Leads")
    completed(final)
    assert verdict.ok, verdict.explain()
    assert windowed, "no STATE carried ranges_done: the read never ran windows side by side"
    assert sum(1 for k in kills if k) >= 3, f"too few attempts were killed mid-read: {kills}"


@pytest.mark.chaos
def test_windowed_read_with_live_edits_and_expired_page_tokens(scenario: Scenario) -> None:
    emu = scenario.emulator(records=14000)
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=[LEADS], max_concurrent_requests=10,
                                                     bulk_read="never"), [LEADS])
    emu.faults(SLOW)
    first, killed = sync.read_killed(after_states=25)
    assert ranges_done(first.states()), "no STATE carried ranges_done: the read never ran windows side by side"
    emu.mutate(**EDIT, same_second=True)
    emu.faults(SLOW + faults.page_token_expiry_at(3) + faults.token_expiry_every(30))
    final = sync.read()
    emu.faults([])
    verdict = sync.verdict(emu, LEADS)
    scenario.report("windowed read: killed after 25 states, same-second edits, page_token and access token expiry",
                    verdict, name="windowed read edited: Leads")
    completed(final)
    assert killed and verdict.ok, verdict.explain()
