"""Runs the real `zoho-crm` console script against an emulator, as a user's shell would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from integration_tests.harness import Emulator, script

ZOHO_CRM = script("zoho-crm")


def config_file(emulator: Emulator, folder: Path, **overrides: Any) -> Path:
    path = folder / "config.json"
    path.write_text(json.dumps(emulator.config(**overrides)))
    return path


def zoho_crm(config: Path | None, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`zoho-crm ARGS --config CONFIG` (no --config when `config` is None)."""
    command = [ZOHO_CRM, *args, *(["--config", str(config)] if config else [])]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120)


def lines(run: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    """stdout as JSON lines; fails with stderr when the command did not end as expected."""
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def ok(run: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-2000:]}"
    return lines(run)


def jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def truth(emulator: Emulator, module: str) -> dict[str, dict[str, Any]]:
    """The emulator's ground truth: live records by id, every field."""
    return {r["id"]: r for r in emulator.records(module)["live"]}


def same_values(printed: dict[str, Any], expected: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields of `expected` whose printed value differs (empty when the record came back whole)."""
    return {k: (printed.get(k, "<missing>"), v) for k, v in expected.items() if printed.get(k, "<missing>") != v}
