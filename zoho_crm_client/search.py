"""Search (docs/zoho-api.md section 4): criteria escaping and paging up to the 2,000-row ceiling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zoho_crm_client.errors import CoqlError, CriteriaError, SearchCeilingReached
from zoho_crm_client.models import Page
from zoho_crm_client.paging import DISCRETE_LIMIT, PER_PAGE
from zoho_crm_client.records import MAX_FIELDS, RecordReader
from zoho_crm_client.transport import Call, Transport

_CEILING_MESSAGE = ("Zoho search returns at most 2,000 rows per query and {module} has more for {criteria!r}; "
                    "use a COQL stream (coql_streams) to read them all")


def escape_criteria_value(value: Any) -> str:
    """Section 4: prefix `(`, `)` and `,` with a backslash; a trailing backslash becomes `\\\\`.

    `Burns,B` -> `Burns\\,B`. requests URL-encodes the whole criteria afterwards (`Burns%5C%2CB`).
    """
    text = str(value)
    trailing = len(text) - len(text.rstrip("\\"))
    body = text[: len(text) - trailing] if trailing else text
    for char in "(),":
        body = body.replace(char, "\\" + char)
    return body + "\\\\" * trailing


def criterion(field: str, operator: str, value: Any) -> str:
    """One `(Field:operator:value)` condition with the value escaped; `in` takes a list."""
    if isinstance(value, (list, tuple)):
        text = ",".join(escape_criteria_value(v) for v in value)
    else:
        text = escape_criteria_value(value)
    return f"({field}:{operator}:{text})"


class SearchReader:
    def __init__(self, transport: Transport, records: RecordReader):
        self._transport = transport
        self._records = records

    def iter_search(self, module: str, criteria: str | None, fields: list[str] | None = None, *,
                    email: str | None = None, phone: str | None = None, word: str | None = None
                    ) -> Iterator[Page]:
        """Pages of up to 200 rows until more_records is false; SearchCeilingReached past 2,000 rows.

        Section 4: exactly one of `criteria`, `email`, `phone`, `word` is sent (Zoho takes them in that order).
        `fields` beyond 50 (section 3.1's limit per call, which search shares) are read as a module stream's are:
        the search asks for the first group, each later group is asked of get records by the page's ids and
        merged on id (records.py `fill`)."""
        by = {k: v for k, v in (("criteria", criteria), ("email", email), ("phone", phone), ("word", word)) if v}
        what = criteria or next(iter(by.values()), "")
        groups = _groups(fields)
        page = 1
        while True:
            if page * PER_PAGE > DISCRETE_LIMIT:
                raise SearchCeilingReached(_CEILING_MESSAGE.format(module=module, criteria=what),
                                           code="LIMIT_REACHED")
            params: dict[str, Any] = {**by, "page": page, "per_page": PER_PAGE, "converted": "both"}
            if groups:
                params["fields"] = ",".join(groups[0])
            call = Call.to("GET", "/crm/v8/{module}/search", {"module": module}, params=params, heavy=True)
            try:
                body = self._transport.request(call).body
            except SearchCeilingReached:
                raise SearchCeilingReached(_CEILING_MESSAGE.format(module=module, criteria=what),
                                           code="LIMIT_REACHED") from None
            except CoqlError as exc:  # the table's INVALID_QUERY class: here it is the criteria Zoho refused
                reason = exc.message.removeprefix("Zoho rejected the query: ")
                raise CriteriaError(f"Zoho rejected the search criteria {what!r} of {module}: {reason}; write "
                                    "them as (Field:operator:value), joined by and/or", status=exc.status,
                                    code=exc.code, details=exc.details) from None
            if not isinstance(body, dict) or not body.get("data"):
                return
            more = bool((body.get("info") or {}).get("more_records"))
            records = [r for r in body["data"] if isinstance(r, dict)]
            calls = 1 + sum(self._records.fill(module, records, group) for group in groups[1:])
            yield Page(records=records, calls=calls, more=more, credits=calls)
            if not more:
                return
            page += 1


def _groups(fields: list[str] | None) -> list[list[str]]:
    """The requested fields in groups of at most 50 (`id` comes with every row and is not asked for)."""
    wanted = [f for f in dict.fromkeys(fields or ()) if f != "id"]
    return [wanted[i:i + MAX_FIELDS] for i in range(0, len(wanted), MAX_FIELDS)]
