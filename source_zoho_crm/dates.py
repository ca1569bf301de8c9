"""Date-time parsing and the one UTC serialisation the state uses.

Zoho answers in the API user's time zone with a numeric offset and second precision
(zoho-crm-api.md section 0, "DateTime"); cursors are compared and stored in UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone


def parse_datetime(value: str) -> datetime:
    """Parse an ISO-8601 date or date-time into an aware UTC datetime.

    Accepts `2024-05-01`, `2024-05-01 13:00`, `2024-05-01T13:00:00Z`, `2024-05-01T13:00:00+05:30`;
    a value without an offset is taken as UTC. Raises ValueError on anything else.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_utc(moment: datetime) -> str:
    """The state's serialisation: UTC, second precision, `Z` suffix (e.g. `2024-05-01T04:45:00Z`)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
