"""THE place a value becomes part of a URL: validated, then escaped (docs/zoho-api/security.md).

A route template names its placeholders, and each name has one rule:

    >>> expand("/crm/v8/{module}/{id}/actions/clone", module="Leads", id=554023000000527002)
    '/crm/v8/Leads/554023000000527002/actions/clone'
    >>> expand("/crm/v8/{module}/{id}/actions/clone", module="Leads", id="../Tasks/1")
    Traceback (most recent call last):
    ...
    zoho_crm_client.paths.InvalidIdentifier: record id '../Tasks/1' is not a Zoho id (a string of 1 to 19 digits)

`{module}` is an API name (letters, digits, underscores: Zoho's api_name shape), `{id}` and `{job_id}` are
Zoho ids (decimal digits; JSON integers are taken exactly, never through a float). Every segment is also
escaped with `quote(safe="")`, so even a rule that let a `/`, `?`, `#` or `..` through could not change which
resource is addressed. Query values are encoded as requests' own encoding does (`query`), and the id lists they
carry (`ids=`) are built by `ids_value`, so a comma inside an "id" cannot smuggle a second record into a delete.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from zoho_crm_client.errors import ConfigError

ID_PATTERN = re.compile(r"[0-9]{1,19}")  # Zoho ids: 18-19 digit strings in every published sample
API_NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")
INVALID_ID = "INVALID_ID"


class InvalidIdentifier(ConfigError):
    """An id or module name that cannot be a Zoho one; nothing was sent. `code` is INVALID_ID or INVALID_MODULE."""


def record_id(value: Any, what: str = "record id") -> str:
    """`value` as the digit string Zoho expects, or InvalidIdentifier (bool and float are refused: a float
    would silently round an 18-digit id to another record's)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise InvalidIdentifier(f"{what} {_show(value)} is not a Zoho id (a string of 1 to 19 digits)",
                                code=INVALID_ID)
    if not ID_PATTERN.fullmatch(text):
        raise InvalidIdentifier(f"{what} {_show(value)} is not a Zoho id (a string of 1 to 19 digits)",
                                code=INVALID_ID)
    return text


def module_name(value: Any) -> str:
    """A module API name ("Leads", "Price_Books", "CustomModule1"), or InvalidIdentifier."""
    if not isinstance(value, str) or not API_NAME_PATTERN.fullmatch(value):
        raise InvalidIdentifier(f"module {_show(value)} is not a Zoho module API name (letters, digits and "
                                "underscores, starting with a letter)", code="INVALID_MODULE")
    return value


RULES: dict[str, Callable[[Any], str]] = {"module": module_name, "id": record_id, "job_id": lambda v: record_id(v, "bulk job id")}


def expand(template: str, **values: Any) -> str:
    """The path of `template` with every `{name}` validated by its rule and escaped as one segment."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    if set(names) != set(values):
        raise ValueError(f"{template} takes {sorted(set(names))}, given {sorted(values)}")
    return template.format(**{name: quote(RULES[name](values[name]), safe="") for name in names})


def ids_value(ids: Iterable[Any]) -> str:
    """The `ids=` query value: valid ids joined by commas (Zoho's list separator)."""
    return ",".join(record_id(i) for i in ids)


# Zoho's list parameters: "Multiple field API names, comma separated. For example: Last_Name,Email" (Get Records,
# docs/zoho-api/requests.md). RFC 3986 allows a comma in a query, and a server decodes %2C to the same comma.
COMMA_LISTS = frozenset({"fields", "ids"})


def query(params: Mapping[str, Any] | None) -> str | None:
    """`?k=v&...` as requests would encode `params` (quote_plus, in order), with the commas of Zoho's list
    parameters left as commas; None when a value is of a kind only requests' own encoding should judge.

        >>> query({"fields": "Last_Name,Email", "per_page": 200, "page_token": "a b/c"})
        '?fields=Last_Name,Email&per_page=200&page_token=a+b%2Fc'

    A list call's query is mostly its 50 field names: encoded here once per field group (cached), it also keeps
    the `%` out of the query, so urllib3 checks it in its fast path instead of byte by byte
    (docs/benchmarks.md, "Where the time goes").
    """
    if not params:
        return ""
    parts = []
    for key, value in params.items():
        if value is None:
            continue  # requests drops a None value
        if type(value) is int:
            value = str(value)
        elif type(value) is not str or type(key) is not str:
            return None
        parts.append(f"{_encoded(key, False)}={_encoded(value, key in COMMA_LISTS)}")
    return "?" + "&".join(parts) if parts else ""


@functools.lru_cache(maxsize=1024)
def _encoded(text: str, comma_list: bool) -> str:
    return quote_plus(text, safe="," if comma_list else "")


def is_safe_path(path: str) -> bool:
    """True for an absolute path on the API host with no query, fragment, dot segment or host of its own; the
    transport refuses any other (a download_url from an answer goes through here too)."""
    if not path.startswith("/") or path.startswith("//") or any(c in path for c in "?#\\") or "://" in path:
        return False
    if "%2e" in path.lower() or "%2f" in path.lower():  # an escaped dot or slash a server may decode
        return False
    return all(part not in (".", "..") for part in path.split("/")) and path.isprintable() and " " not in path


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
