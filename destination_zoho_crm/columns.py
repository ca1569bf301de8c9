"""How one stream's columns reach Zoho: the incoming column names matched to the module's API names.

A table mirrored from Zoho (by this project's source, read with PyAirbyte, or kept in a warehouse) carries the
module's fields under names a warehouse has normalised, and columns Zoho never takes through the API:
- PyAirbyte lowercases names and turns other characters into `_` (`Last_Name` -> `last_name`, `$se_module` ->
  `_se_module`), so a column is matched to the field whose name normalises the same way;
- read-only fields (`Created_Time`, `Full_Name`, formulas: neither `api_create` nor `api_update`, docs/zoho-api/
  fields.md) and system columns (`$...` keys of Zoho's answers, `_...` columns of the mirror) are left out, and
  the stream's log says so once per sync (`Writer`), instead of rejecting every row that has them.

A column that matches nothing else is kept as given, so the validator still rejects a typo naming it. Airbyte's
metadata columns (`_ab_*`, `_airbyte_*`) and `_zoho_operation` pass through: payload.py and operations.py read
them.

Example, for Leads read back from PyAirbyte's cache::

    {"last_name": "Chen", "email": "c@x.co", "created_time": "...", "_se_module": None, "_airbyte_raw_id": "r1"}
    -> {"Last_Name": "Chen", "Email": "c@x.co", "_airbyte_raw_id": "r1"}
    skipped: created_time (read-only in Zoho), _se_module (a system column, not a Zoho field)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from destination_zoho_crm.operations import OPERATION_COLUMN
from destination_zoho_crm.payload import CONVERT_KEYS, ID, METADATA_PREFIXES, NOTE_PARENT_COLUMNS
from zoho_crm_client.models import FieldMeta

READ_ONLY = "read-only in Zoho"
SYSTEM = "a system column, not a Zoho field"
SYSTEM_PREFIXES = ("$", "_")  # Zoho's API names start with a letter (docs/zoho-api/security.md)


def normalized(name: str) -> str:
    """The name as PyAirbyte's LowerCaseNormalizer writes it: lower case, every other character `_`."""
    return re.sub(r"[^a-z0-9]", "_", name.lower())


class ColumnMap:
    """The decision for each column name, made once per stream and name (a sync repeats the same columns)."""

    def __init__(self, fields: Iterable[FieldMeta], special: Iterable[str] = ()):
        self._fields = {normalized(f.api_name): f for f in fields}
        self._special = {normalized(name): name for name in (ID, *CONVERT_KEYS, *special)}
        self._plan: dict[str, str | None] = {}
        self.skipped: dict[str, str] = {}  # column -> why it is not written, in the order first seen
        self._told = 0

    def apply(self, record: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in record.items():
            target = self._plan[key] if key in self._plan else self._decide(key)
            if target is not None:
                out[target] = value
        return out

    def news(self) -> list[tuple[str, str]]:
        """(column, reason) of the columns left out since the last call: the log line says each once."""
        fresh = list(self.skipped.items())[self._told:]
        self._told = len(self.skipped)
        return fresh

    def _decide(self, key: str) -> str | None:
        target = self._target(key)
        self._plan[key] = target
        return target

    def _target(self, key: str) -> str | None:
        if key == OPERATION_COLUMN or key.startswith(METADATA_PREFIXES) or key in self._special.values():
            return key
        name = normalized(key)
        if name in self._special:
            return self._special[name]
        meta = self._fields.get(name)
        if meta is not None:
            if meta.creatable or meta.updatable:
                return meta.api_name
            self.skipped[key] = READ_ONLY
            return None
        if key.startswith(SYSTEM_PREFIXES):
            self.skipped[key] = SYSTEM
            return None
        return key


def note_special(module: str) -> tuple[str, ...]:
    """The columns payload.py reads for a note's parent, kept as they are on the Notes module."""
    return NOTE_PARENT_COLUMNS if module == "Notes" else ()
