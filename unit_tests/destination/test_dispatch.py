from __future__ import annotations

import threading
import time

from destination_zoho_crm.batching import Batch, Item, identity_tokens
from destination_zoho_crm.dispatch import Dispatcher
from destination_zoho_crm.operations import Operation
from destination_zoho_crm.payload import Payload
from zoho_crm_client.models import WriteResult


def item(record_id: str) -> Item:
    payload = Payload(Operation.UPDATE, record_id, {"id": record_id})
    return Item("s", 1, "Leads", payload, tokens=identity_tokens("Leads", payload, []))


def batch_of(*items: Item) -> Batch:
    batch = Batch("Leads", Operation.UPDATE, ())
    for one in items:
        batch.add(one)
    return batch


class Gate:
    """A send() that holds batch "1" until released, and logs what happened in which order."""

    def __init__(self) -> None:
        self.started, self.release, self.log = threading.Event(), threading.Event(), []

    def send(self, batch: Batch) -> list[WriteResult]:
        if batch.items[0].payload.record_id == "1":
            self.started.set()
            assert self.release.wait(timeout=30)
            self.log.append("first batch done")
        return [WriteResult(i, True, "SUCCESS") for i in range(len(batch.items))]


def test_given_a_record_whose_batch_is_in_flight_when_waited_for_then_it_returns_after_that_batch() -> None:
    gate = Gate()
    dispatcher = Dispatcher(gate.send, parallel=10)
    dispatcher.submit([batch_of(item("1"))])
    assert gate.started.wait(timeout=30)
    waiter = threading.Thread(target=lambda: (dispatcher.wait_for(item("1")), gate.log.append("waited")))
    waiter.start()
    gate.log.append("releasing")
    gate.release.set()
    waiter.join(timeout=30)
    assert gate.log == ["releasing", "first batch done", "waited"]
    assert [len(outcomes) for _, outcomes in dispatcher.completed()] == [1]
    dispatcher.close()


def test_given_an_unrelated_record_when_waited_for_then_it_does_not_wait() -> None:
    gate = Gate()
    dispatcher = Dispatcher(gate.send, parallel=10)
    dispatcher.submit([batch_of(item("1"))])
    assert gate.started.wait(timeout=30)
    dispatcher.wait_for(item("2"))  # returns at once although batch "1" is still held
    assert gate.log == []
    gate.release.set()
    dispatcher.drain()
    assert gate.log == ["first batch done"]
    dispatcher.close()


def test_given_a_failing_send_when_drained_then_the_error_is_kept_for_the_writer() -> None:
    def send(batch: Batch) -> list[WriteResult]:
        raise RuntimeError("token revoked")

    dispatcher = Dispatcher(send, parallel=2)
    dispatcher.submit([batch_of(item("1")), batch_of(item("2"))])
    dispatcher.drain()
    assert str(dispatcher.error) == "token revoked" and dispatcher.completed() == []
    dispatcher.close()


def test_given_a_finished_batch_nobody_waited_for_when_completed_is_asked_then_it_is_collected() -> None:
    dispatcher = Dispatcher(lambda batch: [WriteResult(i, True, "SUCCESS") for i in range(len(batch.items))], parallel=2)
    dispatcher.submit([batch_of(item("1"))])
    deadline = time.monotonic() + 30  # a poll with a timeout: the future is marked done just after send returns
    while not (done := dispatcher.completed()):
        assert time.monotonic() < deadline, "a finished batch was never collected"
    assert [len(results) for _, results in done] == [1]
    dispatcher.close()
