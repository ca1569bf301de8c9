"""Typed comparisons shared by search, COQL and Bulk Read, and the search engine (docs/zoho-api.md section 4).

`search` returns a `SearchPage` or raises `exceptions.QueryError`; handlers_queries.py makes the HTTP answer.

Every query surface compares a record's API value with a literal through one *kind* per Zoho data type:
datetimes compare as instants (offsets parsed), ids and lookups compare as integers (19-digit ids never go
through a float), text compares case-insensitively. Null and empty values never satisfy a comparison
(SQL semantics); only the null tests match them.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import exceptions, timeutil
from zoho_crm_emulator.exceptions import invalid_search

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.models import Module, Org

Record = dict[str, Any]
Predicate = Callable[[Record], bool]

KIND_BY_TYPE = {
    **dict.fromkeys(("text", "email", "phone", "website", "autonumber", "profileimage", "mediumtext"), "text"),
    "textarea": "textarea", "picklist": "picklist", "multiselectpicklist": "multiselect",
    **dict.fromkeys(("integer", "bigint", "double", "decimal", "currency", "percent"), "number"),
    "boolean": "boolean", "date": "date", "datetime": "datetime", "lookup": "lookup",
    "ownerlookup": "owner", "userlookup": "owner",
}
ID_FIELD: dict[str, Any] = {"api_name": "id", "data_type": "bigint", "json_type": "string"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"^\d{1,19}$")
_INSTANTS: dict[str, int] = {}


def kind_of(field: dict[str, Any]) -> str:
    """The comparison kind of a field (formulas compare as their return type); `unsupported` if none."""
    if field is ID_FIELD or field.get("api_name") == "id":
        return "id"
    data_type = field.get("data_type", "")
    if data_type == "formula":
        data_type = (field.get("formula") or {}).get("return_type", "")
    return KIND_BY_TYPE.get(data_type, "unsupported")


def instant(text: str) -> int:
    """A record's ISO-8601 datetime (always with an offset, section 0) -> epoch seconds, memoised per text."""
    epoch = _INSTANTS.get(text)
    if epoch is None:
        if len(_INSTANTS) > 1_000_000:
            _INSTANTS.clear()
        epoch = _INSTANTS[text] = int(datetime.fromisoformat(text).timestamp())
    return epoch


def _text_key(v: Any) -> Any:
    return v.casefold() if isinstance(v, str) and v else None


