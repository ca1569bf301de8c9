"""The emulator as a child process, and a client for its control plane.

One launcher for everything that runs the emulator beside the connectors: the integration tests, the demo
and the benchmarks. The connectors never import it (docs/architecture.md).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from zoho_crm_emulator import credentials


def executable() -> str:
    """The console script beside the running interpreter (a venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "zoho-crm-emulator"
    return str(beside) if beside.exists() else (shutil.which("zoho-crm-emulator") or "zoho-crm-emulator")


class EmulatorProcess:
    """`zoho-crm-emulator --port 0` on 127.0.0.1; its first stdout line is its base URL (design.md).

    Its stderr goes to a temporary file, not a pipe: a long run makes many requests, and an undrained pipe
    would block the server once its buffer filled.
    """

    def __init__(self, *, records: int = 100, seed: int = 7, latency_ms: float = 0, edition: str = "enterprise",
                 extra_args: list[str] | None = None, env: dict[str, str] | None = None,
                 timeout: float = 120):
        args = [executable(), "--host", "127.0.0.1", "--port", "0", "--seed", str(seed), "--records", str(records),
                "--latency-ms", str(latency_ms), "--edition", edition, *(extra_args or [])]
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; stop() closes it
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=env)
        # Seeding a large org takes a while: the URL line arrives when it is done.
        line = self.proc.stdout.readline().strip() if self.proc.stdout else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"the emulator did not print its URL: {line!r}: {self.stderr_tail()}")
        self.url = line
        self.http = requests.Session()
        self._timeout = timeout

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()

    def stderr_tail(self, size: int = 2000) -> str:
        if self._stderr.closed:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-size:]

    def config(self, **overrides: Any) -> dict[str, Any]:
        """Connector auth keys for this emulator: its OAuth client, and its URL as accounts and API host."""
        return {"client_id": credentials.CLIENT_ID, "client_secret": credentials.CLIENT_SECRET,
                "refresh_token": credentials.REFRESH_TOKEN, "dc_region": "US", "environment": "Production",
                "accounts_url": self.url, "api_url": self.url, **overrides}

    # The control plane (design.md, "Emulator control plane"; docs/emulator.md for `limits`).
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
        """Test knobs: credits_allowance, credits_used, concurrency, token_ttl, page_token_ceiling, admin,
        deleted_denied, deleted_denied_code, job_seconds."""
        return self._call("POST", "limits", body)

    def advance_formula_clock(self, days: int) -> Any:
        """Moves Now() in formulas by `days` (zoho_crm_emulator/formulas.py); Modified_Time stays."""
        return self._call("POST", "clock", {"advance_days": days})

    def refresh_token(self, scopes: list[str] | str) -> str:
        """A refresh token of the emulator's client granted only `scopes` (docs/emulator.md)."""
        return self._call("POST", "refresh_tokens", {"scopes": scopes})["refresh_token"]

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = self.http.request(method, f"{self.url}/__emulator__/{path}", json=body, timeout=self._timeout)
        resp.raise_for_status()
        return resp.json() if resp.content else None
