"""The source-only config keys of design.md ("Source config"); auth and region keys belong to the client.

Every error names the key to fix, because it is shown to the person who filled in the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from source_zoho_crm.dates import require_datetime
from source_zoho_crm.spec import CONNECTION_SPECIFICATION
from zoho_crm_airbyte.spec_check import config_problem
from zoho_crm_client.coql import parse_query
from zoho_crm_client.errors import Fault, ZohoCRMError

# A stream name becomes a table name downstream: keep it to letters, digits and underscores.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


BULK_READ_MODES = ("auto", "always", "never")


class SourceConfigError(ValueError):
    """A config value the source cannot use; the message names the key."""

    fault = Fault.USER_CONFIG


def check_against_spec(config: dict[str, Any]) -> None:
    """The one spec check both connectors share (zoho_crm_airbyte/spec_check.py), raised as the source's error."""
    problem = config_problem(config, CONNECTION_SPECIFICATION)
    if problem:
        raise SourceConfigError(problem)


@dataclass(frozen=True)
class CoqlStreamConfig:
    name: str
    query: str
    cursor_field: str | None = None
    primary_key: tuple[str, ...] = ("id",)


@dataclass(frozen=True)
class SearchStreamConfig:
    name: str
    module: str
    criteria: str


@dataclass(frozen=True)
class SourceConfig:
    start: datetime | None
    modules: tuple[str, ...] | None
    include_deleted: bool
    coql_streams: tuple[CoqlStreamConfig, ...]
    search_streams: tuple[SearchStreamConfig, ...]
    max_concurrent_requests: int | None
    bulk_read: str = "auto"
    formula_refresh: float | None = None  # days between re-reads of formula columns (readers/formulas.py)

    @classmethod
    def from_mapping(cls, config: dict[str, Any]) -> SourceConfig:
        coql = tuple(_coql(i, item) for i, item in enumerate(config.get("coql_streams") or ()))
        search = tuple(_search(i, item) for i, item in enumerate(config.get("search_streams") or ()))
        _unique_names([s.name for s in coql] + [s.name for s in search])
        return cls(
            start=_not_future(_start(config.get("start_datetime")), config.get("start_datetime")),
            modules=tuple(config["modules"]) if config.get("modules") else None,
            include_deleted=bool(config.get("include_deleted", True)),
            coql_streams=coql,
            search_streams=search,
            max_concurrent_requests=_positive_int(config.get("max_concurrent_requests"), "max_concurrent_requests"),
            bulk_read=_bulk_read(config.get("bulk_read")),
            formula_refresh=_days(config.get("formula_refresh"), "formula_refresh"),
        )


def _start(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return require_datetime(str(value))
    except ValueError:
        raise SourceConfigError(
            f"start_datetime: {value!r} is not a date or date-time between the years 1 and 9999 in UTC; use e.g. "
            "2024-01-01 or 2024-01-01T00:00:00Z"
        ) from None


def _not_future(start: datetime | None, raw: Any) -> datetime | None:
    """A start in the future reads nothing and saves a cursor that skips every change until then (a typo of
    2999 for 1999: issue 12)."""
    if start is not None and start > datetime.now(timezone.utc) + timedelta(days=1):
        raise SourceConfigError(f"start_datetime: {raw!r} is in the future; nothing could be read and every change "
                                "until then would be skipped. Use a past date, e.g. 2024-01-01")
    return start


def _bulk_read(value: Any) -> str:
    mode = str(value or "auto").strip().lower()
    if mode not in BULK_READ_MODES:
        raise SourceConfigError(f"bulk_read: expected one of {', '.join(BULK_READ_MODES)}, got {value!r}")
    return mode


def _days(value: Any, key: str) -> float | None:
    """A number of days; absent or 0 means off."""
    if value in (None, "", 0):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SourceConfigError(f"{key}: expected a number of days (e.g. 1 or 7; 0 or absent: off), got {value!r}")
    return float(value)


def _positive_int(value: Any, key: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SourceConfigError(f"{key}: expected a positive integer, got {value!r}")
    return value


def _name(value: Any, key: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise SourceConfigError(f"{key}: {value!r} is not a valid stream name (letters, digits, underscores)")
    return value


def _coql(index: int, item: dict[str, Any]) -> CoqlStreamConfig:
    key = f"coql_streams[{index}]"
    query = str(item.get("query") or "").strip()
    try:
        parsed = parse_query(query)  # the client owns COQL: it refuses LIMIT, OFFSET, ORDER BY and a missing WHERE
    except ZohoCRMError as exc:
        raise SourceConfigError(f"{key}.query: {exc}") from None
    cursor = item.get("cursor_field") or None
    columns = [c.name for c in parsed.columns]
    if cursor and cursor not in columns:
        # each page resumes after the last row's cursor value: a cursor the query does not select has none
        raise SourceConfigError(f"{key}.cursor_field: {cursor!r} is not among the query's columns "
                                f"({', '.join(columns)}); add it to the SELECT list or choose one of them")
    primary_key = item.get("primary_key") or ["id"]
    return CoqlStreamConfig(
        name=_name(item.get("name"), f"{key}.name"),
        query=query,
        cursor_field=item.get("cursor_field") or None,
        primary_key=tuple([primary_key] if isinstance(primary_key, str) else primary_key),
    )


def _search(index: int, item: dict[str, Any]) -> SearchStreamConfig:
    key = f"search_streams[{index}]"
    module, criteria = item.get("module"), item.get("criteria")
    if not module or not criteria:
        raise SourceConfigError(f"{key}: both module and criteria are required")
    return SearchStreamConfig(name=_name(item.get("name"), f"{key}.name"), module=module, criteria=criteria)


def _unique_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SourceConfigError(f"coql_streams/search_streams: the stream name {name!r} is used twice")
        seen.add(name)
