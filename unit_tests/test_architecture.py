"""The dependency direction of docs/architecture.md: connector -> client -> HTTP; the emulator stands apart.
What both connectors share on the Airbyte side (zoho_crm_airbyte) sits between them and the client."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> top-level modules it must never import
FORBIDDEN = {
    "source_zoho_crm": {"requests", "urllib3", "http", "zoho_crm_emulator", "destination_zoho_crm"},
    "destination_zoho_crm": {"requests", "urllib3", "http", "zoho_crm_emulator", "source_zoho_crm"},
    "zoho_crm_airbyte": {"requests", "urllib3", "http", "zoho_crm_emulator", "source_zoho_crm", "destination_zoho_crm"},
    "zoho_crm_client": {"airbyte_cdk", "source_zoho_crm", "destination_zoho_crm", "zoho_crm_emulator",
                        "zoho_crm_airbyte"},
    "zoho_crm_emulator": {"source_zoho_crm", "destination_zoho_crm", "zoho_crm_client", "airbyte_cdk",
                          "zoho_crm_airbyte"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_respect_the_dependency_direction(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
