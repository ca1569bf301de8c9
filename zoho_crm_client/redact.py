"""A logging filter that blanks secrets out of every record a client logs (belt and braces: the code never
formats a secret into a message, but a library exception text might carry one)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

MASK = "****"


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Callable[[], Iterable[str]]):
        super().__init__("zoho_crm_client.redact")
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = [s for s in self._secrets() if s and len(s) >= 6]
        if not secrets:
            return True
        text = record.getMessage()
        if any(s in text for s in secrets):
            for secret in secrets:
                text = text.replace(secret, MASK)
            record.msg, record.args = text, None
        return True


def install(logger: logging.Logger, secrets: Callable[[], Iterable[str]]) -> None:
    """Attach one RedactingFilter to `logger` and its handlers (handler filters also cover child loggers)."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter(secrets))