def _number_key(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return v
    try:  # bigint may be served as a string (section 2.2)
        return int(v)
    except (TypeError, ValueError):
        return None


def _ref_key(v: Any) -> Any:
    return int(v["id"]) if isinstance(v, dict) and v.get("id") else None


VALUE_KEYS: dict[str, Callable[[Any], Any]] = {
    "text": _text_key, "textarea": _text_key, "picklist": _text_key, "number": _number_key,
    "boolean": lambda v: v if isinstance(v, bool) else None,
    "date": lambda v: v if isinstance(v, str) and v else None,
    "datetime": lambda v: instant(v) if isinstance(v, str) and v else None,
    "lookup": _ref_key, "owner": _ref_key,
    "id": lambda v: int(v) if v else None,
    "multiselect": lambda v: frozenset(x.casefold() for x in v) if v else None,
}


def sort_value(kind: str, v: Any) -> Any:
    """An orderable stand-in for a non-null value: lookups sort by name, multi-selects by their items."""
    if kind in ("lookup", "owner"):
        return (v.get("name") or "").casefold()
    if kind == "multiselect":
        return tuple(sorted(x.casefold() for x in v))
    return VALUE_KEYS[kind](v)


def literal(kind: str, value: Any, tz: tzinfo) -> Any:
    """A query literal -> the comparable key of `kind`; ValueError when it cannot be a value of that kind."""
    if value is None or isinstance(value, (dict, list)) or (isinstance(value, bool) and kind != "boolean"):
        raise ValueError("not a scalar of that kind")
    parse = _LITERALS.get(kind)
    if parse is None:
        raise ValueError(f"{kind} values cannot be compared")
    return parse(value, tz)


def _boolean_literal(value: Any, tz: tzinfo) -> bool:
    text = str(value).lower()
    if text not in ("true", "false"):
        raise ValueError("not a boolean")
    return text == "true"


def _number_literal(value: Any, tz: tzinfo) -> int | float:
    if isinstance(value, (int, float)):
        return value
    if not re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        raise ValueError("not a number")
    return int(value) if re.fullmatch(r"-?\d+", str(value)) else float(value)


def _date_literal(value: Any, tz: tzinfo) -> str:
    if not _DATE.match(str(value)):
        raise ValueError("not a date")
    datetime.strptime(str(value), "%Y-%m-%d")  # a real calendar day
    return str(value)


def _id_literal(value: Any, tz: tzinfo) -> int:
    if not _DIGITS.match(str(value)):
        raise ValueError("not an id")
    return int(value)


def _datetime_literal(value: Any, tz: tzinfo) -> int:
    text = str(value)
    if "T" not in text or "." in text:  # section 12.1: datetime criteria carry no millis
        raise ValueError("not a datetime")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:  # no offset: the API user's zone
        moment = moment.replace(tzinfo=tz)
    return int(moment.timestamp())


_LITERALS: dict[str, Callable[[Any, tzinfo], Any]] = {
    **dict.fromkeys(("text", "textarea", "picklist", "multiselect"), lambda v, tz: str(v).casefold()),
    "number": _number_literal, "boolean": _boolean_literal, "date": _date_literal,
    "datetime": _datetime_literal, **dict.fromkeys(("lookup", "owner", "id"), _id_literal),
}


def compare(key: Callable[[Record], Any], op: str, operand: Any, kind: str) -> Predicate:
    """The predicate `key(record) <op> operand`; `operand` is a literal key, a (low, high) pair or a set."""
    if kind == "multiselect":
        return _compare_multi(key, op, operand)
    if op == "eq":
        return lambda r: key(r) == operand
    if op == "ne":
        return lambda r: (x := key(r)) is not None and x != operand
    if op in _ORDERING:
        test = _ORDERING[op]
        return lambda r: (x := key(r)) is not None and test(x, operand)
    if op == "between":
        low, high = operand
        return lambda r: (x := key(r)) is not None and low <= x <= high
    if op == "not_between":
        low, high = operand
        return lambda r: (x := key(r)) is not None and not low <= x <= high
    return _compare_membership(key, op, operand)


_ORDERING: dict[str, Callable[[Any, Any], bool]] = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt,
                                                   "le": operator.le}


def compare_column(column: Column, op: str, operand: Any) -> Predicate:
    """`compare` on a column's key; ordering tests run as C-level operators on plain columns' cheap keys."""
    test = operator.eq if op == "eq" else _ORDERING.get(op)
    if test is None or column.kind == "multiselect":
        return compare(column.key(), op, operand, column.kind)
    key = column.key()
    if op == "eq":
        return lambda r: key(r) == operand
    return lambda r: (x := key(r)) is not None and test(x, operand)


def _compare_membership(key: Callable[[Record], Any], op: str, operand: Any) -> Predicate:
    if op == "in":
        return lambda r: key(r) in operand
    if op == "not_in":
        return lambda r: (x := key(r)) is not None and x not in operand
    if op == "is_null":
        return lambda r: key(r) is None
    if op == "not_null":
        return lambda r: key(r) is not None
    text_tests: dict[str, Callable[[str], bool]] = {
        "starts_with": lambda x: x.startswith(operand), "ends_with": lambda x: x.endswith(operand),
        "contains": lambda x: operand in x, "not_contains": lambda x: operand not in x,
    }
    test = text_tests[op]
    return lambda r: isinstance(x := key(r), str) and test(x)


