"""Which rows a COQL query has to look at, read from the module's sorted indexes (views.py), so that the keyset
page of section 7 (`where Modified_Time >= 'T' order by Modified_Time, id limit 2000`) costs what it returns
and not a scan of the module (issue 8).

Two shortcuts, both exact because the WHERE predicate is still applied to every row looked at:
- a lower bound on Modified_Time that every matching row must meet (from `>=`, `>`, `=`, `between`, through
  `and` and `or`) narrows the rows to a suffix of the Modified_Time index;
- when the ORDER BY is the order of an index (`Modified_Time asc, id asc`, or `id asc`, the default), rows are
  read in that order in growing chunks and the scan stops once a row past offset + limit has matched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import criteria

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.coql import BoundQuery
    from zoho_crm_emulator.models import Module

CURSOR = "Modified_Time"
_LOWER_BOUND_OPS = frozenset({"ge", "gt", "eq", "between"})


@dataclass
class Selection:
    """The rows to filter; `ordered`: already in ORDER BY order, so the first matches are the page."""

    rows: Iterator[Any] | list[Any]
    ordered: bool


def lower_bound(node: Any, tz: tzinfo) -> int | None:
    """An instant every row matching `node` has reached in Modified_Time, if the clause implies one."""
    if hasattr(node, "joiner"):
        left, right = lower_bound(node.left, tz), lower_bound(node.right, tz)
        if node.joiner == "and":
            return max((b for b in (left, right) if b is not None), default=None)
        return None if left is None or right is None else min(left, right)
    if node.column != CURSOR or node.op not in _LOWER_BOUND_OPS:
        return None
    try:
        return criteria.literal("datetime", node.values[0], tz)
    except ValueError:
        return None


def select(query: BoundQuery, where: Any, tz: tzinfo) -> Selection | None:
    """The rows `query` needs, or None when no index helps (the caller then scans every row)."""
    module = query.module
    if not isinstance(query.table, criteria.RowTable) or not hasattr(module, "index"):
        return None
    bound = lower_bound(where, tz)
    order = None if query.aggregated else _index_order(query)
    if order == CURSOR or (order == "id" and bound is None):
        low = None if bound is None or order == "id" else (bound, "")
        return Selection(_in_order(module, order, low, query.offset + query.limit + 1), True)
    if bound is None:
        return None
    with module.org.lock:  # the index changes in place on writes: copy the suffix under the lock
        window = module.index(CURSOR).window((bound, ""))
        return Selection(window.items[window.start:], False)


def _index_order(query: BoundQuery) -> str | None:
    """The index whose order equals the query's ORDER BY (id breaks ties, as coql._page_of_records does)."""
    order = [(column.name, desc) for _, column, desc in query.order_by if column is not None]
    if any(desc for _, desc in order):
        return None
    names = [name for name, _ in order]
    if names in ([], ["id"]):
        return "id"
    if names in ([CURSOR], [CURSOR, "id"]):
        return CURSOR
    return None


def _in_order(module: Module, sort_by: str, low: Any, first_chunk: int) -> Iterator[Any]:
    """The index's rows from `low` on, taken under the lock in chunks that double, so that a query stopping
    after its page reads about a page, and a selective one still ends in a few chunks."""
    chunk, last = first_chunk, None
    while True:
        with module.org.lock:
            index = module.index(sort_by)
            window = index.window(low)
            if last is None:
                rows, more = window.at(0, chunk, desc=False), chunk < window.size
            else:
                rows, more = window.after(last, chunk, desc=False)
        yield from rows
        if not more or not rows:
            return
        last, chunk = index.key(rows[-1]), chunk * 2
