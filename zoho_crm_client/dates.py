"""Zoho datetimes (docs/zoho-api.md section 0): second precision, numeric offset, never `Z` in output."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def parse_datetime(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime from Zoho's ISO-8601 text (any offset, `Z` accepted); None if unreadable."""
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:  # Zoho's own form, read by the C parser alone (a page has 200 of them)
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = _lenient(value)
        if moment is None:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # a bare datetime is read as UTC
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 with an offset: no such moment in UTC
        return None


def _lenient(value: str) -> datetime | None:
    """Surrounding spaces and a lower-case `z`, which Python's parser refuses."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def format_datetime(moment: datetime) -> str:
    """`2024-05-01T10:15:00+00:00`: what If-Modified-Since and COQL literals accept (no millis, no `Z`)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()
