"""One reliability scenario: its emulators, its connector runs (kept for the secret scan), its row in the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from integration_tests.chaos import report
from integration_tests.chaos.leaks import find_leaks
from integration_tests.chaos.runs import Recorder
from integration_tests.chaos.verdict import Verdict
from integration_tests.harness import Emulator
from zoho_crm_emulator import credentials

# Retries in seconds rather than minutes: the client's backoff starts at 5 s in production
# (docs/zoho-api.md section 11.2).
FAST_RETRIES = {"retry_base_seconds": 0.01, "retry_max_seconds": 0.05}


class Scenario:
    """One reliability scenario: its emulators, its connector runs, its row in the table."""

    def __init__(self, item: pytest.Item, start: Callable[..., Emulator]) -> None:
        self.item = item
        self.start = start
        self.recorder = Recorder()
        self.secrets: dict[str, str] = {}  # more values to scan for, by name (e.g. a token a test served itself)

    def emulator(self, **kwargs: Any) -> Emulator:
        return self.start(**kwargs)

    @property
    def case(self) -> str:
        """The parametrize id of the running test (`test_x[unknown region]` -> `unknown region`)."""
        return self.item.name.partition("[")[2].rstrip("]")

    def config(self, emu: Emulator, **overrides: Any) -> dict[str, Any]:
        return emu.config(**{**FAST_RETRIES, **overrides})

    def report(self, faults: str, verdict: Verdict, note: str = "", name: str | None = None) -> None:
        default = self.item.name.partition("[")[0].removeprefix("test_").replace("_", " ")
        row = report.Row(name or default, faults, verdict.expected, verdict.received,
                         len(verdict.lost), len(verdict.duplicated), note)
        report.record_row(self.item, row)

    def leaks(self) -> list[str]:
        secrets = {"client_secret": credentials.CLIENT_SECRET, "refresh_token": credentials.REFRESH_TOKEN,
                   **self.secrets}
        return find_leaks(self.recorder.transcripts, secrets)
