"""The reliability table: one row per scenario, printed at the end of the session and saved as JSON.

A scenario records its row on its test item (`user_properties`), which pytest-xdist ships from the worker to the
controller; the controller's `ReliabilityReport` plugin gathers the rows, prints the table and writes
`.pytest_cache/d/chaos/reliability.json`, the source of the table in docs/reliability.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

ROW = "chaos_row"
SCANNED = "chaos_scanned"
PLUGIN_NAME = "chaos-reliability-report"
COLUMNS = ("scenario", "faults", "expected", "received", "lost", "duplicated", "outcome", "note")


@dataclass(frozen=True)
class Row:
    scenario: str
    faults: str
    expected: int
    received: int
    lost: int
    duplicated: int
    note: str = ""


def record_row(item: pytest.Item, row: Row) -> None:
    item.user_properties.append((ROW, asdict(row)))


def record_scanned(item: pytest.Item, outputs: int) -> None:
    item.user_properties.append((SCANNED, outputs))


class ReliabilityReport:
    """Controller-side collector; registered once per session by `register`."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.outcomes: dict[str, str] = {}
        self.scanned = 0

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.skipped:
            self.outcomes[report.nodeid] = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        if report.when != "teardown":
            return
        # the teardown report carries every property, including the secret scan done at teardown
        outcome = "error" if report.failed else self.outcomes.get(report.nodeid, "error")
        for name, value in report.user_properties:
            if name == ROW:
                self.rows.append({**value, "outcome": outcome})
            elif name == SCANNED:
                self.scanned += value

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        if not self.rows or hasattr(config, "workerinput"):
            return
        rows = sorted(self.rows, key=lambda r: r["scenario"])
        terminalreporter.section("reliability (issue 7)")
        for line in render(rows):
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"secret scan: {self.scanned} connector outputs scanned")
        path = save(config, rows, self.scanned)
        terminalreporter.write_line(f"saved to {path}")


def register(config: pytest.Config) -> None:
    """Idempotent: the integration_tests conftest (xdist controller) and the chaos conftest both call it."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(ReliabilityReport(), PLUGIN_NAME)


def render(rows: list[dict[str, Any]]) -> list[str]:
    """A plain-text table, widest cell per column; also used for the Markdown table of docs/reliability.md."""
    cells = [list(COLUMNS)] + [[str(r.get(c, "")) for c in COLUMNS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def markdown(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS) + "\n"
    return head + "".join("| " + " | ".join(str(r.get(c, "")) for c in COLUMNS) + " |\n" for r in rows)


def save(config: pytest.Config, rows: list[dict[str, Any]], scanned: int) -> Path:
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    folder = cache.mkdir("chaos") if cache else Path(config.rootpath, ".pytest_cache", "chaos")
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(folder, "reliability.json")
    path.write_text(json.dumps({"rows": rows, "outputs_scanned": scanned}, indent=1))
    return path
