"""The writer's STATE watermark end to end: batches keep going out across STATE messages, and a STATE leaves only
once every record before it has settled, whichever batch finishes first."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from airbyte_cdk.models import Type

from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.writer import Writer
from unit_tests.destination.fakes import FakeClient, configured_catalog, record, state
from zoho_crm_client.errors import PermissionError_
from zoho_crm_client.models import WriteResult


def lead(i: int) -> Any:
    return record("Leads", Last_Name=f"Lead {i}", Email=f"lead{i}@example.com")


def leads(start: int, stop: int) -> list[Any]:
    return [lead(i) for i in range(start, stop)]


class GatedClient(FakeClient):
    """Holds the insert whose first record is `held` until `release` is set; fails the one starting at `fails`."""

    def __init__(self, *, held: str | None = None, fails: str | None = None):
        super().__init__()
        self.held, self.fails = held, fails
        self.release = threading.Event()
        self.finished: list[str] = []

    def insert(self, module: str, records: list[dict[str, Any]], *, trigger=()) -> list[WriteResult]:
        first = records[0]["Last_Name"]
        if first == self.held:
            assert self.release.wait(timeout=30)
        if first == self.fails:
            raise PermissionError_("the user lost the permission to create Leads")
        results = super().insert(module, records, trigger=trigger)
        self.finished.append(first)
        return results


class Run:
    """Feeds the writer and records the STATE markers it echoed, so the input can look at them mid-stream:
    the writer reads the next message only after every output of the previous one has been consumed."""

    def __init__(self, client: FakeClient, **config: Any):
        self.client = client
        self.writer = Writer(client, DestinationConfig.from_mapping({"on_rejected": "report", **config}),
                             configured_catalog(("Leads", "append"), ("Deals", "append")))
        self.echoed: list[Any] = []
        self.committed_at_echo: list[int] = []

    def feed(self, messages: Iterator[Any]) -> None:
        for message in self.writer.write(messages):
            if message.type == Type.STATE:
                self.echoed.append(message.state.stream.stream_state.n)
                self.committed_at_echo.append(len(self.client.live("Leads")))


def chain(*parts: list[Any] | Callable[[], None]) -> Iterator[Any]:
    """The messages of each list in turn; a callable runs when the writer asks for the next message."""
    for part in parts:
        if callable(part):
            part()
        else:
            yield from part


def test_given_a_later_batch_finishes_first_when_states_wait_then_none_leaves_before_the_earlier_batch() -> None:
    client = GatedClient(held="Lead 0")
    run = Run(client, max_parallel_batches=2)

    def while_the_first_batch_is_held() -> None:
        # the third batch could only be sent once the second finished; the first is still held
        assert "Lead 100" in client.finished and "Lead 0" not in client.finished
        assert run.echoed == []
        client.release.set()

    run.feed(chain(leads(0, 100), [state("Leads", 100)], leads(100, 200), [state("Leads", 200)], leads(200, 300),
                   while_the_first_batch_is_held, [state("Leads", 300)]))
    assert run.echoed == [100, 200, 300]
    assert all(committed >= n for n, committed in zip(run.echoed, run.committed_at_echo, strict=True))


def test_given_a_state_every_200_records_when_written_then_batches_stay_in_flight_across_states() -> None:
    client = FakeClient()
    run = Run(client)
    messages = [m for start in range(0, 2000, 200) for m in [*leads(start, start + 200), state("Leads", start + 200)]]
    run.feed(iter(messages))
    assert run.echoed == list(range(200, 2001, 200))
    assert [n for _, _, n in client.calls] == [100] * 20
    assert client.max_in_flight <= 10


@pytest.mark.parametrize(("fails", "echoed"), [("Lead 100", [100]), ("Lead 0", [])])
def test_given_a_failed_batch_when_later_batches_commit_then_no_state_after_its_records_leaves(
        fails: str, echoed: list[int]) -> None:
    client = GatedClient(fails=fails)
    run = Run(client, max_parallel_batches=2)
    with pytest.raises(PermissionError_):
        run.feed(chain(leads(0, 100), [state("Leads", 100)], leads(100, 200), [state("Leads", 200)],
                       leads(200, 300), [state("Leads", 300)]))
    assert run.echoed == echoed


def test_given_a_partial_batch_before_a_state_when_1000_records_follow_then_it_is_sent_and_the_state_leaves(
) -> None:
    client = FakeClient()
    run = Run(client, max_parallel_batches=1)  # a full call for each slot: 100 records

    def by_then() -> None:
        assert run.echoed == ["deal"]  # not kept until the end of the input

    deal = record("Deals", Deal_Name="D", Stage="Qualification")
    run.feed(chain([deal, state("Deals", "deal")], leads(0, 200), by_then, leads(200, 250), [state("Leads", 250)]))
    assert [(module, n) for _, module, n in client.calls] == [
        ("Leads", 100), ("Deals", 1), ("Leads", 100), ("Leads", 50)]
    assert run.echoed == ["deal", 250]
