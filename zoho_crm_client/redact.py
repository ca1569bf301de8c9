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
        secrets = [s for s in self._secrets() if s]
        if not secrets:
            return True
        text = record.getMessage()
        masked = mask(text, secrets)
        if masked != text:
            record.msg, record.args = masked, None
        return True


def mask(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (of 6 characters or more) replaced by ****; what a user may be shown."""
    for secret in secrets:
        if secret and len(secret) >= 6 and secret in text:
            text = text.replace(secret, MASK)
    return text


def install(logger: logging.Logger, secrets: Callable[[], Iterable[str]]) -> None:
    """Attach one RedactingFilter to `logger` and its handlers (handler filters also cover child loggers)."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter(secrets))