def _compare_multi(key: Callable[[Record], Any], op: str, operand: Any) -> Predicate:
    """A multi-select picklist matches when one of its items does (`!=`: when none does)."""
    tests: dict[str, Callable[[frozenset], bool]] = {
        "eq": lambda x: operand in x, "ne": lambda x: operand not in x,
        "in": lambda x: bool(x & operand), "not_in": lambda x: not x & operand,
        "starts_with": lambda x: any(i.startswith(operand) for i in x),
        "ends_with": lambda x: any(i.endswith(operand) for i in x),
        "contains": lambda x: any(operand in i for i in x),
        "not_contains": lambda x: not any(operand in i for i in x),
    }
    if op in ("is_null", "not_null"):
        return _compare_membership(key, op, operand)
    test = tests[op]
    return lambda r: (x := key(r)) is not None and test(x)


def all_of(predicates: list[Predicate]) -> Predicate:
    return lambda r: all(p(r) for p in predicates)


def any_of(predicates: list[Predicate]) -> Predicate:
    return lambda r: any(p(r) for p in predicates)


# --- columns, including dotted lookup paths (sections 7 and 12.1) ------------------------------------------

# Users are not a module here: a user lookup carries {"name", "id", "email"}, and its parts derive from that.
_USER_PARTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "id": lambda u: u.get("id"), "name": lambda u: u.get("name"), "full_name": lambda u: u.get("name"),
    "email": lambda u: u.get("email"), "last_name": lambda u: (u.get("name") or "").rsplit(" ", 1)[-1] or None,
    "first_name": lambda u: " ".join((u.get("name") or "").split(" ")[:-1]) or None,
}


class Table:
    """How a query reads one module's live records: here the API dicts of `module.live_records()`."""

    def __init__(self, module: Module):
        self.module = module

    def records(self) -> list[Any]:
        return self.module.live_records()

    def get(self, record_id: str) -> Any:
        return self.module.get(record_id)

    def record_id(self, record: Any) -> str:
        return record["id"]

    def projection(self, names: list[str] | None, version: str) -> Callable[[Any], Record]:
        """record -> the requested fields and `id` (all fields when `names` is None), as get records shows it."""
        if names is None:
            return dict
        return lambda r: {**{n: r.get(n) for n in names}, "id": r["id"]}

    def reader(self, api_name: str) -> Callable[[Any], Any]:
        """record -> the field's API value."""
        return lambda r: r.get(api_name)

    def key(self, api_name: str, kind: str, null: Any) -> Callable[[Any], Any]:
        """record -> comparable key of the field (`null` when empty), in as few calls as possible."""
        if kind == "datetime":
            return _datetime_key(api_name, null)
        if kind in ("text", "picklist"):
            return lambda r: v.casefold() if isinstance(v := r.get(api_name), str) and v else null
        value_key = VALUE_KEYS[kind]
        return lambda r: null if (k := value_key(r.get(api_name))) is None else k


def _datetime_key(api_name: str, null: Any) -> Callable[[Record], Any]:
    cache = _INSTANTS

    def key(record: Record) -> Any:
        text = record.get(api_name)
        if not text:
            return null
        epoch = cache.get(text)
        return instant(text) if epoch is None else epoch

    return key


class RowTable(Table):
    """models.Module's compact rows (lists by column, `id` first, date-times as epoch seconds).

    Rendering every record costs far more than a query's scan (3 s per 100,000 leads), so filtering and
    ordering read the rows directly, and only the rows a caller returns are rendered.
    """

    def records(self) -> list[Any]:
        with self.module.org.lock:
            return list(self.module.rows.values())

    def get(self, record_id: str) -> Any:
        return self.module.rows.get(str(record_id))

    def record_id(self, record: Any) -> str:
        return record[0]

    def projection(self, names: list[str] | None, version: str) -> Callable[[Any], Record]:
        from zoho_crm_emulator.handlers_records import (
            projection,  # one record shape for get records and search
        )

        return projection(self.module, names, version)

    def reader(self, api_name: str) -> Callable[[Any], Any]:
        i, tz = self.module.col[api_name], self.module.org.tz
        if i in self.module.dt_cols:  # formatted the way models.Module.render formats it
            return lambda row: None if (v := row[i]) is None else timeutil.fmt(v, tz)
        return operator.itemgetter(i)

    def key(self, api_name: str, kind: str, null: Any) -> Callable[[Any], Any]:
        i = self.module.col[api_name]
        if kind == "datetime" and i in self.module.dt_cols:
            return lambda row: null if (v := row[i]) is None else v  # already an instant
        if kind == "id":
            return lambda row: int(row[i])
        value_key = VALUE_KEYS[kind]
        return lambda row: null if (k := value_key(row[i])) is None else k


