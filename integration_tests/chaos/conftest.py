"""Fixtures of the reliability suite; the table hooks live in report.py (see `report.register`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from integration_tests.chaos import report
from integration_tests.chaos.scenario import Scenario
from integration_tests.harness import Emulator


def pytest_configure(config: pytest.Config) -> None:
    report.register(config)


@pytest.fixture
def scenario(request: pytest.FixtureRequest, emulator_factory: Callable[..., Emulator]) -> Iterator[Scenario]:
    """Every run of the scenario is scanned for secrets at teardown, whatever the scenario asserts."""
    chaos = Scenario(request.node, emulator_factory)
    yield chaos
    leaks = chaos.leaks()
    report.record_scanned(request.node, len(chaos.recorder.transcripts))
    assert not leaks, f"secrets in connector output: {leaks}"
