"""Date-time parsing and the one UTC serialisation the state uses.

Zoho answers in the API user's time zone with a numeric offset and second precision
(docs/zoho-api.md section 0, "DateTime"); cursors are compared and stored in UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone

from zoho_crm_client.dates import parse_datetime as parse_zoho_datetime


def require_datetime(value: object) -> datetime:
    """Parse an ISO-8601 date or date-time into an aware UTC datetime; raise ValueError if it is not one.

    Accepts `2024-05-01`, `2024-05-01 13:00`, `2024-05-01T13:00:00Z`, `2024-05-01T13:00:00+05:30`; a value
    without an offset is taken as UTC. The parsing is the client's (zoho_crm_client/dates.py), so the source
    reads Zoho's date-times exactly as the client's paging does.
    """
    moment = parse_zoho_datetime(value)
    if moment is None:
        raise ValueError(f"not an ISO-8601 date or date-time between the years 1 and 9999 in UTC: {value!r}")
    return moment


def format_utc(moment: datetime) -> str:
    """The state's serialisation: UTC, second precision, `Z` suffix (e.g. `2024-05-01T04:45:00Z`)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
