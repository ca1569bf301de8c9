"""Where the demo keeps its files, and the environment that keeps PyAirbyte offline.

PyAirbyte reads these variables once, when `airbyte` is first imported (airbyte/constants.py), so
`offline_environment()` must run before that import.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / ".demo"
BIN = Path(sys.executable).parent

SOURCE = "source-zoho-crm"
DESTINATION = "destination-zoho-crm"

# Seed for the emulator: 200 records in each standard module is enough to page and small enough to be quick.
SEED, RECORDS = 7, 200


def executable(name: str) -> Path:
    """A console script of this project, installed beside the running interpreter (.venv/bin)."""
    return BIN / name


def offline_environment() -> dict[str, str]:
    """PyAirbyte settings: no registry lookup, no telemetry, every file under .demo/."""
    return {
        "AIRBYTE_OFFLINE_MODE": "1",  # no registry fetch, no telemetry (airbyte/constants.py)
        "AIRBYTE_LOCAL_REGISTRY": "0",  # "0" disables the registry outright (airbyte/registry.py)
        "DO_NOT_TRACK": "1",  # telemetry off in every PyAirbyte version (airbyte/_util/telemetry.py)
        "AIRBYTE_PROJECT_DIR": str(DEMO_DIR),
        "AIRBYTE_CACHE_ROOT": str(DEMO_DIR / "cache"),  # home of the default DuckDB cache
        "AIRBYTE_LOGGING_ROOT": str(DEMO_DIR / "logs"),
        "NO_LIVE_PROGRESS": "1",  # plain progress lines instead of a live terminal widget
    }


def apply_offline_environment() -> None:
    DEMO_DIR.mkdir(exist_ok=True)
    os.environ.update(offline_environment())


def reset_cache() -> None:
    """Forget the previous run: its state and rows belong to an emulator that no longer exists."""
    shutil.rmtree(DEMO_DIR / "cache", ignore_errors=True)
