"""Zoho date-time text <-> epoch seconds (docs/zoho-api.md section 0: numeric offset, second precision, never Z)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

DEFAULT_TZ = timezone(timedelta(hours=5, minutes=30))
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_offset(text: str) -> tzinfo:
    """'+05:30' / '-0700' -> a fixed-offset tzinfo (the org user's time zone)."""
    m = _OFFSET.match(text.strip())
    if not m:
        raise ValueError(f"not a UTC offset: {text!r}")
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def fmt(epoch: int, tz: tzinfo) -> str:
    """Epoch seconds -> '2024-05-01T10:15:00+05:30' in the user's zone."""
    return datetime.fromtimestamp(epoch, tz).isoformat()


def parse_datetime(text: str) -> int | None:
    """ISO-8601 with an offset -> epoch seconds (millis dropped); None if not such a value."""
    if not isinstance(text, str) or "T" not in text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        return None
    return int(value.timestamp())


def parse_header_datetime(text: str) -> int | None:
    """If-Modified-Since: ISO-8601 with offset (what Zoho documents) or the HTTP date form."""
    epoch = parse_datetime(text.strip())
    if epoch is not None:
        return epoch
    try:
        return int(parsedate_to_datetime(text).timestamp())
    except (TypeError, ValueError):
        return None


def is_date(text: object) -> bool:
    if not isinstance(text, str) or not _DATE.match(text):
        return False
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True
