"""The destination catalog (Airbyte's data-activation protocol, `DESTINATION_CATALOG`): what can be written where.

One `DestinationOperation` per (creatable module, sync mode) the module's permissions allow (docs/zoho-api.md 2.1):
append -> create, append_dedup -> upsert on Zoho's duplicate-check fields, update -> update by `id` or upsert
on those fields, soft_delete -> delete by `id`. Field schemas come from the client's type table
(`zoho_crm_client.schema`), restricted to the fields the operation may write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The CDK's AirbyteMessage has no `destination_catalog` field yet; the protocol's own dataclasses do.
from airbyte_cdk.models.airbyte_protocol import DestinationCatalog, DestinationOperation, DestinationSyncMode

from destination_zoho_crm.matching import duplicate_check_fields
from destination_zoho_crm.operations import OPERATION_COLUMN, Operation
from destination_zoho_crm.payload import LOOKUP_TYPES, NOTES
from destination_zoho_crm.validate import writable
from zoho_crm_client.models import FieldMeta, ModuleMeta
from zoho_crm_client.schema import field_schema

ID_SCHEMA = {"type": "string", "pattern": r"^\d{1,19}$"}
OPERATION_SCHEMA = {"type": ["null", "string"], "enum": [None, *(op.value for op in Operation)]}
NOTE_PARENT_SCHEMA = {"parent_module": {"type": ["null", "string"]}, "parent_id": {"type": ["null", "string"]}}


def catalog_message(catalog: DestinationCatalog) -> dict[str, Any]:
    """The protocol message `{"type": "DESTINATION_CATALOG", "destination_catalog": {...}}`, ready for JSON."""
    operations = [{"object_name": op.object_name, "sync_mode": op.sync_mode.value, "json_schema": op.json_schema,
                   **({"matching_keys": op.matching_keys} if op.matching_keys else {})}
                  for op in catalog.operations]
    return {"type": "DESTINATION_CATALOG", "destination_catalog": {"operations": operations}}


def writable_modules(modules: list[ModuleMeta]) -> list[ModuleMeta]:
    """Modules a destination can create records in: API-supported and creatable (section 2.1)."""
    return [m for m in modules if m.api_supported and m.creatable]


def build_catalog(modules: list[ModuleMeta], fields_of: Callable[[str], list[FieldMeta]]) -> DestinationCatalog:
    """`fields_of` is typically `ZohoClient.fields` (cached per module)."""
    operations: list[DestinationOperation] = []
    for module in writable_modules(modules):
        operations += module_operations(module, fields_of(module.api_name))
    return DestinationCatalog(operations=operations)


def module_operations(module: ModuleMeta, fields: list[FieldMeta]) -> list[DestinationOperation]:
    name = module.api_name
    keys = [[k] for k in duplicate_check_fields(module, fields)]
    ops = [DestinationOperation(name, DestinationSyncMode.append, _schema(module, fields, Operation.CREATE))]
    if keys:
        ops.append(DestinationOperation(name, DestinationSyncMode.append_dedup,
                                        _schema(module, fields, Operation.UPSERT), matching_keys=keys))
    if module.editable:
        ops.append(DestinationOperation(name, DestinationSyncMode.update, _schema(module, fields, Operation.UPDATE),
                                        matching_keys=[["id"], *keys]))
    if module.deletable:
        schema = {"type": "object", "required": ["id"], "additionalProperties": False,
                  "properties": {"id": ID_SCHEMA, OPERATION_COLUMN: OPERATION_SCHEMA}}
        ops.append(DestinationOperation(name, DestinationSyncMode.soft_delete, schema, matching_keys=[["id"]]))
    return ops


def _schema(module: ModuleMeta, fields: list[FieldMeta], op: Operation) -> dict[str, Any]:
    properties = {f.api_name: _input_schema(f) for f in fields if writable(f, op)}
    properties[OPERATION_COLUMN] = OPERATION_SCHEMA
    properties["id"] = {**ID_SCHEMA, "type": ["null", "string"]}
    if module.api_name == NOTES:
        properties.update(NOTE_PARENT_SCHEMA)
    # Mandatory only binds a create; a note's parent may come as parent_module/parent_id instead of Parent_Id.
    required = [f.api_name for f in fields if f.system_mandatory and f.api_name != "Parent_Id"]
    if op is not Operation.CREATE:
        required = []
    return {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
            "additionalProperties": False, "required": required, "properties": properties}


def _input_schema(meta: FieldMeta) -> dict[str, Any]:
    schema = field_schema(meta)
    if meta.data_type in LOOKUP_TYPES:
        # payload.py accepts a bare id for a lookup and sends it as {"id": ...}
        return {"anyOf": [schema, {"type": "string"}]}
    return schema
