"""Page tokens of get-records (docs/zoho-api.md section 3.1): issued per page, bound to the query, 24 h expiry.

A token remembers the sort key of the last row served (keyset), so a page read twice is the same page and a
record modified while a client pages moves behind the cursor instead of shifting every later page.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

TOKEN_TTL = 24 * 3600
TOKEN_CEILING = 100_000  # records reachable with tokens (section 3.1)
DISCRETE_CEILING = 2_000  # records reachable with page/per_page alone


@dataclass
class PageToken:
    value: str
    signature: tuple[Any, ...]
    last_key: Any
    served: int
    page: int
    expires: float


class PageTokens:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, PageToken] = {}

    def issue(self, signature: tuple[Any, ...], last_key: Any, served: int, page: int) -> PageToken:
        token = PageToken(secrets.token_hex(24), signature, last_key, served, page, time.time() + TOKEN_TTL)
        with self._lock:
            self._tokens[token.value] = token
        return token

    def get(self, value: str) -> PageToken | None:
        with self._lock:
            return self._tokens.get(value)

    def expire_all(self) -> None:
        """Fault injection: every token issued so far is now past its 24 hours."""
        with self._lock:
            for token in self._tokens.values():
                token.expires = 0.0

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()
