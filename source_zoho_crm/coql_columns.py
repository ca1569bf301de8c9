"""The select list and module of a user's COQL query, so a COQL stream gets a schema (zoho-crm-api.md section 7).

Only what the schema needs is parsed: the columns between SELECT and FROM (with `as` aliases and
aggregates) and the module after FROM. Zoho itself validates the query when it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SELECT = re.compile(r"^\s*select\s+(?P<columns>.+?)\s+from\s+(?P<module>[A-Za-z0-9_]+)\b", re.IGNORECASE | re.DOTALL)
_ALIAS = re.compile(r"^(?P<expr>.+?)\s+as\s+(?P<alias>[A-Za-z0-9_.']+)$", re.IGNORECASE | re.DOTALL)
_AGGREGATE = re.compile(r"^(count|sum|avg|min|max)\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    """One selected column: `key` is how it appears in a result row, `field` the module field it reads."""

    key: str
    field: str | None  # None for dotted (related-module) columns and aggregates
    aggregate: bool = False


@dataclass(frozen=True)
class SelectList:
    module: str
    columns: tuple[Column, ...]


def parse_select(query: str) -> SelectList:
    """`select Last_Name, Account_Name.Account_Name, COUNT(id) as n from Contacts where ...`.

    Raises ValueError when the query has no `select ... from <Module>`.
    """
    match = _SELECT.match(query)
    if not match:
        raise ValueError("the query must read `select <columns> from <Module> where ...`")
    columns = tuple(_column(part.strip()) for part in _split_top_level(match.group("columns")) if part.strip())
    return SelectList(module=match.group("module"), columns=columns)


def _column(text: str) -> Column:
    alias = None
    match = _ALIAS.match(text)
    if match:
        text, alias = match.group("expr").strip(), match.group("alias").strip("'")
    if _AGGREGATE.match(text):
        return Column(key=alias or text, field=None, aggregate=True)
    name = text.strip("'")
    return Column(key=alias or name, field=None if "." in name else name)


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses and quotes (aggregates may hold commas in the future)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        elif not quoted and depth == 0 and char == ",":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
