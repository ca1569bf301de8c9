"""How `zoho-crm` prints rows: JSON lines (for programs), a table (for a person at a terminal), or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMATS = ("json", "table", "csv")
CELL = 40  # characters of a table cell before it is cut


def write_line(row: Mapping[str, Any], out: TextIO) -> None:
    """One JSON line, flushed: the next command of a pipe can act on it at once."""
    out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    out.flush()


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """JSON lines stream row by row; a table and CSV need every row first, to know every column."""
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        out.flush()
        return
    rows = list(rows)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(row.get(c)) for c in columns] for row in rows)
    else:
        _table(rows, columns, out)
    out.flush()


def _text(value: Any) -> str:
    """A cell: text as is, null empty, anything nested as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _cell(value: Any) -> str:
    if isinstance(value, dict) and "name" in value:  # a lookup: its name reads best at a terminal
        value = value["name"]
    text = " ".join(_text(value).split())
    return text if len(text) <= CELL else text[: CELL - 1] + "…"


def _table(rows: list[dict[str, Any]], columns: list[str], out: TextIO) -> None:
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
