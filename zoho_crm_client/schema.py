"""Zoho data type -> JSON schema (docs/zoho-api.md section 2.2): one table, plus the few rules around it."""

from __future__ import annotations

import logging
from typing import Any

from zoho_crm_client.models import FieldMeta

_STRING = {"type": ["null", "string"]}
_NUMBER = {"type": ["null", "number"]}
_INTEGER = {"type": ["null", "integer"]}
_BOOLEAN = {"type": ["null", "boolean"]}
_DATE = {"type": ["null", "string"], "format": "date"}
_DATETIME = {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"}
_OBJECT = {"type": ["null", "object"], "additionalProperties": True}
_ARRAY_ANY = {"type": ["null", "array"], "items": {}}
_ANY: dict[str, Any] = {}  # permissive: any JSON value
_LOOKUP = {"type": ["null", "object"], "additionalProperties": True,
           "properties": {"id": {"type": ["null", "string"]}, "name": {"type": ["null", "string"]}}}
_USER = {"type": ["null", "object"], "additionalProperties": True,
         "properties": {"id": {"type": ["null", "string"]}, "name": {"type": ["null", "string"]},
                        "email": {"type": ["null", "string"]}}}

# Section 3.2: values of these types come only with a single-record GET, never in a list, search or COQL answer.
SINGLE_RECORD_ONLY = frozenset({"subform", "multiselectlookup", "multiuserlookup"})

TYPE_SCHEMAS: dict[str, dict[str, Any]] = {
    **dict.fromkeys(("text", "email", "phone", "website", "autonumber", "profileimage", "mediumtext",
                     "textarea", "picklist", "event_reminder"), _STRING),
    "multiselectpicklist": {"type": ["null", "array"], "items": {"type": ["null", "string"]}},
    "integer": _INTEGER,
    # Long Integer: Zoho's metadata gives bigint fields `json_type: string` and its Insert Records page writes
    # them as strings ("EAN_Code": "0012345600012"); one JSON type keeps leading zeros and typed destinations
    # happy (docs/zoho-api/fields.md, "Long Integer"). The source turns a number Zoho might send into text.
    "bigint": _STRING,
    **dict.fromkeys(("double", "decimal", "currency", "percent"), _NUMBER),
    "boolean": _BOOLEAN,
    "date": _DATE,
    "datetime": _DATETIME,
    **dict.fromkeys(("lookup", "consent_lookup", "multi_module_lookup", "module", "layout"), _LOOKUP),
    **dict.fromkeys(("ownerlookup", "userlookup"), _USER),
    **dict.fromkeys(("multiselectlookup", "multiuserlookup", "subform", "fileupload", "imageupload",
                     "linetax", "multireminder"), {"type": ["null", "array"], "items": _OBJECT}),
    **dict.fromkeys(("RRULE", "ALARM", "time_range"), _OBJECT),
    "jsonobject": _OBJECT,
    "jsonarray": _ARRAY_ANY,
}

# formula.return_type values (section 2.2) -> the data type whose schema they share
_FORMULA_RETURNS = {"double": "double", "decimal": "double", "currency": "currency", "integer": "integer",
                    "boolean": "boolean", "date": "date", "datetime": "datetime", "text": "text", "string": "text"}

# json_type (section 2.2) -> the data type whose schema it shares. `long` is the SDK's name for Long Integer.
_JSON_TYPES = {"string": "text", "integer": "integer", "double": "double", "long": "bigint", "boolean": "boolean",
               "jsonobject": "jsonobject", "jsonarray": "jsonarray"}
_STRUCTURED = frozenset({"jsonobject", "jsonarray"})

_log = logging.getLogger("zoho_crm_client.schema")


def value_type(field: FieldMeta) -> str | None:
    """The key of TYPE_SCHEMAS that describes the field's values; None when neither type is known.

    `json_type` wins where it names a structure the data type does not: `Tag` is `data_type: text` with
    `json_type: jsonarray` and holds `[{"name", "id", "color_code"}]` (docs/zoho-api/fields.md, "json_type").
    Where both agree on the JSON kind, the data type is kept: it says more (a lookup's id and name, a
    multi-select's strings). A formula is typed by its return type.
    """
    data_type = field.data_type
    if data_type == "formula":
        data_type = _FORMULA_RETURNS.get(str(field.formula_return_type or "").lower(), "text")
    by_json = _JSON_TYPES.get(str(field.json_type or ""))
    if by_json in _STRUCTURED and _kind(data_type) != _kind(by_json):
        return by_json
    if data_type in TYPE_SCHEMAS:
        return data_type
    return by_json


def _kind(type_key: str | None) -> str | None:
    types = TYPE_SCHEMAS.get(type_key or "", {}).get("type") or []
    return next((t for t in types if t != "null"), None)


def field_schema(field: FieldMeta, logger: logging.Logger | None = None) -> dict[str, Any]:
    """The JSON schema of one field's values; an unknown type gets a permissive schema and a warning."""
    type_key = value_type(field)
    if type_key is not None:
        return dict(TYPE_SCHEMAS[type_key])
    (logger or _log).warning("field %s has Zoho data type %r that has no schema mapping; reading it as any JSON "
                             "value", field.api_name, field.data_type)
    return dict(_ANY)


PRIMARY_KEY_SCHEMA: dict[str, Any] = {"type": "string"}
"""A record's `id`: never null, always a string (section 0), whatever `settings/fields` says of the `id` field
(`data_type: bigint`). Set last when a stream's columns are built, so the field's own entry cannot replace it."""


def record_schema(fields: list[FieldMeta], logger: logging.Logger | None = None) -> dict[str, Any]:
    """An object schema for a module's records; `id` is always a string (section 0: never a float)."""
    properties = {f.api_name: field_schema(f, logger) for f in fields}
    properties["id"] = dict(PRIMARY_KEY_SCHEMA)
    return {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
            "additionalProperties": True, "properties": properties}


AGGREGATE_SCHEMA = _NUMBER
