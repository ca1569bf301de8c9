"""The destination-specific settings, parsed once from the connector config (spec.py documents each key).

The auth and region keys are the client's business (`zoho_crm_client.ZohoConfig.from_mapping`); this module
reads only what decides how records are written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.operations import Operation, parse_operation

TRIGGERS = ("workflow", "approval", "blueprint")
ON_REJECTED = ("fail", "report")
# Zoho's sub-concurrency limit for heavy calls (writes of >10 records, convert): docs/zoho-api.md 11.4.
MAX_PARALLEL_BATCHES = 10


@dataclass(frozen=True)
class StreamSettings:
    """One entry of `streams`: where a stream goes and how, when the catalog alone does not say."""

    name: str
    module: str | None = None
    operation: Operation | None = None
    matching_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class DestinationConfig:
    streams: dict[str, StreamSettings] = field(default_factory=dict)
    trigger: tuple[str, ...] = ()
    dry_run: bool = False
    on_rejected: str = "fail"
    reject_file: str | None = None
    results_file: str | None = None
    max_parallel_batches: int = MAX_PARALLEL_BATCHES

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> DestinationConfig:
        """Parse and check the write settings; a DestinationConfigError names the key to fix."""
        return cls(
            streams=_streams(config.get("streams") or []),
            trigger=_trigger(config.get("trigger") or []),
            dry_run=bool(config.get("dry_run", False)),
            on_rejected=_choice("on_rejected", config.get("on_rejected") or "fail", ON_REJECTED),
            reject_file=_reject_file(config.get("reject_file")),
            results_file=config.get("results_file") or None,
            max_parallel_batches=_parallelism(config.get("max_parallel_batches", MAX_PARALLEL_BATCHES)),
        )


def _streams(entries: list[Mapping[str, Any]]) -> dict[str, StreamSettings]:
    out: dict[str, StreamSettings] = {}
    for i, entry in enumerate(entries):
        name = entry.get("name")
        if not name:
            raise DestinationConfigError(f"streams[{i}] has no 'name': give the name of the incoming stream.")
        if name in out:
            raise DestinationConfigError(f"streams[{i}]: stream '{name}' is configured twice.")
        out[name] = StreamSettings(
            name=name,
            module=entry.get("module") or None,
            operation=_operation(i, entry.get("operation")),
            matching_keys=tuple(entry.get("matching_keys") or ()),
        )
    return out


def _operation(i: int, value: Any) -> Operation | None:
    if value in (None, ""):
        return None
    try:
        return parse_operation(value)
    except ValueError as exc:
        raise DestinationConfigError(f"streams[{i}].operation: {exc}") from None


def _trigger(values: list[str]) -> tuple[str, ...]:
    # docs/zoho-api.md section 8: an omitted `trigger` runs every automation, `[]` runs none; we always send it.
    return tuple(_choice("trigger", v, TRIGGERS) for v in values)


def _choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise DestinationConfigError(f"'{key}' is {value!r}; use one of: {', '.join(allowed)}.")
    return value


def _reject_file(value: Any) -> str | None:
    """A path whose folder exists: found at check, not after the first rejection of a long write."""
    if value in (None, ""):
        return None
    folder = os.path.dirname(os.path.abspath(str(value)))
    if not os.path.isdir(folder):
        raise DestinationConfigError(f"'reject_file' is {value!r}, but the folder {folder!r} does not exist; "
                                     "create it or choose a path in an existing folder.")
    return str(value)


def _parallelism(value: Any) -> int:
    if not isinstance(value, int) or not 1 <= value <= MAX_PARALLEL_BATCHES:
        raise DestinationConfigError(
            f"'max_parallel_batches' is {value!r}; use 1 to {MAX_PARALLEL_BATCHES} (Zoho's sub-concurrency limit)."
        )
    return value
