"""The write loop: records in, validated and batched, sent in parallel, outcomes reported, STATE after commit.

design.md "Rules of the road": STATE leaves the destination only after every record before it is committed in
Zoho (or rejected and reported). A STATE message is held until a commit point (at least 100 records per parallel
slot since the last one, or the end of the input), which drains every pending batch and waits for every in-flight
one; then
the held STATEs are echoed in order, each with `destinationStats.recordCount` = the records of its scope
since the previous STATE. A dry run validates and reports but echoes no STATE: nothing was written, so a
later real sync must receive the same rows again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStateMessage,
    AirbyteStateStats,
    AirbyteStateType,
    ConfiguredAirbyteCatalog,
    Level,
    Type,
)

from destination_zoho_crm.batching import WRITE_LIMIT, Batcher
from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.dispatch import Dispatcher
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.outcome import Outcome
from destination_zoho_crm.prepare import Preparer
from destination_zoho_crm.report import Reporter, log
from destination_zoho_crm.sender import BatchSender
from destination_zoho_crm.streams import StreamTarget, resolve


class RejectedRecordsError(Exception):
    """The sync committed what it could but some records were rejected and `on_rejected` is `fail`."""


class Writer:
    def __init__(self, client: Any, config: DestinationConfig, catalog: ConfiguredAirbyteCatalog):
        self.client = client
        self.config = config
        self.targets: dict[str, StreamTarget] = {s.stream.name: resolve(s, config) for s in catalog.streams}
        self.preparer = Preparer(client, self.targets.values())
        self.batcher = Batcher()
        self.reporter = Reporter(config.reject_file)
        self.positions: Counter[str] = Counter()
        self.since_state: Counter[str] = Counter()
        self.held: list[AirbyteStateMessage] = []  # STATE messages waiting for the commit of what precedes them
        self.since_commit = 0

    def write(self, messages: Iterable[AirbyteMessage]) -> Iterator[AirbyteMessage]:
        self.preparer.check_targets()
        if self.config.dry_run:
            yield log("Dry run: records are validated and reported, nothing is written to Zoho.")
        sender = BatchSender(self.client, trigger=self.config.trigger, dry_run=self.config.dry_run)
        dispatcher = Dispatcher(sender.send, self.config.max_parallel_batches)
        try:
            for message in messages:
                if message.type == Type.RECORD:
                    yield from self._record(message.record, dispatcher)
                elif message.type == Type.STATE:
                    yield from self._state(message.state, dispatcher)
            yield from self._commit_all(dispatcher)
        finally:
            dispatcher.close()
            self.reporter.close()
        yield from self.reporter.summary(getattr(self.client, "stats", None))
        if self.config.dry_run:
            calls = ", ".join(f"{n} {op}" for op, n in sorted(sender.skipped_calls.items())) or "none"
            yield log(f"Summary: dry run, write calls a real sync would make: {calls}")
        if self.reporter.rejected and self.config.on_rejected == "fail":
            raise RejectedRecordsError(self.reporter.failure_message())

    def _record(self, record: AirbyteRecordMessage, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        target = self.targets.get(record.stream)
        if target is None:
            raise DestinationConfigError(f"Received a record for stream '{record.stream}', which is not in the "
                                         "configured catalog.")
        self.positions[record.stream] += 1
        self.since_state[record.stream] += 1
        self.since_commit += 1
        item, rejection = self.preparer.item(target, self.positions[record.stream], record.data)
        if rejection is not None:
            outcome = Outcome.rejected(rejection, source="local", record_id=item.payload.record_id)
            yield from self.reporter.outcome(item, outcome)
            return
        dispatcher.submit(self.batcher.conflicts(item))
        dispatcher.wait_for(item)
        full = self.batcher.put(item)
        if full:
            dispatcher.submit([full])
        yield from self._settled(dispatcher)

    def _state(self, state: AirbyteStateMessage, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        """Hold the STATE; commit and echo once a full call's worth of records came for every parallel slot
        since the last commit, so a source that checkpoints every few rows neither shrinks every call nor
        leaves the slots idle while a commit drains them (benchmarks W1; the end of input commits the rest)."""
        state.destinationStats = AirbyteStateStats(recordCount=float(self._count_for(state)))
        self.held.append(state)
        if self.since_commit >= WRITE_LIMIT * self.config.max_parallel_batches:
            yield from self._commit_all(dispatcher)

    def _count_for(self, state: AirbyteStateMessage) -> int:
        """Records since the previous STATE of the same scope: one stream for STREAM state, else all."""
        if state.type == AirbyteStateType.STREAM and state.stream is not None:
            return self.since_state.pop(state.stream.stream_descriptor.name, 0)
        total = sum(self.since_state.values())
        self.since_state.clear()
        return total

    def _commit_all(self, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        """Send every pending batch, wait for all, report, then echo the held STATE messages in order."""
        dispatcher.submit(self.batcher.drain())
        dispatcher.drain()
        yield from self._settled(dispatcher)
        self.since_commit = 0
        held, self.held = self.held, []
        if not self.config.dry_run:
            yield from (AirbyteMessage(type=Type.STATE, state=state) for state in held)

    def _settled(self, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        """Report every finished batch; after a fatal error, let the rest finish, report them and raise it."""
        yield from self._report(dispatcher)
        if dispatcher.error is not None:
            dispatcher.drain()
            yield from self._report(dispatcher)
            yield log(f"Stopping: {dispatcher.error}", Level.ERROR)
            raise dispatcher.error

    def _report(self, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        for batch, outcomes in dispatcher.completed():
            for item, outcome in zip(batch.items, outcomes, strict=True):
                yield from self.reporter.outcome(item, outcome)
