"""The org's edition, remembered in the state so that incremental syncs need not ask GET org (issue 8, R3).

The in-flight limit comes from the edition (docs/zoho-api.md section 11.4). Without `edition` or
`max_concurrent_requests` in the config the client learns it from GET org: one call per sync, which is one in
fifteen of a no-change hourly sync of seven modules (one call per stream plus one per module for deletions).
The edition learned is saved, with the time it was read, in every incremental stream's state and trusted
for a week. A stale edition costs little: a higher one than the org's draws 429s, which the client backs
off from; a lower one leaves slots unused until the next check.

A sync that cannot keep more calls in flight than every edition allows (section 11.4: 5, the Free edition's
limit) does not ask at all: a single module's first sync, say, keeps one call per field group in flight.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airbyte_cdk.models import ConfiguredAirbyteCatalog

from source_zoho_crm.config import SourceConfig
from source_zoho_crm.dates import format_utc, require_datetime
from source_zoho_crm.state import StreamStates
from source_zoho_crm.streams import CURSOR_FIELD, Kind, from_catalog
from zoho_crm_client.limits import DEFAULT_CONCURRENCY, canonical_edition
from zoho_crm_client.notes import IN_FLIGHT as NOTES_IN_FLIGHT
from zoho_crm_client.records import field_groups

EDITION_KEY = "zoho_edition"
TRUSTED_FOR = timedelta(days=7)


def remembered(states: StreamStates, now: datetime) -> dict[str, str] | None:
    """The most recently checked edition in any stream's state, if checked within TRUSTED_FOR."""
    best: tuple[datetime, dict[str, str]] | None = None
    for blob in states.values():
        entry = blob.get(EDITION_KEY)
        if not isinstance(entry, dict) or (name := canonical_edition(entry.get("name"))) is None:
            continue
        try:
            checked = require_datetime(entry.get("checked_at"))
        except ValueError:
            continue
        if timedelta(0) <= now - checked < TRUSTED_FOR and (best is None or checked > best[0]):
            best = (checked, {"name": name, "checked_at": format_utc(checked)})
    return best[1] if best else None


def learned(edition: str | None, now: datetime) -> dict[str, str] | None:
    """The state entry for an edition just read from GET org (None: nothing to carry)."""
    return {"name": edition, "checked_at": format_utc(now)} if edition else None


def state_keys(entry: dict[str, str] | None) -> dict[str, Any]:
    return {EDITION_KEY: entry} if entry else {}


def matters(catalog: ConfiguredAirbyteCatalog, config: SourceConfig) -> bool:
    """Whether this sync's streams could keep more calls in flight than every edition allows: a module
    stream's page asks its field groups side by side, Notes the `?ids=` calls of an index page (up to 20) and
    the next index page; COQL, search and Bulk Read ask one call at a time."""
    most = 0
    for configured in catalog.streams:
        stream = from_catalog(configured.stream.name, configured.stream.json_schema, config)
        fields = stream.fields_to_request(stream.properties)
        if stream.kind is Kind.MODULE and stream.module == "Notes":  # readers/notes.py: `?ids=` side by side
            most += NOTES_IN_FLIGHT
        else:
            most += len(field_groups(fields, CURSOR_FIELD)) if stream.kind is Kind.MODULE else 1
    return most > DEFAULT_CONCURRENCY
