"""One `zoho-crm-emulator` subprocess per scenario, and the API-call arithmetic on its stats.

The emulator's stderr goes to a temporary file rather than a pipe: a benchmark makes hundreds of thousands
of requests, and an undrained pipe would block the server once its buffer filled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Any

import requests

from benchmarks.process import child_env, script
from zoho_crm_emulator import credentials

# Routes that are not Zoho CRM API calls: the OAuth server and the emulator's own control plane
# (design.md, "Emulator control plane"). Token refreshes cost no API credits.
NOT_API = ("/oauth/", "/__emulator__")


@dataclass(frozen=True)
class ApiUse:
    """What one run cost the API: calls by route and credits (deltas of /__emulator__/stats)."""

    calls: int
    credits: int
    by_route: dict[str, int]


def api_use(before: dict[str, Any], after: dict[str, Any]) -> ApiUse:
    """The API calls and credits spent between two stats snapshots, control plane and OAuth excluded."""
    routes = {}
    for route, count in after.get("by_route", {}).items():
        delta = count - before.get("by_route", {}).get(route, 0)
        if delta and not any(marker in route for marker in NOT_API):
            routes[route] = delta
    credits = after.get("credits_used", 0) - before.get("credits_used", 0)
    return ApiUse(sum(routes.values()), credits, routes)


class BenchEmulator:
    """A seeded emulator on 127.0.0.1 with an ephemeral port; use as a context manager."""

    def __init__(self, *, records: int, latency_ms: float = 0, edition: str = "enterprise", seed: int = 7,
                 extra_args: list[str] | None = None):
        args = [script("zoho-crm-emulator"), "--host", "127.0.0.1", "--port", "0", "--seed", str(seed),
                "--records", str(records), "--latency-ms", str(latency_ms), "--edition", edition]
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; stop() closes it
        self.proc = subprocess.Popen(args + (extra_args or []), stdout=subprocess.PIPE, stderr=self._stderr,
                                     text=True, env=child_env())
        # Seeding large orgs takes a while; the first stdout line (the URL) arrives when it is done.
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"emulator did not print its URL: {line!r}: {self.stderr_tail()}")
        self.url = line
        self.http = requests.Session()

    def __enter__(self) -> BenchEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = self.http.request(method, f"{self.url}/__emulator__/{path}", json=body, timeout=600)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats")

    def records(self, module: str) -> dict[str, Any]:
        return self._call("GET", f"records/{module}")

    def mutate(self, **body: Any) -> Any:
        return self._call("POST", "mutate", body)

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
            "start_datetime": "2000-01-01T00:00:00Z",
        }
        cfg.update(overrides)
        return cfg

    def cpu_seconds(self) -> float:
        """The server's own user + system CPU so far (/proc/<pid>/stat fields 14 and 15, in clock ticks)."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stderr_tail(self, size: int = 2000) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-size:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()
