"""The get-records page cursor (docs/zoho-api.md section 3.1): `page` for rows 1..2,000, then `page_token`.

Worked example with per_page 200: pages 1..10 go by number; page 10's `info.next_page_token` fetches rows
2,001..2,200, and each answer's token the next 200, until `more_records` is false. The token chain itself ends
at 100,000 rows (PAGINATION_LIMIT_EXCEEDED), which records.py handles by starting a new window.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from zoho_crm_client.errors import InvalidResponseError

PER_PAGE = 200
DISCRETE_LIMIT = 2_000  # page * per_page may not exceed it without a page_token
TOKEN_LIMIT = 100_000  # rows reachable through one page_token chain


@dataclass
class PageCursor:
    page: int = 1
    token: str | None = None

    def params(self) -> dict[str, Any]:
        return {"page_token": self.token} if self.token else {"page": self.page}

    def advance(self, info: dict[str, Any]) -> None:
        """Move past the page whose `info` this is; refuses to loop on a repeated token."""
        if self.token is None and (self.page + 1) * PER_PAGE <= DISCRETE_LIMIT:
            self.page += 1
            return
        token = info.get("next_page_token")
        if not token or token == self.token:
            raise InvalidResponseError("Zoho said more_records is true but sent no new next_page_token")
        self.token = str(token)


class RepeatGuard:
    """Stops a listing that keeps answering `more_records: true` without new rows (issue 12).

    Deleted records and COQL page by number or offset, with no token to compare: a server (or a proxy caching
    one answer) that sends the same rows again with more_records true would be called until a ceiling, or
    forever. Worked example: page 1 brings ids 1..200, page 2 ids 201..400, page 3 ids 201..400 again: every
    row already seen, so page 3 raises instead of asking for page 4. A row without an id counts by its content.
    """

    def __init__(self, listing: str):
        self._listing = listing
        self._seen: set[str] = set()

    def check(self, rows: list[dict[str, Any]], page: int | str) -> None:
        keys = [_row_key(row) for row in rows]
        if not keys or all(key in self._seen for key in keys):
            raise InvalidResponseError(
                f"{self._listing}: Zoho said more_records is true but page {page} brought no row not already "
                f"read ({len(keys)} rows); stopping rather than asking again. A proxy between the connector and "
                "Zoho may be answering from a cache; try again later", code="REPEATED_PAGE")
        self._seen.update(keys)


def _row_key(row: dict[str, Any]) -> str:
    record_id = row.get("id")
    return f"id:{record_id}" if record_id is not None else json.dumps(row, sort_keys=True, default=str)
