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

TYPE_SCHEMAS: dict[str, dict[str, Any]] = {
    **dict.fromkeys(("text", "email", "phone", "website", "autonumber", "profileimage", "mediumtext",
                     "textarea", "picklist", "event_reminder"), _STRING),
    "multiselectpicklist": {"type": ["null", "array"], "items": {"type": ["null", "string"]}},
    "integer": _INTEGER,
    # section 2.2: bigint may come as a number or as a string (UNCONFIRMED which), accept both
    "bigint": {"type": ["null", "number", "string"]},
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

# json_type (section 2.2) is the fallback for a data_type this table does not know yet
_JSON_TYPES = {"string": _STRING, "integer": _INTEGER, "double": _NUMBER, "long": TYPE_SCHEMAS["bigint"],
               "boolean": _BOOLEAN, "jsonobject": _OBJECT, "jsonarray": _ARRAY_ANY}

_log = logging.getLogger("zoho_crm_client.schema")


def field_schema(field: FieldMeta, logger: logging.Logger | None = None) -> dict[str, Any]:
    """The JSON schema of one field's values; an unknown type gets a permissive schema and a warning."""
    data_type = field.data_type
    if data_type == "formula":
        data_type = _FORMULA_RETURNS.get(str(field.formula_return_type or "").lower(), "text")
    if data_type in TYPE_SCHEMAS:
        return dict(TYPE_SCHEMAS[data_type])
    if field.json_type in _JSON_TYPES:
        return dict(_JSON_TYPES[field.json_type])
    (logger or _log).warning("field %s has Zoho data type %r that has no schema mapping; reading it as any JSON "
                             "value", field.api_name, field.data_type)
    return dict(_ANY)


def record_schema(fields: list[FieldMeta], logger: logging.Logger | None = None) -> dict[str, Any]:
    """An object schema for a module's records; `id` is always a string (section 0: never a float)."""
    properties = {f.api_name: field_schema(f, logger) for f in fields}
    properties["id"] = {"type": ["string"]}
    return {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
            "additionalProperties": True, "properties": properties}


AGGREGATE_SCHEMA = _NUMBER
