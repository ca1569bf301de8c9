"""A killed pod (issue 7 item 5): SIGKILL at ten different points, each attempt resumed from the last state seen.

Only records followed by a STATE count as delivered from a killed attempt (sync.py), so a source that
checkpoints a cursor past records it has not yet emitted loses rows here.
"""

from __future__ import annotations

import pytest

from integration_tests.chaos.expect import completed
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.sync import SourceSync

STREAMS = ["Leads", "Contacts"]



@pytest.mark.chaos
def test_source_killed_at_ten_points_and_resumed_each_time(scenario: Scenario) -> None:
    emu = scenario.emulator(records=2000)
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=STREAMS), STREAMS)
    kills = []
    for attempt in range(10):
        # 1, 2 or 3 states into each attempt: kill points spread over pages, streams and the deleted-records pass
        run, killed = sync.read_killed(after_states=1 + attempt % 3)
        kills.append(len(run.states()) if killed else 0)
    final = sync.read()
    for stream in STREAMS:
        verdict = sync.verdict(emu, stream)
        scenario.report(f"SIGKILL x{sum(1 for k in kills if k)} (after {kills} states), then resumed", verdict,
                        name=f"source killed: {stream}")
        assert verdict.ok, f"{stream}: {verdict.explain()}"
    completed(final)
    assert all(kills), f"some attempts ended before their kill point: {kills}"


NOTES = ["Notes"]


@pytest.mark.chaos
def test_notes_read_killed_while_its_calls_run_side_by_side_resumes_without_loss(scenario: Scenario) -> None:
    # 8,000 notes: page 1 newest first, then a COQL index of 4 pages whose notes come by id, 20 calls side by
    # side, the next index page read ahead. A kill at a STATE lands while the next index page's call is in flight.
    emu = scenario.emulator(records=10, extra_args=["--module-records", "Notes=8000"])
    sync = SourceSync(scenario.recorder, scenario.config(emu, modules=NOTES), NOTES)
    kills = []
    for after_states in (1, 1, 2):
        run, killed = sync.read_killed(after_states=after_states)
        kills.append(len(run.states()) if killed else 0)
    final = sync.read()
    verdict = sync.verdict(emu, "Notes")
    scenario.report(f"SIGKILL x{sum(1 for k in kills if k)} (after {kills} states), then resumed", verdict,
                    name="source killed: Notes")
    assert verdict.ok, verdict.explain()
    completed(final)
    assert all(kills), f"some attempts ended before their kill point: {kills}"
