"""Input for the destination: rows a warehouse would send, as Airbyte RECORD and STATE lines on stdin."""

from __future__ import annotations

import json
from typing import Any

DESTINATION = "destination-zoho-crm"
LEAD_SCHEMA = {"type": "object", "properties": {
    "Last_Name": {"type": "string"}, "Email": {"type": "string"}, "Company": {"type": "string"}}}


def lead_rows(tag: str, count: int) -> list[dict[str, Any]]:
    """`count` new Leads with a unique Email each, so Zoho's truth can be matched back to the input."""
    return [{"Last_Name": f"Chaos {tag} {i}", "Email": f"chaos.{tag}.{i}@example.com", "Company": "Chaos Ltd"}
            for i in range(count)]


def destination_catalog(stream: str = "Leads", mode: str = "append_dedup") -> dict[str, Any]:
    return {"streams": [{
        "stream": {"name": stream, "json_schema": LEAD_SCHEMA, "supported_sync_modes": ["full_refresh", "incremental"]},
        "sync_mode": "incremental", "destination_sync_mode": mode, "primary_key": [["Email"]]}]}


def destination_config(base: dict[str, Any], stream: str = "Leads", **overrides: Any) -> dict[str, Any]:
    streams = [{"name": stream, "module": "Leads", "matching_keys": ["Email"]}]
    return {**base, "streams": streams, **overrides}


def stdin_for(stream: str, rows: list[dict[str, Any]], *, state_every: int = 50) -> str:
    """RECORD lines with a STATE after every `state_every` rows and at the end; the state counts rows sent."""
    lines = []
    for i, row in enumerate(rows, 1):
        lines.append(json.dumps({"type": "RECORD", "record": {"stream": stream, "data": row, "emitted_at": 1}}))
        if i % state_every == 0 or i == len(rows):
            lines.append(json.dumps(state_line(stream, i)))
    return "\n".join(lines) + "\n"


def state_line(stream: str, sent: int) -> dict[str, Any]:
    return {"type": "STATE", "state": {"type": "STREAM", "stream": {
        "stream_descriptor": {"name": stream}, "stream_state": {"rows_sent": sent}}}}


def acknowledged(states: list[dict[str, Any]]) -> int:
    """Rows the destination has committed: the `rows_sent` of the last STATE it echoed (0 if none)."""
    sent = [s["stream"]["stream_state"]["rows_sent"] for s in states if s.get("type") == "STREAM"]
    return max(sent, default=0)
