"""A connection dropped after Zoho acted: an upsert is resent (harmless), a create is reported, never resent."""

from __future__ import annotations

from integration_tests.destination.messages import live, record, rejections, state, write, write_calls
from integration_tests.harness import Emulator

NO_WAIT = {"retry_base_seconds": 0, "retry_max_seconds": 0}  # the client's backoff, not needed here


def rows(tag: str, n: int = 300) -> list[dict]:
    data = [record("Leads", {"Last_Name": f"Fault {i}", "Email": f"{tag}.{i}@fault.example"}) for i in range(n)]
    return [*data, state("Leads", 1)]


def emails(emulator: Emulator, tag: str) -> list[str]:
    return [r["Email"] for r in live(emulator, "Leads") if str(r.get("Email", "")).startswith(f"{tag}.")]


def test_given_a_dropped_upsert_answer_when_written_then_it_is_resent_and_nothing_is_doubled(emulator) -> None:
    emulator.reset()
    route = "POST /crm/v8/{module}/upsert"
    emulator.faults([{"route": route, "at": 2, "drop": True}])
    before = emulator.stats()
    run = write(emulator, [("Leads", "append_dedup")], rows("ups"), primary_key={"Leads": ["Email"]}, **NO_WAIT)
    after = emulator.stats()
    emulator.faults([])
    assert run.returncode == 0, run.stderr[-2000:]
    assert rejections(run) == []
    assert write_calls(before, after, (route,)) == 4  # three batches, one of them sent twice
    assert sorted(emails(emulator, "ups")) == sorted({f"ups.{i}@fault.example" for i in range(300)})


def test_given_a_dropped_create_answer_when_written_then_its_records_are_reported_not_resent(emulator) -> None:
    emulator.reset()
    route = "POST /crm/v8/{module}"
    emulator.faults([{"route": route, "at": 2, "drop": True}])
    before = emulator.stats()
    run = write(emulator, [("Leads", "append")], rows("new"), on_rejected="report", **NO_WAIT)
    after = emulator.stats()
    emulator.faults([])
    assert run.returncode == 0, run.stderr[-2000:]
    assert write_calls(before, after, (route,)) == 3  # never resent
    ambiguous = rejections(run)
    assert len(ambiguous) == 100 and {r["code"] for r in ambiguous} == {"AMBIGUOUS_WRITE"}
    # Zoho did act on the dropped call: every row exists exactly once, and the report says which to verify
    assert sorted(emails(emulator, "new")) == sorted({f"new.{i}@fault.example" for i in range(300)})
    assert run.states()[0]["destinationStats"]["recordCount"] == 300
