"""COQL with keyset pagination on (cursor, id) (docs/zoho-api.md section 7).

The user writes `select ... from Module where ...`; this module owns LIMIT and ORDER BY. Worked example, with
cursor Modified_Time, after a page whose last row had Modified_Time T and id I:

    select Last_Name, Modified_Time from Leads
    where ((Lead_Status = 'New') and ((Modified_Time > 'T') or ((Modified_Time = 'T') and (id > 'I'))))
    order by Modified_Time asc, id asc limit 2000

Each page starts strictly after the last row seen, so no OFFSET is needed and the 100,000-row OFFSET ceiling
never applies. Zoho requires every pair of conditions to be parenthesised, hence the nesting. Rows whose
cursor value is null cannot be placed in that order and are not read by a cursor-paged query (`is not null`
is added). Queries with GROUP BY or aggregates have no stable row identity; they are paged by OFFSET instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from zoho_crm_client.dates import format_datetime
from zoho_crm_client.errors import ConfigError, CoqlError
from zoho_crm_client.limits import coql_cost
from zoho_crm_client.models import Page
from zoho_crm_client.paging import RepeatGuard
from zoho_crm_client.transport import Call, Transport

PAGE_LIMIT = 2000  # section 7: max LIMIT per call in v8
_KEYWORDS = re.compile(r"\b(select|from|where|group\s+by|order\s+by|limit|offset)\b", re.IGNORECASE)
_AGGREGATE = re.compile(r"^\s*(count|sum|max|min|avg)\s*\(", re.IGNORECASE)
_ALIAS = re.compile(r"^(.*?)\s+as\s+([\w$.']+)\s*$", re.IGNORECASE | re.DOTALL)
_FORBIDDEN = {"order by": "ORDER BY", "limit": "LIMIT", "offset": "OFFSET"}


@dataclass(frozen=True)
class Column:
    name: str  # the key Zoho uses for it in each row
    expression: str
    path: tuple[str, ...]  # field api names, lookups first ("Account_Name", "Account_Name")
    aggregate: bool = False


@dataclass(frozen=True)
class CoqlQuery:
    columns: tuple[Column, ...]
    module: str
    where: str
    group_by: str | None = None

    @property
    def select_list(self) -> str:
        return ", ".join(c.expression for c in self.columns)

    @property
    def keyset_pageable(self) -> bool:
        return self.group_by is None and not any(c.aggregate for c in self.columns)


def parse_query(text: str) -> CoqlQuery:
    """Split a user's SELECT; refuse what the connector must own (LIMIT, OFFSET, ORDER BY) or Zoho refuses."""
    if ";" in _mask(text):
        # COQL runs one SELECT (docs/zoho-api/hostile.md); a second statement would otherwise be read as
        # clauses of the first and cut away without a word
        raise ConfigError(f"a COQL query is one SELECT statement: remove the ';' and anything after it ({text!r})")
    clauses = _clauses(text)
    if not clauses or clauses[0][0] != "select" or text[: clauses[0][1]].strip():
        raise ConfigError(f"a COQL query must start with SELECT: {text!r}")
    names = [name for name, _start, _end in clauses]
    for name, label in _FORBIDDEN.items():
        if name in names:
            raise ConfigError(f"remove the {label} clause from the COQL query: the connector adds its own to page "
                              f"through every row ({text!r})")
    if "from" not in names:
        raise ConfigError(f"the COQL query has no FROM clause: {text!r}")
    if "where" not in names:
        raise ConfigError(f"Zoho requires a WHERE clause in COQL (section 7); add one, e.g. `where id is not null`: "
                          f"{text!r}")
    parts = {name: text[end: next_start].strip()
             for (name, _s, end), next_start in zip(clauses, [c[1] for c in clauses[1:]] + [len(text)], strict=True)}
    columns = tuple(_column(item) for item in _split_top_level(parts["select"]))
    if any(c.expression.strip() == "*" or c.expression.strip().endswith(".*") for c in columns):
        raise ConfigError(f"COQL needs the columns named: replace '*' with the api names of the fields to read "
                          f"(each column is typed from the module's field metadata) ({text!r})")
    if not columns or not parts["from"] or not parts["where"]:
        raise ConfigError(f"the COQL query needs columns, a module and a condition: {text!r}")
    return CoqlQuery(columns, parts["from"].strip("'\""), parts["where"], parts.get("group by") or None)


def _mask(text: str) -> str:
    """`text` with every quoted literal blanked out, so keywords inside strings are not clauses."""
    return re.sub(r"'(?:\\.|[^'\\])*'", lambda m: "'" + "_" * (len(m.group()) - 2) + "'", text)


def _clauses(text: str) -> list[tuple[str, int, int]]:
    masked = _mask(text)
    found = []
    for match in _KEYWORDS.finditer(masked):
        if masked[: match.start()].count("(") == masked[: match.start()].count(")"):
            found.append((" ".join(match.group(1).lower().split()), match.start(), match.end()))
    return found


def _split_top_level(select: str) -> list[str]:
    items, depth, start, masked = [], 0, 0, _mask(select)
    for i, char in enumerate(masked):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            items.append(select[start:i].strip())
            start = i + 1
    items.append(select[start:].strip())
    return [item for item in items if item]


