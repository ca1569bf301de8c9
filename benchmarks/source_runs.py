"""Driving `source-zoho-crm` for a benchmark: spec, discover (not measured) and a measured read."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Any

from benchmarks.emulator import ApiUse, BenchEmulator, api_use
from benchmarks.process import Measured, child_env, connector_args, run_measured

SOURCE = "source-zoho-crm"


@dataclass
class ReadRun:
    measured: Measured
    use: ApiUse
    max_in_flight: int | None
    emulator_cpu_s: float


def _message(command: str, kind: str, **files: Any) -> dict[str, Any]:
    """Run an unmeasured source command and return the first message of the given type."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(connector_args(SOURCE, command, tmp, **files), capture_output=True, text=True,
                              timeout=600, env=child_env())
    said = []
    for line in proc.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("type") == kind:
            return message
        if message.get("type") == "TRACE" and message["trace"].get("type") == "ERROR":
            said.append(message["trace"]["error"].get("message", ""))
    why = " ".join(said)[-500:] or proc.stderr[-500:]
    raise RuntimeError(f"{SOURCE} {command} printed no {kind} (rc={proc.returncode}): {why}")


def spec_properties() -> dict[str, Any]:
    spec = _message("spec", "SPEC")["spec"]
    return spec.get("connectionSpecification", {}).get("properties", {})


def discover(config: dict[str, Any]) -> list[dict[str, Any]]:
    return _message("discover", "CATALOG", config=config)["catalog"]["streams"]


# What the Airbyte platform puts on every stream of a new connection: its first generation, nothing older
# kept. A first sync then sends no tombstones (source_zoho_crm/read_loop.py: replaces_destination).
NEW_CONNECTION = {"generation_id": 0, "minimum_generation_id": 0, "sync_id": 1}


def configured_catalog(streams: list[dict[str, Any]], names: list[str] | None = None) -> dict[str, Any]:
    """Incremental where supported (a first sync when no state is given), as the Airbyte platform would for a
    new connection."""
    entries = []
    for stream in streams:
        if names is not None and stream["name"] not in names:
            continue
        incremental = "incremental" in stream.get("supported_sync_modes", [])
        entry = {"stream": stream, "sync_mode": "incremental" if incremental else "full_refresh",
                 "destination_sync_mode": "append_dedup" if incremental else "overwrite", **NEW_CONNECTION}
        if incremental and stream.get("default_cursor_field"):
            entry["cursor_field"] = stream["default_cursor_field"]
        if stream.get("source_defined_primary_key"):
            entry["primary_key"] = stream["source_defined_primary_key"]
        entries.append(entry)
    return {"streams": entries}


def measured_read(emu: BenchEmulator, config: dict[str, Any], catalog: dict[str, Any],
                  state: list[dict[str, Any]] | None = None, timeout: float = 3600) -> ReadRun:
    """One `read`, its output counted (never stored), its API use taken from the emulator's stats."""
    before, cpu_before = emu.stats(), emu.cpu_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        args = connector_args(SOURCE, "read", tmp, config=config, catalog=catalog, state=state)
        measured = run_measured(args, timeout=timeout)
    cpu = emu.cpu_seconds() - cpu_before
    after = emu.stats()
    return ReadRun(measured, api_use(before, after), after.get("max_in_flight"), cpu)