def table_of(module: Module) -> Table:
    compact = all(hasattr(module, name) for name in ("rows", "col", "dt_cols", "render", "list_cols"))
    return RowTable(module) if compact else Table(module)


@dataclass(frozen=True)
class Column:
    """A column of a query: `name` as written, the terminal field's metadata and kind, and how to read it.

    `table` is set for a plain column, whose key its table computes in one call.
    """

    name: str
    field: dict[str, Any]
    kind: str
    get: Callable[[Any], Any]
    table: Table | None = None

    def key(self, null: Any = None) -> Callable[[Any], Any]:
        """record -> comparable key, `null` for a null or empty value."""
        if self.table is not None:
            return self.table.key(self.name, self.kind, null)
        value_key, get = VALUE_KEYS[self.kind], self.get
        return lambda r: null if (k := value_key(get(r))) is None else k


def field_of(module: Module, api_name: str) -> dict[str, Any] | None:
    return ID_FIELD if api_name == "id" else module.field(api_name)


def resolve_column(org: Org, module: Module, path: str, tables: Callable[[Any], Table] | None = None) -> Column | None:
    """`Field`, `Lookup.Field` or `Lookup.Lookup.Field` against `module`; None when a part does not exist."""
    tables = tables or table_of
    first, *rest = path.split(".")
    field, table = field_of(module, first), tables(module)
    if field is None:
        return None
    get = table.reader(first)
    for part in rest:
        kind = kind_of(field)
        if kind == "owner" and part in _USER_PARTS:
            get, field = _user_hop(get, part), ID_FIELD if part == "id" else {"api_name": part, "data_type": "text"}
            continue
        target = _lookup_target(org, field) if kind == "lookup" else None
        field = field_of(target, part) if target is not None else None
        if target is None or field is None:
            return None
        get = _record_hop(get, tables(target), part)
    return Column(path, field, kind_of(field), get, None if rest else table)


def _lookup_target(org: Org, field: dict[str, Any]) -> Module | None:
    target = (field.get("lookup") or {}).get("module")
    name = target.get("api_name") if isinstance(target, dict) else target
    return org.modules.get(name) if name else None


def _record_hop(get: Callable[[Any], Any], target: Table, part: str) -> Callable[[Any], Any]:
    read = target.reader(part)

    def hop(record: Any) -> Any:
        ref = get(record)
        parent = target.get(ref["id"]) if isinstance(ref, dict) and ref.get("id") else None
        return None if parent is None else read(parent)

    return hop


def _user_hop(get: Callable[[Any], Any], part: str) -> Callable[[Any], Any]:
    read = _USER_PARTS[part]

    def hop(record: Any) -> Any:
        user = get(record)
        return read(user) if isinstance(user, dict) else None

    return hop


# --- GET /crm/{v}/{module}/search (section 4) ------------------------------------------------------------

_NUMERIC_OPS = frozenset({"equals", "not_equal", "in", "greater_than", "greater_equal", "less_than", "less_equal",
                          "between"})
