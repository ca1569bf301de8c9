"""Search (docs/zoho-api.md section 4): criteria escaping and paging up to the 2,000-row ceiling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zoho_crm_client.errors import SearchCeilingReached
from zoho_crm_client.models import Page
from zoho_crm_client.paging import DISCRETE_LIMIT, PER_PAGE
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
    def __init__(self, transport: Transport):
        self._transport = transport

    def iter_search(self, module: str, criteria: str | None, fields: list[str] | None = None, *,
                    email: str | None = None, phone: str | None = None, word: str | None = None
                    ) -> Iterator[Page]:
        """Pages of up to 200 rows until more_records is false; SearchCeilingReached past 2,000 rows.

        Section 4: exactly one of `criteria`, `email`, `phone`, `word` is sent (Zoho takes them in that order).
        """
        by = {k: v for k, v in (("criteria", criteria), ("email", email), ("phone", phone), ("word", word)) if v}
        what = criteria or next(iter(by.values()), "")
        page = 1
        while True:
            if page * PER_PAGE > DISCRETE_LIMIT:
                raise SearchCeilingReached(_CEILING_MESSAGE.format(module=module, criteria=what),
                                           code="LIMIT_REACHED")
            params: dict[str, Any] = {**by, "page": page, "per_page": PER_PAGE, "converted": "both"}
            if fields:
                params["fields"] = ",".join(dict.fromkeys(fields))
            call = Call.to("GET", "/crm/v8/{module}/search", {"module": module}, params=params, heavy=True)
            try:
                body = self._transport.request(call).body
            except SearchCeilingReached:
                raise SearchCeilingReached(_CEILING_MESSAGE.format(module=module, criteria=what),
                                           code="LIMIT_REACHED") from None
            if not isinstance(body, dict) or not body.get("data"):
                return
            more = bool((body.get("info") or {}).get("more_records"))
            yield Page(records=[r for r in body["data"] if isinstance(r, dict)], calls=1, more=more)
            if not more:
                return
            page += 1
