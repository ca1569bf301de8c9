"""Issue 5's counts: 1,000 upserts are 10 write calls and a rerun creates nothing; 10 bad records among 100
are reported while the 90 others are committed, and STATE comes after the commit."""

from __future__ import annotations

import pytest

from integration_tests.destination.messages import live, record, rejections, state, write, write_calls
from integration_tests.harness import Emulator

UPSERT_ROUTE = ("POST /crm/v8/{module}/upsert",)


def upserts(n: int) -> list[dict]:
    rows = [record("Leads", {"Last_Name": f"Volume {i}", "Email": f"volume.{i}@upsert.example",
                             "Lead_Status": "Contacted"}) for i in range(n)]
    return [*rows, state("Leads", 1)]


def test_given_1000_upserts_when_written_twice_then_10_calls_each_and_the_rerun_creates_nothing(
        emulator: Emulator) -> None:
    emulator.reset()
    base = len(live(emulator, "Leads"))
    first_before = emulator.stats()
    first = write(emulator, [("Leads", "append_dedup")], upserts(1000), primary_key={"Leads": ["Email"]})
    first_after = emulator.stats()
    second = write(emulator, [("Leads", "append_dedup")], upserts(1000), primary_key={"Leads": ["Email"]})
    second_after = emulator.stats()

    assert first.returncode == 0 and second.returncode == 0, second.stderr[-2000:]
    assert write_calls(first_before, first_after, UPSERT_ROUTE) == 10
    assert write_calls(first_after, second_after, UPSERT_ROUTE) == 10
    assert write_calls(first_before, second_after) == 20  # nothing but upserts was written
    assert len(live(emulator, "Leads")) == base + 1000
    assert "Summary: stream Leads, upsert: 1000 committed (insert)" in first.logs()
    assert "Summary: stream Leads, upsert: 1000 committed (update)" in second.logs()
    assert [s["destinationStats"]["recordCount"] for s in second.states()] == [1000]
    assert first_after["max_in_flight"] <= 10


@pytest.fixture(scope="module")
def ten_bad(emulator: Emulator) -> dict:
    """100 creates: 5 fail local validation, 5 collide with existing e-mails in Zoho (DUPLICATE_DATA)."""
    emulator.reset()
    taken = [r["Email"] for r in live(emulator, "Leads") if r.get("Email")][:5]
    rows, bad = [], {}
    for i in range(100):
        data = {"Last_Name": f"Batch {i}", "Email": f"batch.{i}@bad.example"}
        if i % 20 == 3:
            data["No_of_Employees"] = "lots"  # local: wrong type
            bad[i + 1] = ("local", "INVALID_DATA", "No_of_Employees")
        elif i % 20 == 13:
            data["Email"] = taken.pop()  # Zoho: unique field already used
            bad[i + 1] = ("zoho", "DUPLICATE_DATA", "Email")
        rows.append(record("Leads", data))
    base = len(live(emulator, "Leads"))
    before = emulator.stats()
    run = write(emulator, [("Leads", "append")], [*rows, state("Leads", 1)])
    return {"run": run, "bad": bad, "base": base, "before": before, "after": emulator.stats(),
            "live": len(live(emulator, "Leads"))}


def test_given_10_bad_among_100_when_written_then_90_are_committed_in_one_call(ten_bad) -> None:
    assert ten_bad["live"] == ten_bad["base"] + 90
    assert write_calls(ten_bad["before"], ten_bad["after"]) == 1  # locally rejected rows cost nothing


def test_given_10_bad_among_100_when_written_then_each_is_reported_with_its_reason(ten_bad) -> None:
    reported = {r["position"]: (r["source"], r["code"], r["field"]) for r in rejections(ten_bad["run"])}
    assert reported == ten_bad["bad"]
    assert all(r["stream"] == "Leads" and r["message"] for r in rejections(ten_bad["run"]))


def test_given_10_bad_among_100_when_written_then_state_follows_the_commit_and_the_sync_fails(ten_bad) -> None:
    run = ten_bad["run"]
    types = [m["type"] for m in run.messages]
    last_rejection = max(i for i, m in enumerate(run.messages)
                         if m["type"] == "LOG" and m["log"]["message"].startswith("Rejected record"))
    assert types.index("STATE") > last_rejection
    assert run.states()[0]["destinationStats"]["recordCount"] == 100
    assert run.returncode == 1
    [trace] = run.traces("ERROR")
    assert trace["error"]["message"].startswith("10 record(s) were rejected (the others were committed)")
    assert not [m for m in run.logs() if "Traceback" in m]  # the stack stays in the trace's stack_trace field
