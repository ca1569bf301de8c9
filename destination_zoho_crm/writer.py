"""The write loop: records in, validated and batched, sent in parallel, results reported, STATE after commit.

design.md "Rules of the road": STATE leaves the destination only after every record before it is committed in
Zoho (or rejected and reported). Batches keep going out while input keeps coming; each STATE is held by a
watermark (watermark.py) and echoed, in input order, as soon as every record before it has settled, so the
parallel slots never go idle at a checkpoint (benchmarks W1). Each STATE carries `destinationStats.recordCount` =
the records of its scope since the previous STATE.

When a partial batch goes out (docs/destination-operations.md, "STATE"): when it fills, when a later record
depends on it (batching.py), at the end of the input, or once 100 x `max_parallel_batches` records have come after
the oldest held STATE that waits for it. A source that checkpoints every few rows therefore still gets full
calls, and no STATE waits for a batch that may never fill. A dry run validates and reports but echoes no STATE:
nothing was written, so a later real sync must receive the same rows again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

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
from destination_zoho_crm.prepare import Preparer
from destination_zoho_crm.report import Reporter, log
from destination_zoho_crm.sender import BatchSender
from destination_zoho_crm.streams import StreamTarget, resolve
from destination_zoho_crm.watermark import Watermark
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import Fault


class RejectedRecordsError(Exception):
    """The sync committed what it could but some records were rejected and `on_rejected` is `fail`."""

    fault = Fault.USER_DATA  # each rejection says what to fix in the record


class Writer:
    def __init__(self, client: ZohoClient, config: DestinationConfig, catalog: ConfiguredAirbyteCatalog):
        self.client = client
        self.config = config
        self.targets: dict[str, StreamTarget] = {s.stream.name: resolve(s, config) for s in catalog.streams}
        self.preparer = Preparer(client, self.targets.values())
        self.batcher = Batcher()
        self.reporter = Reporter(config.reject_file, config.results_file)
        self.positions: Counter[str] = Counter()
        self.since_state: Counter[str] = Counter()
        self.watermark = Watermark()

    def write(self, messages: Iterable[AirbyteMessage]) -> Iterator[AirbyteMessage]:
        self.preparer.check_targets()
        if self.config.dry_run:
            yield log("Dry run: records are validated and reported, nothing is written to Zoho.")
        sender = BatchSender(self.client, trigger=self.config.trigger, dry_run=self.config.dry_run)
        dispatcher = Dispatcher(sender.send, self.config.max_parallel_batches)
        try:
            try:
                for message in messages:
                    if message.type == Type.RECORD:
                        assert message.record is not None  # the protocol: a RECORD message carries its record
                        yield from self._record(message.record, dispatcher)
                    elif message.type == Type.STATE:
                        assert message.state is not None
                        yield from self._state(message.state, dispatcher)
            except DestinationConfigError as exc:  # a bad line or a record of an unknown stream
                yield from self._stop(dispatcher, exc)
            yield from self._finish(dispatcher)
        finally:
            dispatcher.close()
            self.reporter.close()
        yield from self.reporter.summary(self.client.stats)
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
        item, rejection = self.preparer.item(target, self.positions[record.stream], record.data)
        skipped = self.preparer.columns(target).news()
        if skipped:
            yield log(f"Stream {record.stream}: columns not written to {target.module}: "
                      + "; ".join(f"{column} ({why})" for column, why in skipped))
        if rejection is not None:
            yield from self.reporter.result(item, rejection)
            return
        item.checkpoint = self.watermark.open()
        dispatcher.submit(self.batcher.conflicts(item))
        dispatcher.wait_for(item)
        full = self.batcher.put(item)
        if full:
            dispatcher.submit([full])
        self._send_overdue(dispatcher)
        yield from self._report_finished(dispatcher)

    def _state(self, state: AirbyteStateMessage, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        state.destinationStats = AirbyteStateStats(recordCount=float(self._count_for(state)))
        self.watermark.hold(state)
        yield from self._report_finished(dispatcher)

    def _send_overdue(self, dispatcher: Dispatcher) -> None:
        """Send the partial batches the oldest held STATE waits for once a full call's worth of records came for
        every parallel slot after it: until then they may still fill (a source that checkpoints every 10 rows
        would otherwise get calls of 10, ten times the floor), after that the STATE would wait too long."""
        checkpoint = self.watermark.overdue(WRITE_LIMIT * self.config.max_parallel_batches)
        if checkpoint is not None:
            dispatcher.submit(self.batcher.holding(checkpoint))

    def _count_for(self, state: AirbyteStateMessage) -> int:
        """Records since the previous STATE of the same scope: one stream for STREAM state, else all."""
        if state.type == AirbyteStateType.STREAM and state.stream is not None:
            return self.since_state.pop(state.stream.stream_descriptor.name, 0)
        total = sum(self.since_state.values())
        self.since_state.clear()
        return total

    def _finish(self, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        """End of input: send every pending batch, wait for all, report them and echo the STATEs left."""
        dispatcher.submit(self.batcher.drain())
        dispatcher.drain()
        yield from self._report_finished(dispatcher)

    def _stop(self, dispatcher: Dispatcher, exc: DestinationConfigError) -> Iterator[AirbyteMessage]:
        """A fatal input error: commit what the held STATEs wait for, echo every STATE whose records settled,
        then raise. Without this the records already committed would be written again by the platform's retry,
        which resends everything after the last STATE it received. Records after the last STATE stay unsent:
        the retry sends them."""
        newest = self.watermark.newest()
        if newest is not None:
            dispatcher.submit(self.batcher.holding(newest))
        dispatcher.drain()
        yield from self._report_finished(dispatcher)
        yield log(f"Stopping: {exc}", Level.ERROR)
        raise exc

    def _report_finished(self, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        """Report every finished batch and echo the STATEs it cleared; after a fatal error, let the rest finish,
        report them and raise it (the failed batch's records never settle, so no later STATE leaves)."""
        yield from self._report_batches(dispatcher)
        if dispatcher.error is not None:
            dispatcher.drain()
            yield from self._report_batches(dispatcher)
            yield log(f"Stopping: {dispatcher.error}", Level.ERROR)
            raise dispatcher.error

    def _report_batches(self, dispatcher: Dispatcher) -> Iterator[AirbyteMessage]:
        for batch, results in dispatcher.completed():
            for item, result in zip(batch.items, results, strict=True):
                yield from self.reporter.result(item, result)
                self.watermark.settle(item.checkpoint)
            yield from self.reporter.created(batch, results)
        released = self.watermark.release()
        if not self.config.dry_run:
            yield from (AirbyteMessage(type=Type.STATE, state=state) for state in released)