def _column(item: str) -> Column:
    match = _ALIAS.match(item)
    expression, alias = (match.group(1).strip(), match.group(2).strip("'")) if match else (item, None)
    if _AGGREGATE.match(expression):
        return Column(alias or expression, item, (), aggregate=True)
    bare = expression.strip("'")
    return Column(alias or bare, item, tuple(bare.split(".")))


def literal(value: Any) -> str:
    """A COQL literal: strings and datetimes quoted, a quote inside doubled (`'O''Brien'`).

    Zoho escapes a quote inside a string literal by doubling it, as SQL does (docs/zoho-api.md section 7,
    Kaizen #171 question 3); a backslash is an ordinary character.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        value = format_datetime(value)
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value).replace("'", "''")
    return f"'{text}'"


def build_query(query: CoqlQuery, *, cursor: str | None, since: Any = None, last_value: Any = None,
                last_id: str | None = None, offset: int = 0) -> str:
    """The query text for one page (see the module docstring for the shape)."""
    head = f"select {query.select_list} from {query.module}"
    if not query.keyset_pageable:
        group = f" group by {query.group_by}" if query.group_by else ""
        return f"{head} where {query.where}{group} limit {PAGE_LIMIT} offset {offset}"
    keyset = _keyset(cursor, since, last_value, last_id)
    where = f"(({query.where}) and {keyset})" if keyset else f"({query.where})"
    order = f"{cursor} asc, id asc" if cursor else "id asc"
    return f"{head} where {where} order by {order} limit {PAGE_LIMIT}"


def _keyset(cursor: str | None, since: Any, last_value: Any, last_id: str | None) -> str | None:
    if cursor is None:
        return f"(id > {literal(last_id)})" if last_id else None
    if last_id is not None and last_value is not None:
        after, same = f"({cursor} > {literal(last_value)})", f"({cursor} = {literal(last_value)})"
        return f"({after} or ({same} and (id > {literal(last_id)})))"
    if since is not None:
        return f"({cursor} >= {literal(since)})"
    return f"({cursor} is not null)"


class CoqlReader:
    def __init__(self, transport: Transport):
        self._transport = transport

    def iter_coql(self, select: str, *, cursor_field: str | None = None, since: Any = None,
                  last_id: str | None = None) -> Iterator[Page]:
        """Every row of `select` in (cursor, id) order, from (since, last_id) exclusive when both are given,
        from since inclusive when only it is; one Page per call of up to 2,000 rows."""
        query = parse_query(select)
        last_value = since if last_id is not None else None
        offset, guard = 0, RepeatGuard(f"COQL query on {query.module}")
        while True:
            text = build_query(query, cursor=cursor_field, since=since, last_value=last_value, last_id=last_id,
                               offset=offset)
            rows, more = self._run(text)
            if not rows:
                return
            if offset or more:
                guard.check(rows, f"at offset {offset}")
            last_id = str(rows[-1].get("id")) if rows[-1].get("id") is not None else None
            last_value = rows[-1].get(cursor_field) if cursor_field else None
            yield Page(records=rows, cursor_max=last_value, last_id=last_id, calls=1, more=more,
                       credits=coql_cost(PAGE_LIMIT))
            if not more:
                return
            offset += len(rows)

    def iter_statement(self, text: str) -> Iterator[Page]:
        """A user's query run as written (the `zoho-crm coql` action), every row to the end.

        With LIMIT or OFFSET the user chose the rows: one call, exactly as written. With ORDER BY the user chose
        the order: pages of 2,000 by OFFSET (Zoho's OFFSET ceiling applies). Otherwise the order is Zoho's
        choice, so the keyset paging of `iter_coql` reads past every OFFSET ceiling.
        """
        names = {name for name, _start, _end in _clauses(text)}
        if names & {"limit", "offset"}:
            rows, more = self._run(text, cost=coql_cost(_written_limit(text)))
            if rows:
                yield Page(records=rows, calls=1, more=more, credits=coql_cost(_written_limit(text)))
            return
        if "order by" not in names:
            yield from self.iter_coql(text)
            return
        offset = 0
        while True:
            rows, more = self._run(f"{text.strip()} limit {PAGE_LIMIT} offset {offset}")
            if not rows:
                return
            yield Page(records=rows, calls=1, more=more, credits=coql_cost(PAGE_LIMIT))
            if not more:
                return
            offset += len(rows)

    def _run(self, text: str, cost: int = coql_cost(PAGE_LIMIT)) -> tuple[list[dict[str, Any]], bool]:
        call = Call("POST", "/crm/v8/coql", "POST /crm/v8/coql", json={"select_query": text},
                    cost=cost, heavy=True)
        try:
            body = self._transport.request(call).body
        except CoqlError as exc:
            raise CoqlError(f"Zoho rejected the COQL query: {exc.message.removeprefix('Zoho rejected the query: ')} "
                            f"(query sent: {text})", status=exc.status, code=exc.code,
                            details=exc.details) from None
        if not isinstance(body, dict):
            return [], False  # 204: no rows
        rows = [r for r in body.get("data") or [] if isinstance(r, dict)]
        return rows, bool((body.get("info") or {}).get("more_records"))


def _written_limit(text: str) -> int:
    """The row count of a user's `LIMIT n`, `LIMIT n OFFSET m` or `LIMIT m, n` (200 when absent, Zoho's default)."""
    match = re.search(r"\blimit\s+(\d+)(?:\s*,\s*(\d+))?", _mask(text), re.IGNORECASE)
    if not match:
        return 200
    return int(match.group(2) or match.group(1))
