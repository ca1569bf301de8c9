"""Reading the incoming state in any shape Airbyte has used, and writing per-stream STATE messages.

The format is documented in docs/source-state.md. Accepted inputs:
- a list of per-stream messages `[{"type": "STREAM", "stream": {"stream_descriptor": {...}, "stream_state": {...}}}]`;
- a GLOBAL message (`global.stream_states`), as some platforms hand back after a migration;
- a LEGACY message (`{"type": "LEGACY", "data": {...}}`) or a bare object `{"Leads": {...}, ...}`,
  the shape older Python sources (including Airbyte's earlier Zoho source) wrote.
"""

from __future__ import annotations

from typing import Any

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    StreamDescriptor,
    Type,
)

from source_zoho_crm.config import SourceConfigError

StreamStates = dict[str, dict[str, Any]]


class StateError(SourceConfigError):
    """A value in the incoming state that cannot be a position (not a cache: it cannot just be dropped without
    reading everything again); the message names the key and how to fix it."""


def parse_state(raw: Any) -> StreamStates:
    """Per-stream state objects keyed by stream name; unknown shapes yield an empty state."""
    if isinstance(raw, dict):
        return _from_legacy(raw.get("data", raw) if raw.get("type") == "LEGACY" else raw)
    states: StreamStates = {}
    for message in raw if isinstance(raw, list) else ():
        if not isinstance(message, dict):
            continue
        kind = message.get("type")
        if kind == "STREAM" or (kind is None and "stream" in message):
            states.update(_from_stream_entries([message.get("stream")]))
        elif kind == "GLOBAL":
            states.update(_from_stream_entries(_get(message.get("global"), "stream_states")))
        elif kind == "LEGACY" or "data" in message:
            states.update(_from_legacy(message.get("data")))
    return states


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _from_stream_entries(entries: Any) -> StreamStates:
    """Entries of another shape (a platform bug, a hand edit) are passed over: the stream then starts afresh."""
    states: StreamStates = {}
    for entry in entries if isinstance(entries, list) else ():
        name = _get(_get(entry, "stream_descriptor"), "name")
        blob = _get(entry, "stream_state")
        if isinstance(name, str) and name and isinstance(blob, dict):
            states[name] = dict(blob)
    return states


def _from_legacy(data: Any) -> StreamStates:
    if not isinstance(data, dict):
        return {}
    return {name: dict(blob) for name, blob in data.items() if isinstance(blob, dict)}


def state_message(stream: str, blob: dict[str, Any]) -> AirbyteMessage:
    """One per-stream STATE message (AirbyteStateType.STREAM)."""
    return AirbyteMessage(
        type=Type.STATE,
        state=AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name=stream), stream_state=AirbyteStateBlob(**blob)
            ),
        ),
    )
