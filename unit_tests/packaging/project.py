"""The project facts the packaging tests compare against: pyproject.toml and both metadata files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[2]

# connector type -> its metadata.yaml (the source's at the root, as design.md's layout asks)
METADATA_FILES = {
    "source": ROOT / "metadata.yaml",
    "destination": ROOT / "destination_metadata" / "metadata.yaml",
}


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def console_scripts() -> dict[str, str]:
    return pyproject()["project"]["scripts"]


def metadata(connector_type: str) -> dict[str, Any]:
    return yaml.safe_load(METADATA_FILES[connector_type].read_text())


def connector_name(connector_type: str) -> str:
    """`source-zoho-crm` / `destination-zoho-crm`: the console script, image and registry name."""
    return f"{connector_type}-zoho-crm"
