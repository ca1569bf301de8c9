"""Turn one incoming row into the body Zoho expects for its operation (docs/zoho-api.md sections 6, 8, 9.1, 10).

Column conventions (docs/destination-operations.md):
- `_zoho_operation` picks the operation; columns starting with `_ab_` or `_airbyte_` are Airbyte metadata and are
  never sent.
- `id` addresses the record for update, delete, convert and clone; create and upsert never send it (a new
  record gets a new id; upsert matches on the duplicate-check fields).
- Convert: `Deals`, `Accounts`, `Contacts`, `assign_to`, `overwrite`, `notify_lead_owner`,
  `notify_new_entity_owner`, `move_attachments_to`, `carry_over_tags` are passed as Zoho names them.
- Notes: the parent is `Parent_Id` as Zoho's object, or the plain columns `parent_module` + `parent_id`
  (or v2's `se_module` + string `Parent_Id`).
- Lookup fields may hold a bare id; it is sent as `{"id": ...}` (section 8).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from destination_zoho_crm.operations import OPERATION_COLUMN, TAG_OPERATIONS, Operation
from destination_zoho_crm.tags import TAG, tag_list
from zoho_crm_client.models import FieldMeta, WriteResult, note_parent, parent_of_note
from zoho_crm_client.schema import SINGLE_RECORD_ONLY, value_type

ID = "id"
NOTES = "Notes"
METADATA_PREFIXES = ("_ab_", "_airbyte_")
LOOKUP_TYPES = frozenset({"lookup", "ownerlookup", "userlookup"})
CONVERT_KEYS = ("overwrite", "notify_lead_owner", "notify_new_entity_owner", "Accounts", "Contacts", "assign_to",
                "Deals", "move_attachments_to", "carry_over_tags")
CONVERT_ID_KEYS = ("Accounts", "Contacts", "assign_to")  # section 9.1: objects {"id": ...} in v8
NOTE_PARENT_COLUMNS = ("parent_module", "parent_id", "se_module", "$se_module", "Parent_Id")


@dataclass
class Payload:
    """What one record asks of Zoho; `body` holds fields (create/update/upsert/clone) or the convert settings."""

    operation: Operation
    record_id: str | None
    body: dict[str, Any] = field(default_factory=dict)
    parent: tuple[str, str] | None = None  # Notes: (parent module, parent id)


def build(record: Mapping[str, Any], operation: Operation, module: str,
          fields: Mapping[str, FieldMeta]) -> Payload | WriteResult:
    """The payload of one record, or a rejection when the record cannot address what it asks for."""
    data = {k: v for k, v in record.items() if k != OPERATION_COLUMN and not k.startswith(METADATA_PREFIXES)}
    record_id = _id(data.pop(ID, None))
    if operation.needs_id and record_id is None:
        return WriteResult.refused("MANDATORY_NOT_FOUND", f"required field not found: {operation.value} needs the record id",
                         ID, {"api_name": ID})
    if operation is Operation.DELETE:
        return Payload(operation, record_id)
    if operation is Operation.CONVERT:
        return Payload(operation, record_id, _convert_body(data))
    if operation in TAG_OPERATIONS:
        tags = tag_list(data.get(TAG), operation)
        return tags if isinstance(tags, WriteResult) else Payload(operation, record_id, {TAG: tags})
    parent = _note_parent(data) if module == NOTES else None
    if parent:
        data["Parent_Id"] = note_parent(*parent)
    elif module == NOTES and operation is Operation.CREATE:
        return WriteResult.refused("MANDATORY_NOT_FOUND", "required field not found: a note needs its parent module and id",
                         "Parent_Id", {"api_name": "Parent_Id"})
    body = {k: _conformed(v, fields.get(k)) for k, v in data.items() if not _unread(v, fields.get(k))}
    if operation is Operation.UPDATE:
        body[ID] = record_id
    return Payload(operation, record_id, body, parent)


def _id(value: Any) -> str | None:
    # section 0: ids are digit strings; a JSON number is read exactly through int, never float.
    if value in (None, ""):
        return None
    return str(value)


# What a warehouse hands back for Zoho's types (docs/destination-operations.md, "Values from a warehouse"): DuckDB
# decimals arrive through PyAirbyte as strings ("405590.320000000") and timestamps without an offset (stored in UTC).
_NUMBERS = frozenset({"double", "decimal", "currency", "percent"})
_NAIVE_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _conformed(value: Any, meta: FieldMeta | None) -> Any:
    """A value in the shape Zoho takes for the field: a bare id as a lookup object (section 8), a decimal string
    as a number, a date-time without an offset as UTC (section 0: any offset is accepted). Anything else is
    passed on for the validator to judge."""
    if meta is None:
        return value
    if meta.data_type in LOOKUP_TYPES:
        return _lookup(value)
    if meta.data_type == "subform" and isinstance(value, str):
        return _json_array(value)
    kind = value_type(meta)
    if isinstance(value, str) and kind in _NUMBERS:
        return _number(value)
    if isinstance(value, str) and kind == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    if isinstance(value, str) and kind == "datetime" and _NAIVE_DATETIME.match(value):
        return value.replace(" ", "T").split(".")[0] + "+00:00"
    return value


def _unread(value: Any, meta: FieldMeta | None) -> bool:
    """A null subform or multi-select lookup is left as it is in Zoho, not cleared: a table mirrored from Zoho has
    them null because list reads never carry them (section 3.2), and Zoho replaces a subform with what is sent.
    `[]` clears one (docs/destination.md, "Null values")."""
    return value is None and meta is not None and meta.data_type in SINGLE_RECORD_ONLY


def _json_array(text: str) -> Any:
    """A warehouse column holding a subform's rows as JSON text (`'[{"Product_Name": ...}]'`, as a JSON or VARCHAR
    column comes back) as the array it spells; any other text as given, for the validator to name."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, list) else text


def _number(text: str) -> Any:
    """A decimal string as the number it spells ("405590.320000000", "0E-9"); anything else as given."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def _lookup(value: Any) -> Any:
    return {"id": str(value)} if isinstance(value, (str, int)) and not isinstance(value, bool) else value


def _convert_body(data: Mapping[str, Any]) -> dict[str, Any]:
    body = {k: data[k] for k in CONVERT_KEYS if data.get(k) is not None}
    for key in CONVERT_ID_KEYS:
        if key in body:
            body[key] = _lookup(body[key])
    return body


def _note_parent(data: dict[str, Any]) -> tuple[str, str] | None:
    """(module, id) from the plain `parent_module`/`parent_id` columns, else from any shape of Zoho's own
    (`Parent_Id` as v8's object or v2's id beside `se_module`: the client's models.parent_of_note)."""
    columns = {k: data.pop(k, None) for k in NOTE_PARENT_COLUMNS}
    given_module, given_id = parent_of_note(columns)
    module = columns["parent_module"] or given_module
    parent_id = _id(columns["parent_id"]) or given_id
    return (str(module), parent_id) if module and parent_id else None
