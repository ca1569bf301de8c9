"""The suite's own machinery: if the comparison were wrong, every green row of the table would be worthless."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from integration_tests.chaos.leaks import find_leaks
from integration_tests.chaos.replica import Replica
from integration_tests.chaos.report import render
from integration_tests.chaos.runs import Recorder, Transcript
from integration_tests.chaos.state import StateStore
from integration_tests.chaos.sync import delivered
from integration_tests.chaos.verdict import compare_source, compare_writes


def lead(key: str, modified: str = "2024-05-01T10:00:00+05:30", **fields) -> dict:
    return {"id": key, "Modified_Time": modified, **fields}


def test_given_a_tombstone_when_applied_then_the_row_is_gone_and_replays_are_harmless() -> None:
    replica = Replica()
    replica.apply([lead("1"), lead("2"), lead("1"), {"id": "2", "_ab_cdc_deleted_at": "2024-05-02T00:00:00Z"}])
    assert set(replica.rows) == {"1"}
    assert (replica.received, replica.tombstones) == (4, 1)


def test_given_a_missing_a_stale_and_a_ghost_row_then_each_is_counted() -> None:
    replica = Replica()
    replica.apply([lead("1", "2024-05-01T04:30:00Z"), lead("2", "2024-05-01T04:29:59Z"), lead("9")])
    truth = {"live": [lead("1"), lead("2"), lead("3")], "deleted": [{"id": "9"}]}
    verdict = compare_source(replica, truth)
    # "1" is the same instant in another offset; "2" is one second older than the truth: a lost update
    assert (verdict.expected, verdict.received, verdict.lost, verdict.duplicated) == (3, 3, ["2", "3"], ["9"])
    assert not verdict.ok


def test_given_writes_when_one_is_missing_one_doubled_one_wrong_then_each_is_counted() -> None:
    inputs = [{"Email": f"p{i}@x.com", "Last_Name": f"L{i}"} for i in range(4)]
    live = [{"id": "a", "Email": "P0@x.com", "Last_Name": "L0"}, {"id": "b", "Email": "p1@x.com", "Last_Name": "L1"},
            {"id": "c", "Email": "p1@x.com", "Last_Name": "L1"}, {"id": "d", "Email": "p2@x.com", "Last_Name": "old"}]
    verdict = compare_writes(inputs, live, "Email")
    assert (verdict.expected, verdict.received) == (4, 3)
    assert verdict.lost == ["p2@x.com", "p3@x.com"]
    assert verdict.duplicated == ["p1@x.com"]


def test_given_stream_states_then_the_next_attempt_gets_the_latest_per_stream() -> None:
    store = StateStore()
    assert store.as_input() is None
    def state(name: str, cursor: str) -> dict:
        return {"type": "STREAM", "sourceStats": {"recordCount": 1.0},
                "stream": {"stream_descriptor": {"name": name}, "stream_state": {"cursor": cursor}}}
    store.update([state("Leads", "a"), state("Deals", "b"), state("Leads", "c")])
    assert store.as_input() == [{k: v for k, v in state(n, c).items() if k != "sourceStats"}
                                for n, c in (("Leads", "c"), ("Deals", "b"))]


def test_given_secrets_then_only_their_names_are_reported() -> None:
    runs = [Transcript("source read", "ok", "token abc123 leaked"), Transcript("source check", "", "")]
    assert find_leaks(runs, {"access_token": "abc123", "empty": ""}) == ["source read: access_token in stderr"]


def test_given_an_emulator_shaped_token_in_output_then_it_is_a_leak() -> None:
    token = "1000." + "ab" * 16 + "." + "09" * 16
    runs = [Transcript("destination write", f"Authorization: Zoho-oauthtoken {token}", "")]
    assert find_leaks(runs, {}) == ["destination write: an emulator access token in stdout"]


def test_given_rows_then_the_table_has_one_line_per_row_under_a_header() -> None:
    lines = render([{"scenario": "429", "faults": "every 3rd", "expected": 5, "received": 5, "lost": 0,
                     "duplicated": 0, "outcome": "passed", "note": ""}])
    assert lines[0].split()[:3] == ["scenario", "faults", "expected"]
    assert lines[2].split()[:2] == ["429", "every"]


def test_given_a_process_printing_states_when_killed_at_the_second_then_it_dies_there(tmp_path: Path) -> None:
    program = tmp_path / "prints-states"
    program.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import threading
        for n in range(2):
            print('{{"type": "RECORD", "record": {{"stream": "s", "data": {{"id": "%d"}}}}}}' % n, flush=True)
            print('{{"type": "STATE", "state": {{"data": {{"n": %d}}}}}}' % n, flush=True)
        threading.Event().wait()  # blocks until killed: the third state would only come after a missed kill
        print('{{"type": "STATE", "state": {{"data": {{"n": 2}}}}}}', flush=True)
        """))
    program.chmod(0o755)
    run, killed = Recorder().run_killed(str(program), "read", after_states=2, timeout=60, config={"k": 1})
    assert killed and run.returncode == -9
    assert [m["state"]["data"]["n"] for m in run.of_type("STATE")] == [0, 1]
    assert [r["id"] for r in run.records()] == ["0", "1"]


def test_given_a_killed_attempt_then_only_records_before_its_last_state_are_delivered() -> None:
    def record(n: int) -> dict:
        return {"type": "RECORD", "record": {"stream": "Leads", "data": {"id": str(n)}}}
    state = {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "Leads"}}}}
    messages = [record(1), record(2), state, record(3), {"type": "LOG"}]
    killed_records, states = delivered(messages, delivered_all=False)
    assert [r["data"]["id"] for r in killed_records] == ["1", "2"] and states == [state["state"]]
    assert [r["data"]["id"] for r in delivered(messages, delivered_all=True)[0]] == ["1", "2", "3"]
