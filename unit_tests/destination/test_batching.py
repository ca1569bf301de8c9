from __future__ import annotations

from destination_zoho_crm.batching import Batcher, Item, identity_tokens, reference_tokens
from destination_zoho_crm.operations import Operation
from destination_zoho_crm.payload import Payload


def item(op: Operation, position: int, record_id: str | None = None, module: str = "Leads", parent=None,
         **body) -> Item:
    payload = Payload(op, record_id, body, parent)
    return Item("s", position, module, payload, tokens=identity_tokens(module, payload, ["Email"]),
                refs=reference_tokens(payload))


def test_given_101_creates_when_batched_then_the_first_100_go_as_one_full_batch() -> None:
    batcher = Batcher()
    full = [b for i in range(101) if (b := batcher.put(item(Operation.CREATE, i, Email=f"{i}@x.co")))]
    assert [len(b.items) for b in full] == [100]
    assert [i.position for i in full[0].items] == list(range(100))
    assert [len(b.items) for b in batcher.drain()] == [1]


def test_given_mixed_operations_when_batched_then_each_module_and_operation_has_its_batch() -> None:
    batcher = Batcher()
    for i, op in enumerate([Operation.CREATE, Operation.DELETE, Operation.CREATE, Operation.UPDATE]):
        batcher.put(item(op, i, record_id=None if op is Operation.CREATE else str(i)))
    batcher.put(item(Operation.CREATE, 9, module="Deals"))
    groups = [(b.module, b.operation, [i.position for i in b.items]) for b in batcher.drain()]
    assert groups == [("Leads", Operation.CREATE, [0, 2]), ("Leads", Operation.DELETE, [1]),
                      ("Leads", Operation.UPDATE, [3]), ("Deals", Operation.CREATE, [9])]


def test_given_an_update_of_a_pending_record_when_added_then_the_earlier_batch_must_go_first() -> None:
    batcher = Batcher()
    batcher.put(item(Operation.UPDATE, 0, record_id="1"))
    later = item(Operation.DELETE, 1, record_id="1")
    assert [[i.position for i in b.items] for b in batcher.conflicts(later)] == [[0]]
    assert batcher.conflicts(later) == []


def test_given_the_same_email_twice_when_added_then_the_case_insensitive_match_is_a_conflict() -> None:
    batcher = Batcher()
    batcher.put(item(Operation.UPSERT, 0, Email="A@X.co"))
    assert len(batcher.conflicts(item(Operation.UPSERT, 1, Email="a@x.co"))) == 1


def test_given_unrelated_records_when_added_then_nothing_conflicts() -> None:
    batcher = Batcher()
    batcher.put(item(Operation.UPSERT, 0, Email="a@x.co"))
    batcher.put(item(Operation.UPDATE, 1, record_id="1"))
    assert batcher.conflicts(item(Operation.UPSERT, 2, Email="b@x.co")) == []
    assert batcher.conflicts(item(Operation.DELETE, 3, record_id="2")) == []


def test_given_a_note_on_a_record_being_deleted_when_added_then_the_delete_goes_first() -> None:
    batcher = Batcher()
    batcher.put(item(Operation.DELETE, 0, record_id="42"))
    assert len(batcher.conflicts(item(Operation.CREATE, 1, module="Notes", parent=("Leads", "42")))) == 1


def test_given_two_notes_on_one_parent_when_added_then_they_share_a_batch() -> None:
    batcher = Batcher()
    batcher.put(item(Operation.CREATE, 0, module="Notes", parent=("Leads", "42")))
    assert batcher.conflicts(item(Operation.CREATE, 1, module="Notes", parent=("Leads", "42"))) == []


def test_given_converts_when_batched_then_each_lead_is_its_own_call() -> None:
    batcher = Batcher()
    assert len(batcher.put(item(Operation.CONVERT, 0, record_id="1")).items) == 1
    assert len(batcher) == 0


def test_given_pending_batches_when_a_checkpoint_is_due_then_only_batches_holding_its_records_are_taken() -> None:
    batcher = Batcher()
    old = item(Operation.DELETE, 0, record_id="1")
    new = item(Operation.CREATE, 1, Email="new@x.co")
    old.checkpoint, new.checkpoint = 0, 1
    batcher.put(old)
    batcher.put(new)
    assert [[i.position for i in b.items] for b in batcher.holding(0)] == [[0]]
    assert [[i.position for i in b.items] for b in batcher.drain()] == [[1]]