SEARCH_OPS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("number", "date", "datetime", "id"), _NUMERIC_OPS),
    "boolean": frozenset({"equals", "not_equal"}),
    "text": frozenset({"equals", "not_equal", "starts_with", "in"}),
    **dict.fromkeys(("picklist", "lookup", "owner"), frozenset({"equals", "not_equal", "in"})),
    "multiselect": frozenset({"equals", "not_equal", "in", "starts_with"}),
    "textarea": frozenset({"equals", "not_equal", "starts_with"}),
}
_OP_NAMES = {"equals": "eq", "not_equal": "ne", "greater_than": "gt", "greater_equal": "ge", "less_than": "lt",
             "less_equal": "le", "starts_with": "starts_with", "in": "in", "between": "between"}
MAX_SEARCH_CONDITIONS = 10
MAX_SEARCH_ROWS = 2000
_WORD = re.compile(r"^[\w .@+'-]{2,}$")


@dataclass(frozen=True)
class SearchPaging:
    """What the search handler read from the request besides the search itself."""

    number: int
    per_page: int
    converted: str  # false, true or both (section 3.1)
    fields: list[str] | None
    version: str


@dataclass(frozen=True)
class SearchPage:
    """One page of a search, newest id first: the records in their API shape, and whether more follow."""

    records: list[Record]
    more_records: bool


def search(org: Org, module: Module, by: dict[str, str], page: SearchPaging) -> SearchPage:
    """Search by one of criteria > email > phone > word (section 4); the records of `page`, newest id first."""
    table = table_of(module)
    matches, converted = _search_predicate(org, table, by), _converted_filter(table, page.converted)
    rows = [r for r in table.records() if converted(r) and matches(r)]
    rows.sort(key=lambda r: int(table.record_id(r)), reverse=True)
    start = (page.number - 1) * page.per_page
    chunk = rows[start:start + page.per_page]
    return SearchPage([*map(table.projection(page.fields, page.version), chunk)], len(rows) > start + len(chunk))


def _converted_filter(table: Table, mode: str) -> Predicate:
    """`converted`: false (default) hides converted leads, true shows only them, both shows all (section 3.1)."""
    if mode == "both" or table.module.field("Converted__s") is None:
        return lambda r: True
    wanted, converted = mode == "true", table.reader("Converted__s")
    return lambda r: bool(converted(r)) is wanted


def _search_predicate(org: Org, table: Table, params: dict[str, str]) -> Predicate:
    if params.get("criteria"):
        return SearchCriteria(org, table).parse(params["criteria"])
    if params.get("email"):
        return _any_field_equals(table, "email", params["email"].casefold())
    if params.get("phone"):
        return _any_field_equals(table, "phone", _digits(params["phone"]))
    word = params["word"].strip()
    if not _WORD.match(word):
        raise exceptions.invalid_data("invalid data", param_name="word")
    readers = [table.reader(f["api_name"]) for f in table.module.fields
               if kind_of(f) in ("text", "textarea", "picklist")]
    needle = word.casefold()
    return lambda r: any(isinstance(v := read(r), str) and needle in v.casefold() for read in readers)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _any_field_equals(table: Table, data_type: str, wanted: str) -> Predicate:
    readers = [table.reader(f["api_name"]) for f in table.module.fields if f.get("data_type") == data_type]
    norm = _digits if data_type == "phone" else str.casefold
    return lambda r: any(isinstance(v := read(r), str) and v and norm(v) == wanted for read in readers)


