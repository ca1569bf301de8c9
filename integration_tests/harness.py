"""Drives the real console scripts against a real emulator process over HTTP.

`Emulator` wraps one `zoho-crm-emulator` process (port 0, URL read from its first stdout line) and its
control plane; `run_connector` runs `source-zoho-crm` / `destination-zoho-crm` as a subprocess and parses
the Airbyte messages it prints.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from source_zoho_crm.streams import utc_text
from zoho_crm_emulator.process import EmulatorProcess

BIN = Path(sys.executable).parent


def script(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


class Emulator(EmulatorProcess):
    """The shared launcher (zoho_crm_emulator/process.py) with the tests' default start date."""

    def config(self, **overrides: Any) -> dict[str, Any]:
        return super().config(**{"start_datetime": "2015-01-01T00:00:00Z", **overrides})


@dataclass
class Run:
    returncode: int
    messages: list[dict[str, Any]]
    stdout: str
    stderr: str
    garbage: list[str] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == kind]

    def records(self, stream: str | None = None) -> list[dict[str, Any]]:
        return [m["record"]["data"] for m in self.of_type("RECORD")
                if stream is None or m["record"]["stream"] == stream]

    def states(self) -> list[dict[str, Any]]:
        return [m["state"] for m in self.of_type("STATE")]

    def logs(self, level: str | None = None) -> list[str]:
        return [m["log"]["message"] for m in self.of_type("LOG") if level is None or m["log"]["level"] == level]

    def traces(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [m["trace"] for m in self.of_type("TRACE") if kind is None or m["trace"]["type"] == kind]


def run_connector(name: str, command: str, *, config: dict[str, Any] | None = None,
                  catalog: dict[str, Any] | None = None, state: Any = None, stdin: str | None = None,
                  timeout: float = 600, env: dict[str, str] | None = None) -> Run:
    """Run `name command --config ... [--catalog ...] [--state ...]` and parse stdout as Airbyte messages."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [script(name), command]
        for flag, value in (("--config", config), ("--catalog", catalog), ("--state", state)):
            if value is not None:
                path = os.path.join(tmp, flag.strip("-") + ".json")
                Path(path).write_text(json.dumps(value))
                args += [flag, path]
        proc = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
    return parsed(proc)


def parsed(proc: subprocess.CompletedProcess[str]) -> Run:
    """A finished console script's stdout as Airbyte messages; lines that are not JSON kept apart."""
    messages, garbage = [], []
    for line in proc.stdout.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            garbage.append(line)
    return Run(proc.returncode, messages, proc.stdout, proc.stderr, garbage)


def configured_catalog(streams: list[dict[str, Any]], *, sync_mode: str = "incremental",
                       destination_sync_mode: str = "append_dedup", names: list[str] | None = None) -> dict[str, Any]:
    """A configured catalog for the given discovered streams (optionally only `names`)."""
    chosen = [s for s in streams if names is None or s["name"] in names]
    out = []
    for s in chosen:
        mode = sync_mode if sync_mode in s.get("supported_sync_modes", ["full_refresh"]) else "full_refresh"
        entry = {"stream": s, "sync_mode": mode, "destination_sync_mode": destination_sync_mode}
        if mode == "incremental" and s.get("default_cursor_field"):
            entry["cursor_field"] = s["default_cursor_field"]
        if s.get("source_defined_primary_key"):
            entry["primary_key"] = s["source_defined_primary_key"]
        out.append(entry)
    return {"streams": out}


def same_value(emitted: Any, expected: Any) -> bool:
    """Equal, or the same instant: the source emits date-times in UTC, Zoho in the user's offset (streams.py)."""
    return emitted == expected or (isinstance(emitted, str) and isinstance(expected, str)
                                   and utc_text(emitted) == utc_text(expected) != expected)
