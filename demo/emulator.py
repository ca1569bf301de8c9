"""The emulator as a child process of the demo: started on a free port, stopped whatever happens."""

from __future__ import annotations

import signal
import subprocess
from types import TracebackType
from typing import Any

import requests

from demo.settings import EMULATOR, executable
from zoho_crm_emulator import credentials


class EmulatorProcess:
    """`zoho-crm-emulator --port 0`; its first stdout line is its base URL (design.md, console scripts)."""

    def __init__(self, *, seed: int, records: int):
        self._args = [str(executable(EMULATOR)), "--host", "127.0.0.1", "--port", "0",
                      "--seed", str(seed), "--records", str(records)]
        self._proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> EmulatorProcess:
        self._proc = subprocess.Popen(self._args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self._proc.stdout.readline().strip() if self._proc.stdout else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"the emulator did not start: {line!r}")
        self.url = line
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def config(self, **extra: Any) -> dict[str, Any]:
        """Connector auth keys for this emulator: its OAuth client and its URL as accounts and API host."""
        return {"client_id": credentials.CLIENT_ID, "client_secret": credentials.CLIENT_SECRET,
                "refresh_token": credentials.REFRESH_TOKEN, "dc_region": "US", "environment": "Production",
                "accounts_url": self.url, "api_url": self.url, **extra}

    # The control plane (design.md, "Emulator control plane").
    def mutate(self, module: str, *, create: int = 0, update: int = 0, delete: int = 0) -> dict[str, Any]:
        return self._call("POST", "mutate", {"module": module, "create": create, "update": update,
                                              "delete": delete, "same_second": True})

    def records(self, module: str) -> dict[str, Any]:
        return self._call("GET", f"records/{module}")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = requests.request(method, f"{self.url}/__emulator__/{path}", json=body, timeout=60)
        resp.raise_for_status()
        return resp.json() if resp.content else None
