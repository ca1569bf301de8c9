"""Subform and line-item streams: one per subform field, named `{Module}__{Field}` (`Quotes__Quoted_Items`).

One row per subform row, typed from the subform module's own field metadata (docs/zoho-api/subforms.md S4), with
`parent_module`, `parent_id`, the row's own `id`, its `row_position` in the parent (0-based, in id order) and
the parent's `Modified_Time` (the cursor). The key is (`parent_id`, `row_position`): a row removed from a parent
is then a tombstone on a key the source can name without remembering any row id (docs/source.md, "Subforms and
line items"). Discovery costs one `settings/fields` call per subform module.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from airbyte_cdk.models import AirbyteMessage, FailureType

from source_zoho_crm import messages
from source_zoho_crm.streams import CURSOR_FIELD, DELETED_COLUMN, Kind, StreamDef
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import ZohoCRMError
from zoho_crm_client.schema import field_schema
from zoho_crm_client.subforms import subform_module

SEPARATOR = "__"
PARENT_MODULE, PARENT_ID, POSITION = "parent_module", "parent_id", "row_position"
KEY = (PARENT_ID, POSITION)
COLUMNS: dict[str, dict[str, Any]] = {
    PARENT_MODULE: {"type": "string"}, PARENT_ID: {"type": "string"}, POSITION: {"type": "integer"},
    CURSOR_FIELD: {"type": ["null", "string"], "format": "date-time"}, **DELETED_COLUMN,
    "id": {"type": "string"},  # left out of a tombstone: the removed row's id is not known
}


def stream_name(parent: str, field: str) -> str:
    return f"{parent}{SEPARATOR}{field}"


def split_name(name: str) -> tuple[str, str] | None:
    """(parent module, subform field) of a subform stream's name; None when the name is not one. A module's own
    `__s` suffix (`Appointments__s`) is not a separator."""
    head, sep, tail = name.rpartition(SEPARATOR)
    if not sep or not head or not tail or tail == "s":
        return None
    return head, tail


def subform_stream(parent: str, field: str, schemas: dict[str, dict[str, Any]]) -> StreamDef:
    """`schemas`: the subform module's fields by api_name (Parent_Id and id among them, as Zoho lists them)."""
    properties = {**{k: v for k, v in schemas.items() if k != "id"}, **COLUMNS}
    return StreamDef(name=stream_name(parent, field), kind=Kind.SUBFORM, module=parent, properties=properties,
                     primary_key=KEY)


def from_catalog(name: str, properties: dict[str, Any]) -> StreamDef | None:
    """A configured subform stream, recognised by its name and its key columns; None for any other stream."""
    parts = split_name(name)
    if parts is None or not set(KEY) <= set(properties):
        return None
    return StreamDef(name=name, kind=Kind.SUBFORM, module=parts[0], properties={**properties, **COLUMNS},
                     primary_key=KEY)


def discover_subforms(client: ZohoClient, parents: Iterable[str], logger: logging.Logger
                      ) -> tuple[list[StreamDef], list[AirbyteMessage]]:
    """A stream per subform field of the offered modules whose subform module Zoho describes."""
    streams, problems = [], []
    for parent in parents:
        try:
            fields = client.fields(parent)
        except ZohoCRMError:
            continue  # the module stream itself reports it (discover.py)
        for meta in fields:
            sub = subform_module(meta)
            if sub is None:
                continue
            try:
                schemas = {f.api_name: field_schema(f, logger) for f in client.fields(sub)}
            except ZohoCRMError as exc:
                problems.append(_skipped(stream_name(parent, meta.api_name), sub, exc, logger))
                continue
            streams.append(subform_stream(parent, meta.api_name, schemas))
    return streams, problems


def _skipped(name: str, sub: str, exc: ZohoCRMError, logger: logging.Logger) -> AirbyteMessage:
    text = f"Stream {name} left out of the catalog: the fields of its subform module {sub} could not be read ({exc})"
    logger.warning(text)
    return messages.error(text, FailureType.transient_error, stream=name, internal=type(exc).__name__)
