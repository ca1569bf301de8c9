"""The get-records page cursor (docs/zoho-api.md section 3.1): `page` for rows 1..2,000, then `page_token`.

Worked example with per_page 200: pages 1..10 go by number; page 10's `info.next_page_token` fetches rows
2,001..2,200, and each answer's token the next 200, until `more_records` is false. The token chain itself ends
at 100,000 rows (PAGINATION_LIMIT_EXCEEDED), which records.py handles by starting a new window.
"""

from __future__ import annotations

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
