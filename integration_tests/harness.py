"""Drives the real console scripts against a real emulator process over HTTP.

`Emulator` wraps one `zoho-crm-emulator` process (port 0, URL read from its first stdout line) and its
control plane; `run_connector` runs `source-zoho-crm` / `destination-zoho-crm` as a subprocess and parses
the Airbyte messages it prints.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from zoho_crm_emulator import credentials

BIN = Path(sys.executable).parent


def script(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


class Emulator:
    """A `zoho-crm-emulator` subprocess on 127.0.0.1 with an ephemeral port."""

    def __init__(self, *, records: int = 100, seed: int = 7, latency_ms: float = 0, edition: str = "enterprise",
                 extra_args: list[str] | None = None):
        args = [script("zoho-crm-emulator"), "--host", "127.0.0.1", "--port", "0", "--seed", str(seed),
                "--records", str(records), "--latency-ms", str(latency_ms), "--edition", edition]
        self.proc = subprocess.Popen(args + (extra_args or []), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.proc.kill()
            raise RuntimeError(f"emulator did not print its URL: {line!r} {self.proc.stderr.read()[-2000:]}")
        self.url = line
        self.http = requests.Session()

    # control plane (design.md)
    def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = self.http.request(method, f"{self.url}/__emulator__/{path}", json=body, timeout=120)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats")

    def reset(self, **body: Any) -> Any:
        return self._call("POST", "reset", body or None)

    def records(self, module: str) -> dict[str, Any]:
        return self._call("GET", f"records/{module}")

    def mutate(self, **body: Any) -> Any:
        return self._call("POST", "mutate", body)

    def faults(self, rules: list[dict[str, Any]]) -> Any:
        return self._call("POST", "faults", {"rules": rules})

    def limits(self, **body: Any) -> Any:
        """Test knobs (docs/emulator.md): credits_allowance, credits_used, concurrency, token_ttl,
        page_token_ceiling, admin."""
        return self._call("POST", "limits", body)

    def config(self, **overrides: Any) -> dict[str, Any]:
        """A connector config whose accounts and API URLs are this emulator."""
        cfg = {
            "client_id": credentials.CLIENT_ID,
            "client_secret": credentials.CLIENT_SECRET,
            "refresh_token": credentials.REFRESH_TOKEN,
            "dc_region": "US",
            "environment": "Production",
            "accounts_url": self.url,
            "api_url": self.url,
            "start_datetime": "2015-01-01T00:00:00Z",
        }
        cfg.update(overrides)
        return cfg

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


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
