"""Send one batch through the client facade: one WriteResult per record, in the batch's order.

The client owns retries (docs/zoho-api.md 11.2): update, upsert and delete are retried on transient errors because
resending them is harmless; a create, convert or clone whose request may have reached Zoho before the connection
failed comes back as `AmbiguousWriteError` and is reported, never resent (it could create a duplicate).
A request-level refusal (a 4xx for the whole call) is every record's result (the client maps it). Auth,
permission, rate-limit and budget errors stop the sync: they would fail every following batch too.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter

from destination_zoho_crm.batching import Batch, Item
from destination_zoho_crm.operations import TAG_OPERATIONS, Operation
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import AmbiguousWriteError
from zoho_crm_client.models import WriteResult

AMBIGUOUS = "AMBIGUOUS_WRITE"


class BatchSender:
    """`send(batch)` is called from worker threads; its only state is the dry run's count of calls not made."""

    def __init__(self, client: ZohoClient, *, trigger: tuple[str, ...] = (), dry_run: bool = False):
        self.client = client
        self.trigger = list(trigger)
        self.dry_run = dry_run
        self.skipped_calls: Counter[str] = Counter()  # dry run: the calls not made, by operation
        self._lock = threading.Lock()

    def send(self, batch: Batch) -> list[WriteResult]:
        if self.dry_run:
            with self._lock:
                self.skipped_calls[batch.operation.value] += 1
            return [WriteResult(i, True, "", id=item.payload.record_id, source="dry_run")
                    for i, item in enumerate(batch.items)]
        try:
            results = self._call(batch)
        except AmbiguousWriteError as exc:
            return _ambiguous(batch, exc)
        by_index = {r.index: r for r in results}
        return [_result(by_index.get(i), i, item.payload.record_id) for i, item in enumerate(batch.items)]

    def _call(self, batch: Batch) -> list[WriteResult]:
        op, module, items = batch.operation, batch.module, batch.items
        bodies = [item.payload.body for item in items]
        # Notes go through the same calls (POST/PUT/DELETE /crm/v8/Notes, section 6) so that `trigger` is sent
        # with them too: the client's create_notes/update_notes omit it, and an omitted trigger runs every
        # automation (section 8).
        if op is Operation.CREATE:
            return self.client.insert(module, bodies, trigger=self.trigger)
        if op is Operation.UPDATE:
            return self.client.update(module, bodies, trigger=self.trigger)
        if op is Operation.UPSERT:
            return self.client.upsert(module, bodies, duplicate_check_fields=list(batch.matching_keys) or None,
                                      trigger=self.trigger)
        if op is Operation.DELETE:
            return self.client.delete(module, [_record_id(item) for item in items], wf_trigger="workflow" in self.trigger)
        if op in TAG_OPERATIONS:  # docs/zoho-api/tags.md: one call per tag list, up to 500 ids (client tags.py)
            return self.client.tag_records(module, op.value, [(_record_id(i), i.payload.body["Tag"]) for i in items])
        if op is Operation.CONVERT:
            return [_at(i, self.client.convert_lead(_record_id(items[i]), bodies[i])) for i in range(len(items))]
        return [_at(i, self.client.clone(module, _record_id(items[i]), overrides=bodies[i] or None)) for i in range(len(items))]


def _record_id(item: Item) -> str:
    """The id of a delete, convert or clone row: payload.py rejects such a row without one before it is batched."""
    assert item.payload.record_id is not None
    return item.payload.record_id


def _at(index: int, result: WriteResult) -> WriteResult:
    """Convert and clone answer for one record; place it at its index within the batch."""
    result.index = index
    return result


def _result(result: WriteResult | None, index: int, record_id: str | None) -> WriteResult:
    """Zoho's result for the record at `index`; a committed record Zoho names no id for keeps the one it was sent
    with (an update, a delete)."""
    if result is None:
        return WriteResult.refused("NO_RESULT", "Zoho returned no result for this record", source="zoho",
                                   index=index)
    if result.ok and not result.id and record_id:
        return dataclasses.replace(result, id=record_id)
    return result


def _ambiguous(batch: Batch, exc: AmbiguousWriteError) -> list[WriteResult]:
    """A batch is one call (at most 100 records), so an ambiguous failure concerns all of its records."""
    message = (f"the outcome is unknown ({exc}); the record was not resent, to avoid a duplicate: check Zoho for it "
               "before sending it again")
    return [WriteResult.refused(AMBIGUOUS, message, source="zoho", index=i) for i in range(len(batch.items))]
