"""Group records into calls: per module, operation and matching keys, at most 100 per call, in input order.

Zoho takes up to 100 records per insert/update/upsert/delete call and one lead per convert call
(docs/zoho-api.md sections 8, 9.1); clone takes one record per call (section 10). Records are grouped so that
order is kept where it matters: every record carries identity tokens (its id, its duplicate-check values) and
reference tokens (a note's parent record); a record whose identity meets a pending batch's identities or
references, or whose references meet its identities, makes that batch go (and finish) first. Two notes on one
parent do not wait for each other; a note on a record being deleted waits for the delete.
So a record's update never overtakes its create, and two upserts of the same e-mail land in input order,
while unrelated batches may be sent in parallel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from destination_zoho_crm.operations import Operation
from destination_zoho_crm.payload import Payload

WRITE_LIMIT = 100  # section 8: records per call
SINGLE_CALL = frozenset({Operation.CONVERT, Operation.CLONE})  # sections 9.1 and 10: one record per call

Token = tuple[str, str, str]  # (module, field, value)


@dataclass
class Item:
    """One validated record on its way to Zoho; `position` is its 1-based ordinal within its stream, `checkpoint`
    the number of STATE messages before it (watermark.py)."""

    stream: str
    position: int
    module: str
    payload: Payload
    matching_keys: tuple[str, ...] = ()
    tokens: frozenset[Token] = frozenset()
    refs: frozenset[Token] = frozenset()
    record: Mapping[str, Any] = field(default_factory=dict, repr=False)
    checkpoint: int = 0

    @property
    def group(self) -> tuple[str, Operation, tuple[str, ...]]:
        return self.module, self.payload.operation, self.matching_keys


@dataclass
class Batch:
    module: str
    operation: Operation
    matching_keys: tuple[str, ...]
    items: list[Item] = field(default_factory=list)
    tokens: set[Token] = field(default_factory=set)
    refs: set[Token] = field(default_factory=set)

    def add(self, item: Item) -> None:
        self.items.append(item)
        self.tokens |= item.tokens
        self.refs |= item.refs

    def blocks(self, item: Item) -> bool:
        """True when `item` must not be sent before this batch is committed."""
        return bool(self.tokens & (item.tokens | item.refs) or self.refs & item.tokens)


def batch_size(operation: Operation) -> int:
    return 1 if operation in SINGLE_CALL else WRITE_LIMIT


def identity_tokens(module: str, payload: Payload, keys: Iterable[str]) -> frozenset[Token]:
    """What a record is known by: its id and its duplicate-check values (case-insensitive, as Zoho matches
    e-mails)."""
    tokens: set[Token] = set()
    if payload.record_id:
        tokens.add((module, "id", payload.record_id))
    if payload.operation in (Operation.CREATE, Operation.UPSERT):
        tokens |= {(module, k, str(payload.body[k]).casefold()) for k in keys if payload.body.get(k) is not None}
    return frozenset(tokens)


def reference_tokens(payload: Payload) -> frozenset[Token]:
    """The records a record points at: a note's parent."""
    return frozenset({(payload.parent[0], "id", payload.parent[1])}) if payload.parent else frozenset()


class Batcher:
    """Pending batches, one per group; the caller sends what `conflicts` and `put` hand back."""

    def __init__(self) -> None:
        self._pending: dict[tuple[str, Operation, tuple[str, ...]], Batch] = {}

    def conflicts(self, item: Item) -> list[Batch]:
        """Remove and return the pending batches that must be committed before `item` may join a batch."""
        blockers = [key for key, batch in self._pending.items() if batch.blocks(item)]
        return [self._pending.pop(key) for key in blockers]

    def put(self, item: Item) -> Batch | None:
        """Add `item` to its group's batch; return that batch when it is full (it is then no longer pending)."""
        batch = self._pending.get(item.group)
        if batch is None:
            batch = self._pending[item.group] = Batch(item.module, item.payload.operation, item.matching_keys)
        batch.add(item)
        if len(batch.items) >= batch_size(batch.operation):
            return self._pending.pop(item.group)
        return None

    def holding(self, checkpoint: int) -> list[Batch]:
        """Remove and return the pending batches with a record of `checkpoint` or earlier (a batch's first record
        is its oldest), the partial batches a held STATE waits for."""
        due = [key for key, batch in self._pending.items() if batch.items[0].checkpoint <= checkpoint]
        return [self._pending.pop(key) for key in due]

    def drain(self) -> list[Batch]:
        """Every pending batch, oldest group first; they share no token, so they may go in parallel."""
        batches, self._pending = list(self._pending.values()), {}
        return batches

    def __len__(self) -> int:
        return sum(len(b.items) for b in self._pending.values())
