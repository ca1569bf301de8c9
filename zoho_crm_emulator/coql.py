"""COQL: `POST /crm/{v}/coql` (docs/zoho-api.md section 7): a tokenizer, a strict parser, a binder and a runner.

The parser only knows the grammar; `Binder` checks it against the module (columns, operators per type,
limits) into a `BoundQuery` with one predicate for the WHERE clause; `run` filters, orders, pages and
serialises, and returns a `CoqlResult` (handlers_queries.py makes the HTTP answer). A refused query raises an
`exceptions.QueryError`.

Keyset paging (`where ((Modified_Time > 'T') or ((Modified_Time = 'T') and (id > 'I'))) order by
Modified_Time asc, id asc limit 2000`) reads the Modified_Time index from 'T' and stops after its page
(coql_index.py); other queries are one scan plus a bounded heap, not a full sort.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from zoho_crm_emulator import coql_index, criteria, exceptions, subforms
from zoho_crm_emulator.criteria import Column, Predicate, Record
from zoho_crm_emulator.exceptions import (
    ZohoError,
    invalid_column,
    invalid_operator,
    invalid_value,
    unsupported_type,
)

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.models import Module, Org

# Section 7 limits: v8 (and v7) numbers, then the older ones that v2 still enforces.
LIMITS = {
    "v8": {"per_call": 2000, "total": 100_000, "in_values": 100},
    "v2": {"per_call": 200, "total": 10_000, "in_values": 50},
}
DEFAULT_LIMIT = 200
MAX_COLUMNS, MAX_CONDITIONS, MAX_ORDER_BY, MAX_GROUP_BY, MAX_AGGREGATES, MAX_HOPS = 50, 25, 10, 4, 5, 2
AGGREGATES = ("COUNT", "SUM", "AVG", "MIN", "MAX")
RESERVED = frozenset({"select", "from", "where", "and", "or", "not", "in", "like", "between", "is", "null",
                      "order", "group", "by", "limit", "offset", "asc", "desc", "as"})
OPERATORS = {"=": "eq", "!=": "ne", "<>": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
_ALL_COMPARISONS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "between", "not_between", "in", "not_in",
                              "is_null", "not_null"})
_TEXT_OPS = frozenset({"eq", "ne", "like", "not_like", "in", "not_in", "is_null", "not_null"})
ALLOWED_OPS: dict[str, frozenset[str]] = {
    "text": _TEXT_OPS, "picklist": _TEXT_OPS, "multiselect": _TEXT_OPS,
    **dict.fromkeys(("lookup", "owner"), frozenset({"eq", "ne", "in", "not_in", "is_null", "not_null"})),
    **dict.fromkeys(("number", "date", "datetime", "id"), _ALL_COMPARISONS),
    "boolean": frozenset({"eq"}),
}
SELECT_NOT_SUPPORTED = frozenset({"multiselectlookup", "multiuserlookup", "subform"})


def _unexpected(token: Token) -> ZohoError:
    return exceptions.unexpected_token(token.line, token.column, token.text)


# --- tokens -------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<num>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<op>!=|<>|>=|<=|=|>|<)
  | (?P<punct>[(),*])
  | (?P<word>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str  # str | num | op | punct | word | end
    text: str
    line: int
    column: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words

    @property
    def value(self) -> Any:
        """The literal a str/num token stands for (quotes removed; a doubled quote inside is one quote)."""
        if self.kind == "str":
            return self.text[1:-1].replace("''", "'")
        return int(self.text) if re.fullmatch(r"-?\d+", self.text) else float(self.text)


def tokenize(query: str) -> list[Token]:
    tokens, pos, line, line_start = [], 0, 1, 0
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        column = pos - line_start + 1
        if not match:
            raise _unexpected(Token("bad", query[pos:pos + 10], line, column))
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup or "", match.group(), line, column))
        line += match.group().count("\n")
        if "\n" in match.group():
            line_start = match.start() + match.group().rindex("\n") + 1
        pos = match.end()
    tokens.append(Token("end", "", line, pos - line_start + 1))
    return tokens


# --- syntax tree and parser -----------------------------------------------------------------------------------

@dataclass
class SelectItem:
    column: str
    aggregate: str | None = None
    alias: str | None = None

    @property
    def name(self) -> str:
        """The output key: the alias, `COUNT(Field)` for an aggregate, else the column as written."""
        if self.aggregate:
            return self.alias or f"{self.aggregate}({self.column})"
        return self.column


@dataclass
class Condition:
    column: str
    op: str  # eq ne gt ge lt le between not_between in not_in like not_like is_null not_null
    values: list[Any]
    operator_text: str


@dataclass
class BoolOp:
    joiner: str  # and | or
    left: Condition | BoolOp
    right: Condition | BoolOp


@dataclass
class Query:
    items: list[SelectItem]
    module: str
    where: Condition | BoolOp
    group_by: list[str] = field(default_factory=list)
    order_by: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    limit: int = DEFAULT_LIMIT
    offset: int = 0


class Parser:
    """The grammar of section 7; keywords are case-insensitive; more than two conditions need paired brackets."""

    def __init__(self, query: str):
        self.tokens, self.i = tokenize(query), 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect_word(self, *words: str) -> Token:
        if not self.tok.is_word(*words):
            raise _unexpected(self.tok)
        return self.take()

    def expect(self, text: str) -> Token:
        if self.tok.text != text or self.tok.kind not in ("punct", "op"):
            raise _unexpected(self.tok)
        return self.take()

    def parse(self) -> Query:
        if not self.tok.is_word("select"):
            raise exceptions.syntax_error("given coql query not supported")
        self.take()
        items = self._list(self._select_item)
        self.expect_word("from")
        module = self._name()
        if not self.tok.is_word("where"):
            if self.tok.kind == "end" or self.tok.is_word("group", "order", "limit"):
                raise exceptions.syntax_error("missing clause", clause="where")
            raise _unexpected(self.tok)
        self.take()
        query = Query(items, module, self._criteria())
        self._tail(query)
        if self.tok.kind != "end":
            raise _unexpected(self.tok)
        return query

    def _list(self, item: Any) -> list[Any]:
        items = [item()]
        while self.tok.text == "," and self.tok.kind == "punct":
            self.take()
            items.append(item())
        return items

    def _name(self) -> str:
        """A column or module: a word that is not a keyword, or a quoted name (reserved words must be quoted)."""
        token = self.tok
        if token.kind == "str":
            return self.take().value
        if token.kind != "word" or token.text.lower() in RESERVED:
            raise _unexpected(token)
        return self.take().text

    def _select_item(self) -> SelectItem:
        token = self.tok
        if token.kind == "word" and token.text.upper() in AGGREGATES and self.tokens[self.i + 1].text == "(":
            self.i += 2
            column = self.take().text if self.tok.text == "*" and token.text.upper() == "COUNT" else self._name()
            self.expect(")")
            alias = None
            if self.tok.is_word("as"):
                self.take()
                alias = self._alias()
            return SelectItem(column, token.text.upper(), alias)
        return SelectItem(self._name())

    def _alias(self) -> str:
        token = self.take()
        if token.kind != "word" or "." in token.text or token.text.lower() in RESERVED:
            raise exceptions.invalid_alias(token.text)
        return token.text

    def _criteria(self) -> Condition | BoolOp:
        """criteria := operand [(and|or) operand]: a third condition needs its own brackets (section 7)."""
        left = self._operand()
        if not self.tok.is_word("and", "or"):
            return left
        joiner = self.take().text.lower()
        return BoolOp(joiner, left, self._operand())

    def _operand(self) -> Condition | BoolOp:
        if self.tok.text == "(" and self.tok.kind == "punct":
            self.take()
            inner = self._criteria()
            self.expect(")")
            return inner
        return self._condition()

    def _condition(self) -> Condition:
        column = self._name()
        token = self.tok
        if token.kind == "op":
            self.take()
            return Condition(column, OPERATORS[token.text], [self._value()], token.text)
        negated = token.is_word("not")
        if negated:
            self.take()
        keyword = self.expect_word("in", "like", "between", "is").text.lower()
        text = f"not {keyword}" if negated else keyword
        if keyword == "is":
            null_negated = bool(self.tok.is_word("not") and self.take())
            self.expect_word("null")
            return Condition(column, "not_null" if null_negated else "is_null", [], "is not null" if null_negated
                             else "is null")
        prefix = "not_" if negated else ""
        if keyword == "like":
            return Condition(column, prefix + "like", [self._value()], text)
        if keyword == "between":
            low = self._value()
            self.expect_word("and")
            return Condition(column, prefix + "between", [low, self._value()], text)
        self.expect("(")
        values = self._list(self._value)
        self.expect(")")
        return Condition(column, prefix + "in", values, text)

    def _value(self) -> Any:
        token = self.take()
        if token.kind in ("str", "num"):
            return token.value
        if token.is_word("true", "false"):
            return token.text.lower() == "true"
        raise _unexpected(token)

    def _tail(self, query: Query) -> None:
        if self.tok.is_word("group"):
            self.take()
            self.expect_word("by")
            query.group_by = self._list(self._name)
        if self.tok.is_word("order"):
            self.take()
            self.expect_word("by")
            query.order_by = self._list(self._order_item)
        if self.tok.is_word("limit"):
            self.take()
            self._limit(query)

    def _order_item(self) -> tuple[str, bool]:
        name = self._name()
        if self.tok.is_word("asc", "desc"):
            return name, self.take().text.lower() == "desc"
        return name, False

    def _limit(self, query: Query) -> None:
        """`limit n [offset m]` or `limit m, n`."""
        first = self._count("limit")
        if self.tok.text == "," and self.tok.kind == "punct":
            self.take()
            query.offset, query.limit = first, self._count("limit")
        else:
            query.limit = first
            if self.tok.is_word("offset"):
                self.take()
                query.offset = self._count("offset")
        if query.limit == 0:
            raise exceptions.invalid_data("limit should be greater than 0")

    def _count(self, clause: str) -> int:
        token = self.take()
        if token.kind != "num" or not token.text.isdigit():
            raise exceptions.invalid_query(f"{clause} given seems to be invalid", **{clause: token.text})
        return int(token.text)


# --- binding: the query against the module's metadata ------------------------------------------------------

@dataclass
class BoundQuery:
    module: Module
    table: criteria.Table
    outputs: list[tuple[str, Column]]  # plain select columns, by output key
    aggregates: list[tuple[SelectItem, Column | None]]  # None: COUNT(*)
    group_by: list[Column]
    order_by: list[tuple[str, Column | None, bool]]  # (name, column or None for an aggregate output, desc)
    predicate: Predicate
    limit: int
    offset: int

    @property
    def aggregated(self) -> bool:
        return bool(self.aggregates or self.group_by)


class Binder:
    """Resolves every column against the module and enforces the per-type operators and the limits of section 7."""

    def __init__(self, org: Org, version: str):
        self.org, self.limits, self.conditions = org, LIMITS["v2" if version.startswith("v2") else "v8"], 0
        self.module: Module | None = None

    def bind(self, query: Query) -> BoundQuery:
        try:
            # COQL reads a subform by its module's name (docs/zoho-api/subforms.md S3); the view is duck-typed as
            # a module: criteria.Table reads only its field, live_records and get
            sub = subforms.lookup(self.org, query.module)
            self.module = cast("Module", sub) if sub is not None else self.org.module(query.module)
        except ZohoError as exc:
            if exc.code != "INVALID_MODULE":
                raise
            raise exceptions.coql_module_not_supported() from None
        self._check_sizes(query)
        outputs, aggregates = self._select(query.items)
        group_by = [self.column(name) for name in query.group_by]
        bound = BoundQuery(self.module, criteria.table_of(self.module), outputs, aggregates, group_by, [],
                           self.predicate(query.where), query.limit, query.offset)
        if bound.aggregated:
            self._check_grouping(query, bound)
        bound.order_by = [self._order_column(bound, name, desc) for name, desc in query.order_by]
        return bound

    def _check_sizes(self, query: Query) -> None:
        aggregates = sum(1 for item in query.items if item.aggregate)
        checks = [(len(query.items) > MAX_COLUMNS, f"maximum of {MAX_COLUMNS} columns can be selected"),
                  (aggregates > MAX_AGGREGATES, f"maximum of {MAX_AGGREGATES} aggregate functions allowed"),
                  (len(query.order_by) > MAX_ORDER_BY, f"maximum of {MAX_ORDER_BY} order by columns allowed"),
                  (len(query.group_by) > MAX_GROUP_BY, f"maximum of {MAX_GROUP_BY} group by columns allowed"),
                  (query.limit > self.limits["per_call"], f"limit exceeds {self.limits['per_call']}"),
                  (query.offset + query.limit > self.limits["total"],
                   f"offset and limit together exceed {self.limits['total']}")]
        for failed, message in checks:
            if failed:
                raise exceptions.query_limit_exceeded(message)

    def column(self, name: str) -> Column:
        assert self.module is not None  # bind() sets it from FROM before any column is resolved
        if name.count(".") > MAX_HOPS:
            raise exceptions.query_limit_exceeded(f"maximum of {MAX_HOPS} relations can be joined")
        column = criteria.resolve_column(self.org, self.module, name)
        if column is None:
            raise invalid_column(name)
        return column

    def _select(self, items: list[SelectItem]) -> tuple[list[tuple[str, Column]], list[tuple[SelectItem, Any]]]:
        outputs, aggregates, seen = [], [], set()
        for item in items:
            if item.name in seen:
                raise exceptions.duplicate_alias(item.name) if item.alias else exceptions.duplicate_column(item.name)
            seen.add(item.name)
            if item.aggregate:
                aggregates.append((item, self._aggregate_column(item)))
                continue
            column = self.column(item.column)
            if column.field.get("data_type") in SELECT_NOT_SUPPORTED:
                raise unsupported_type(item.column, column.field["data_type"])
            outputs.append((item.column, column))
        return outputs, aggregates

    def _aggregate_column(self, item: SelectItem) -> Column | None:
        if item.column == "*":
            return None
        column = self.column(item.column)
        numeric = {"number"} if item.aggregate in ("SUM", "AVG") else {"number", "date", "datetime", "id"}
        if item.aggregate != "COUNT" and column.kind not in numeric:
            raise unsupported_type(item.column, column.field.get("data_type", ""))
        return column

    def _check_grouping(self, query: Query, bound: BoundQuery) -> None:
        grouped = set(query.group_by)
        for name, _ in bound.outputs:
            if name not in grouped:
                raise exceptions.not_grouped(name)

    def _order_column(self, bound: BoundQuery, name: str, desc: bool) -> tuple[str, Column | None, bool]:
        if bound.aggregated:
            names = {item.name for item, _ in bound.aggregates}
            if name in names:
                return name, None, desc
            if name not in {c.name for c in bound.group_by}:
                raise invalid_column(name)
        return name, self.column(name), desc

    def predicate(self, node: Condition | BoolOp) -> Predicate:
        if isinstance(node, BoolOp):
            left, right = self.predicate(node.left), self.predicate(node.right)
            if node.joiner == "and":
                return lambda r: left(r) and right(r)
            return lambda r: left(r) or right(r)
        return self._condition(node)

    def _condition(self, cond: Condition) -> Predicate:
        self.conditions += 1
        if self.conditions > MAX_CONDITIONS:
            raise exceptions.query_limit_exceeded(f"maximum of {MAX_CONDITIONS} criteria allowed")
        column = self.column(cond.column)
        data_type = column.field.get("data_type", "")
        if column.kind not in ALLOWED_OPS:  # multi-line text, multi-select lookups, files, subforms
            raise unsupported_type(cond.column, data_type)
        if cond.op not in ALLOWED_OPS[column.kind]:
            raise invalid_operator(cond.column, cond.operator_text)
        if cond.op in ("in", "not_in") and len(cond.values) > self.limits["in_values"]:
            raise exceptions.query_limit_exceeded(f"maximum of {self.limits['in_values']} values allowed in the in operator")
        op, values = cond.op, cond.values
        if op in ("like", "not_like"):
            op, values = _like(cond, data_type)
        try:
            keys = [criteria.literal(column.kind, v, self.org.tz) for v in values]
        except ValueError:
            raise invalid_value(cond.column, data_type) from None
        operand = frozenset(keys) if op in ("in", "not_in") else tuple(keys) if "between" in op else (
            keys[0] if keys else None)
        return criteria.compare_column(column, op, operand)


def _like(cond: Condition, data_type: str) -> tuple[str, list[Any]]:
    """`like` takes only '%x', 'x%' and '%x%'; `not like` only '%x%' (section 7)."""
    match = re.fullmatch(r"(%?)([^%]+)(%?)", str(cond.values[0]))
    if not match or not (match.group(1) or match.group(3)):
        raise invalid_value(cond.column, data_type)
    lead, text, trail = match.groups()
    if cond.op == "not_like":
        if not (lead and trail):
            raise invalid_value(cond.column, data_type)
        return "not_contains", [text]
    return ("contains" if lead and trail else "ends_with" if lead else "starts_with"), [text]


# --- running -----------------------------------------------------------------------------------------------------

@functools.total_ordering
class _Null:
    """Sorts before every value: nulls first ascending, last descending (as MySQL), without wrapping keys."""

    def __lt__(self, other: object) -> bool:
        return other is not self

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return 0


NULL = _Null()


def _nullable_key(column: Column) -> Any:
    """record -> orderable key; lookups order by name, multi-selects by their items; NULL for null."""
    if column.kind not in ("lookup", "owner", "multiselect"):
        return column.key(NULL)
    get, kind = column.get, column.kind
    return lambda r: criteria.sort_value(kind, v) if (v := get(r)) else NULL


def _record_key(columns: list[Column]) -> Any:
    """ORDER BY columns (the last one always `id`) -> one key function, built for a bounded heap."""
    keys = [_nullable_key(c) for c in columns]
    if len(keys) == 1:
        return keys[0]
    if len(keys) == 2:
        first, second = keys
        return lambda r: (first(r), second(r))
    return lambda r: tuple(k(r) for k in keys)


def _page_of_records(bound: BoundQuery, records: list[Record]) -> list[Record]:
    """The rows offset..offset+limit in ORDER BY order (default id asc; id breaks ties), via a bounded heap."""
    order = [(c, desc) for _, c, desc in bound.order_by if c is not None]
    if not order or order[-1][0].name != "id":
        id_column = Column("id", criteria.ID_FIELD, "id", bound.table.reader("id"), bound.table)
        order.append((id_column, order[-1][1] if order and len({d for _, d in order}) == 1 else False))
    end = bound.offset + bound.limit
    directions = {desc for _, desc in order}
    if len(directions) == 1:
        pick = heapq.nlargest if directions.pop() else heapq.nsmallest
        return pick(end, records, key=_record_key([c for c, _ in order]))[bound.offset:]
    chosen = list(records)
    for column, desc in reversed(order):
        chosen.sort(key=_nullable_key(column), reverse=desc)
    return chosen[bound.offset:end]


def serialise(column: Column, value: Any, version: str) -> Any:
    """Lookups as {"name", "id"} (users named by last name), or {"id"} only in v2 (section 7)."""
    if column.kind not in ("lookup", "owner") or not isinstance(value, dict):
        return value
    if version.startswith("v2"):
        return {"id": value.get("id")}
    name = value.get("name")
    if column.kind == "owner" and name:
        name = name.rsplit(" ", 1)[-1]
    return {"name": name, "id": value.get("id")}


def _serialiser(column: Column, version: str) -> Callable[[Record], Any]:
    return lambda r: serialise(column, column.get(r), version)


def _projector(bound: BoundQuery, version: str) -> Callable[[Record], Record]:
    """record -> output row; worked out once per call, so plain columns cost one read per row (issue 8)."""
    getters = [(name, column.get if column.kind not in ("lookup", "owner") else _serialiser(column, version))
               for name, column in bound.outputs]
    record_id = bound.table.record_id

    def project(record: Record) -> Record:
        out = {name: get(record) for name, get in getters}
        out["id"] = record_id(record)
        return out

    return project


def _aggregate_rows(bound: BoundQuery, records: list[Record], version: str) -> list[Record]:
    groups: dict[tuple, list[Record]] = {}
    keys = [c.key() for c in bound.group_by]  # lookups group by id, multi-selects by their item set
    for record in records:
        groups.setdefault(tuple(k(record) for k in keys), []).append(record)
    if not bound.group_by and not groups:
        groups[()] = []  # an aggregate over no rows is still one row (COUNT = 0)
    rows: list[tuple[dict[str, Any], Record]] = []
    for members in groups.values():
        sortable = {c.name: _nullable_key(c)(members[0]) for c in bound.group_by}
        out = {name: serialise(c, c.get(members[0]), version) for name, c in bound.outputs}
        for item, column in bound.aggregates:
            out[item.name] = _aggregate(item.aggregate or "", column, members)
            sortable[item.name] = NULL if out[item.name] is None else out[item.name]
        rows.append((sortable, out))
    order = [(name, desc) for name, _, desc in bound.order_by] or [(c.name, False) for c in bound.group_by]
    for name, desc in reversed(order):
        def by_name(row: tuple[dict[str, Any], Record], n: str = name) -> Any:
            return row[0][n]
        rows.sort(key=by_name, reverse=desc)
    return [out for _, out in rows]


def _aggregate(function: str, column: Column | None, members: list[Record]) -> Any:
    if column is None:
        return len(members)
    key = column.key()
    present = [(k, r) for r in members if (k := key(r)) is not None]
    if function == "COUNT":
        return len(present)
    if not present:
        return None
    if function == "SUM":
        return sum(k for k, _ in present)
    if function == "AVG":
        return sum(k for k, _ in present) / len(present)
    pick = min if function == "MIN" else max
    return column.get(pick(present, key=lambda pair: pair[0])[1])


def _all_matches(bound: BoundQuery, matched: list[Record], version: str) -> tuple[list[Record], bool]:
    """The page out of every matching row, and whether more rows follow it."""
    if bound.aggregated:
        rows = _aggregate_rows(bound, matched, version)
        return rows[bound.offset:bound.offset + bound.limit], len(rows) > bound.offset + bound.limit
    project = _projector(bound, version)
    page = [project(r) for r in _page_of_records(bound, matched)]
    return page, len(matched) > bound.offset + bound.limit


def _first_matches(bound: BoundQuery, ordered: Iterable[Record], version: str) -> tuple[list[Record], bool]:
    """The page out of rows already in ORDER BY order: stop at the first match past it (coql_index.py)."""
    picked: list[Record] = []
    end, project = bound.offset + bound.limit, _projector(bound, version)
    for row in ordered:
        if bound.predicate(row):
            if len(picked) == end:
                return [project(r) for r in picked[bound.offset:]], True
            picked.append(row)
    return [project(r) for r in picked[bound.offset:]], False


@dataclass(frozen=True)
class CoqlResult:
    """The rows of one COQL page in their API shape, whether more follow, and the selected columns' fields."""

    rows: list[Record]
    more_records: bool
    fields: dict[str, dict[str, Any]]  # output name -> field metadata, for `include_meta: ["fields"]`


def run(org: Org, select_query: str, version: str) -> CoqlResult:
    """Parse, bind and run one SELECT (section 7); raises exceptions.QueryError for a query Zoho refuses."""
    query = Parser(select_query).parse()
    # No org lock held while filtering: rows are taken under it (a snapshot, or index chunks), and rows are
    # replaced, never mutated.
    bound = Binder(org, version).bind(query)
    selection = coql_index.select(bound, query.where, org.tz)
    if selection is not None and selection.ordered:
        rows, more = _first_matches(bound, selection.rows, version)
    else:
        candidates = bound.table.records() if selection is None else selection.rows
        rows, more = _all_matches(bound, [r for r in candidates if bound.predicate(r)], version)
    return CoqlResult(rows, more, {name: column.field for name, column in bound.outputs})
