"""The state the platform hands to the next attempt: the latest STATE message per stream (Airbyte protocol)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class StateStore:
    """Latest STREAM state per stream descriptor; a GLOBAL or LEGACY state replaces its predecessor."""

    def __init__(self) -> None:
        self._latest: dict[tuple[str, ...], dict[str, Any]] = {}

    def update(self, states: Iterable[dict[str, Any]]) -> None:
        for state in states:
            kind = state.get("type", "LEGACY")
            if kind == "STREAM":
                descriptor = state["stream"]["stream_descriptor"]
                key = (kind, descriptor["name"], descriptor.get("namespace") or "")
            else:
                key = (kind,)
            # sourceStats and friends describe the attempt that emitted them, not the input of the next one
            self._latest[key] = {k: v for k, v in state.items() if k in ("type", "stream", "global", "data")}

    def as_input(self) -> list[dict[str, Any]] | dict[str, Any] | None:
        if not self._latest:
            return None
        legacy = self._latest.get(("LEGACY",))
        return legacy["data"] if legacy else list(self._latest.values())

    def __bool__(self) -> bool:
        return bool(self._latest)
