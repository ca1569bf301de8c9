"""The secrets of this process, and the masking of them in every text that leaves it.

The code never formats a secret into a message, but what a server sends back may quote the request: an error
body echoing the `Authorization` header or the posted token form (issue 12). So every secret is remembered
here as soon as it is known (the config's client secret and refresh token when a client starts, each access
token when it is issued), and masked in:
- every exception this package raises (`ZohoCRMError` masks its message and details);
- every record the package's logger emits (`RedactingFilter`, exception tracebacks included);
- every non-RECORD line the connectors print, and the CDK's own filter, which they `subscribe` to this list.

A secret is also masked in the forms a server may quote it in: URL-encoded (a form body) and JSON-escaped.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "****"
MIN_LENGTH = 6  # shorter values (a test's "x") would mask ordinary words

_lock = threading.Lock()
_secrets: list[str] = []  # longest first, so a secret containing another is masked whole
_listeners: list[Callable[[str], None]] = []


def remember(*values: str | None) -> None:
    """Add secrets (and their quoted forms) to the list masked everywhere; listeners hear of each new one."""
    fresh: list[str] = []
    with _lock:
        for value in values:
            if not value or len(value) < MIN_LENGTH:
                continue
            for form in {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}:
                if form not in _secrets:
                    _secrets.append(form)
                    fresh.append(form)
        _secrets.sort(key=len, reverse=True)
        listeners = list(_listeners)
    for form in fresh:
        for listener in listeners:
            listener(form)


def subscribe(listener: Callable[[str], None]) -> None:
    """Call `listener(secret)` for every secret known now and every one remembered later."""
    with _lock:
        _listeners.append(listener)
        known = list(_secrets)
    for secret in known:
        listener(secret)


def mask(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def mask_value(value: Any) -> Any:
    """`value` with every string in it masked (for details dicts built from a server's answer)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    return value


def mask_lines(text: str, keep: Callable[[str], bool]) -> str:
    """Mask every line of `text` except those `keep` says are data (the connectors' RECORD lines)."""
    if not _secrets:
        return text
    return "\n".join(line if keep(line) else mask(line) for line in text.split("\n"))


class RedactingFilter(logging.Filter):
    def __init__(self) -> None:
        super().__init__("zoho_crm_client.redact")

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        text = record.getMessage()
        masked = mask(text)
        if masked != text:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True


def install(logger: logging.Logger, secrets: Iterable[str] = ()) -> None:
    """Remember `secrets` and attach one RedactingFilter to `logger` and to each of its handlers (a handler's
    filter also sees the records of child loggers)."""
    remember(*secrets)
    for target in (logger, *logger.handlers):
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())
