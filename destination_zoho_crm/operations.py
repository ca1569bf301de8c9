"""Which Zoho operation a record gets: sync mode -> default, per-stream setting, then `_zoho_operation`.

design.md (destination config): append -> create, append_dedup/update -> upsert on the matching keys,
soft_delete -> delete; overwrite is refused (it would mean deleting a CRM). A record's `_zoho_operation`
overrides its stream's default.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from destination_zoho_crm.errors import DestinationConfigError

OPERATION_COLUMN = "_zoho_operation"
# Airbyte's CDC column: a source's tombstone for a deleted record carries the deletion time here (design.md).
DELETED_AT_COLUMN = "_ab_cdc_deleted_at"


class Operation(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    UPSERT = "upsert"
    DELETE = "delete"
    CONVERT = "convert"
    CLONE = "clone"
    ADD_TAGS = "add_tags"  # tags.py; docs/zoho-api/tags.md
    REMOVE_TAGS = "remove_tags"

    @property
    def needs_id(self) -> bool:
        """Operations that address an existing record (docs/zoho-api.md sections 8, 9.1, 10)."""
        return self in (Operation.UPDATE, Operation.DELETE, Operation.CONVERT, Operation.CLONE, *TAG_OPERATIONS)

    @property
    def idempotent(self) -> bool:
        """Safe to resend after an ambiguous failure: the same request leaves the CRM in the same state."""
        return self in (Operation.UPDATE, Operation.UPSERT, Operation.DELETE, *TAG_OPERATIONS)


# Adding a tag a record has, or removing one it lacks, changes nothing: both are safe to resend (tags.py).
TAG_OPERATIONS = frozenset({Operation.ADD_TAGS, Operation.REMOVE_TAGS})

SYNC_MODE_OPERATION: dict[str, Operation] = {
    "append": Operation.CREATE,
    "append_dedup": Operation.UPSERT,
    "update": Operation.UPSERT,
    "soft_delete": Operation.DELETE,
}

# Zoho's metadata flag a module must carry for an operation (docs/zoho-api.md 2.1: creatable/editable/deletable).
REQUIRED_PERMISSION: dict[Operation, str] = {
    Operation.CREATE: "creatable",
    Operation.UPSERT: "creatable",
    Operation.CLONE: "creatable",
    Operation.CONVERT: "editable",
    Operation.UPDATE: "editable",
    Operation.DELETE: "deletable",
    Operation.ADD_TAGS: "editable",
    Operation.REMOVE_TAGS: "editable",
}


# Section 9.1: only leads convert; section 6: Notes take create, update and delete (no upsert, no clone).
NOTES_OPERATIONS = frozenset({Operation.CREATE, Operation.UPDATE, Operation.DELETE})


def unsupported(operation: Operation, module: str) -> str | None:
    """Why Zoho has no such call for this module, or None."""
    if operation is Operation.CONVERT and module != "Leads":
        return f"convert applies to Leads only, not {module}"
    if module == "Notes" and operation not in NOTES_OPERATIONS:
        return f"Notes support create, update and delete, not {operation.value}"
    return None


def parse_operation(value: str) -> Operation:
    """`"Upsert"` -> Operation.UPSERT; a ValueError names the accepted values."""
    try:
        return Operation(str(value).strip().lower())
    except ValueError:
        accepted = ", ".join(op.value for op in Operation)
        raise ValueError(f"unknown operation {value!r}; use one of: {accepted}") from None


def operation_for_sync_mode(stream: str, destination_sync_mode: str) -> Operation:
    """The default operation of a configured stream; overwrite is refused before anything is written."""
    if destination_sync_mode == "overwrite":
        raise DestinationConfigError(
            f"Stream '{stream}' uses the 'overwrite' sync mode, which this destination refuses: it would mean "
            "deleting every record of a Zoho CRM module first. Choose append (create), append_dedup or update "
            "(upsert) or soft_delete (delete) for this stream."
        )
    try:
        return SYNC_MODE_OPERATION[destination_sync_mode]
    except KeyError:
        raise DestinationConfigError(
            f"Stream '{stream}' uses the unsupported sync mode {destination_sync_mode!r}; "
            f"supported: {', '.join(SYNC_MODE_OPERATION)}."
        ) from None


def record_operation(record: Mapping[str, Any], default: Operation) -> Operation:
    """The record's `_zoho_operation` if it has one (raises ValueError when unknown), else the stream default;
    a tombstone (`_ab_cdc_deleted_at` set) on a stream that writes by Zoho id is a delete of that id
    (docs/destination.md, "Deletions from the source"); elsewhere `tombstone_problem` rejects it."""
    value = record.get(OPERATION_COLUMN)
    if value not in (None, ""):
        return parse_operation(value)
    if is_tombstone(record) and default in BY_ID:
        return Operation.DELETE
    return default


# Operations that address the record by its Zoho id: a tombstone's id can only mean that record there.
BY_ID = frozenset({Operation.UPDATE, Operation.DELETE})


def is_tombstone(record: Mapping[str, Any]) -> bool:
    return record.get(DELETED_AT_COLUMN) not in (None, "")


def tombstone_problem(record: Mapping[str, Any], operation: Operation) -> str | None:
    """Why a tombstone cannot be applied as it stands (None when it is a delete, or not a tombstone). Writing it
    as a create or an upsert would store a deleted record's last values, and its deletion would be lost."""
    if not is_tombstone(record) or operation is Operation.DELETE:
        return None
    return (f"the source deleted this record ({DELETED_AT_COLUMN} is set) but the stream writes it as "
            f"{operation.value}, which would keep it; use the append_dedup sync mode with the primary key id "
            f"(or soft_delete) so it is deleted by its Zoho id, or set {OPERATION_COLUMN} to 'delete'")