class SearchCriteria:
    """`((Field:operator:value)and(...))`: conditions in parentheses; `\\` escapes `(`, `)`, `,` and itself."""

    def __init__(self, org: Org, table: Table):
        self.org, self.table, self.module, self.text, self.pos, self.count = org, table, table.module, "", 0, 0

    def parse(self, text: str) -> Predicate:
        self.text, self.pos = text.strip(), 0
        predicate = self._chain()
        if self.pos != len(self.text):
            raise invalid_search("unbalanced parentheses", near=self.text[self.pos:self.pos + 20])
        return predicate

    def _chain(self) -> Predicate:
        parts, joiner = [self._group()], None
        while self.pos < len(self.text) and self.text[self.pos] != ")":
            word = re.match(r"(?i)(and|or)(?=\()", self.text[self.pos:])
            if not word:
                raise invalid_search("expected and/or", near=self.text[self.pos:self.pos + 20])
            if joiner not in (None, word.group(1).lower()):
                raise invalid_search("mixed and/or without parentheses", near=self.text[self.pos:self.pos + 20])
            joiner, self.pos = word.group(1).lower(), self.pos + len(word.group(1))
            parts.append(self._group())
        if len(parts) == 1:
            return parts[0]
        return all_of(parts) if joiner == "and" else any_of(parts)

    def _group(self) -> Predicate:
        self._expect("(")
        predicate = self._chain() if self.text.startswith("(", self.pos) else self._condition(self._condition_text())
        self._expect(")")
        return predicate

    def _expect(self, char: str) -> None:
        if not self.text.startswith(char, self.pos):
            raise invalid_search(f"expected '{char}'", near=self.text[self.pos:self.pos + 20])
        self.pos += 1

    def _condition_text(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] != ")":
            if self.text[self.pos] == "(":
                raise invalid_search("unescaped parenthesis in value", near=self.text[start:self.pos + 1])
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        return self.text[start:self.pos]

    def _condition(self, raw: str) -> Predicate:
        self.count += 1
        if self.count > MAX_SEARCH_CONDITIONS:
            raise exceptions.query_limit_exceeded("criteria limit exceeded", limit=MAX_SEARCH_CONDITIONS,
                                                  param_name="criteria")
        parts = raw.split(":", 2)
        if len(parts) != 3:
            raise invalid_search("condition must be Field:operator:value", near=raw)
        api_name, operator, value = parts[0].strip(), parts[1].strip(), parts[2]
        field = field_of(self.module, api_name)
        if field is None:
            raise invalid_search("invalid field", api_name=api_name)
        kind = kind_of(field)
        allowed = {"equals"} if field.get("crypt") else SEARCH_OPS.get(kind, frozenset())
        if field.get("data_type") == "autonumber":
            allowed = SEARCH_OPS["picklist"]
        if operator not in allowed:
            raise invalid_search("invalid operator found", api_name=api_name, operator=operator)
        return self._predicate(api_name, kind, operator, _split_values(raw, value, operator))

    def _predicate(self, api_name: str, kind: str, operator: str, values: list[str]) -> Predicate:
        read = self.table.reader(api_name)
        if kind in ("lookup", "owner") and not all(_DIGITS.match(v) for v in values):
            column = Column(api_name, {}, "text", lambda r: (read(r) or {}).get("name"))  # a lookup by its name
        else:
            column = Column(api_name, {}, kind, read, self.table)
        try:
            keys = [literal(column.kind, v, self.org.tz) for v in values]
        except ValueError:
            raise invalid_search("invalid value", api_name=api_name, value=",".join(values)) from None
        operand = frozenset(keys) if operator == "in" else (keys[0], keys[1]) if operator == "between" else keys[0]
        return compare_column(column, _OP_NAMES[operator], operand)


def _split_values(raw: str, value: str, operator: str) -> list[str]:
    """Split on unescaped commas (a list only for in/between), dropping the escaping backslashes."""
    values, current, i = [], [], 0
    while i < len(value):
        if value[i] == "\\":
            if i + 1 == len(value):  # a trailing backslash must itself be escaped (section 4)
                raise invalid_search("dangling escape", near=raw)
            current.append(value[i + 1])
            i += 2
            continue
        if value[i] == ",":
            values.append("".join(current))
            current = []
        else:
            current.append(value[i])
        i += 1
    values.append("".join(current))
    expected = {"in": None, "between": 2}.get(operator, 1)
    if expected is not None and len(values) != expected:
        raise invalid_search("wrong number of values", near=raw)
    if operator == "in" and len(values) > 100:
        raise exceptions.query_limit_exceeded("too many values", limit=100, operator="in")
    return values
