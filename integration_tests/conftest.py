from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from integration_tests.chaos import report as chaos_report
from integration_tests.harness import Emulator


def pytest_configure(config: pytest.Config) -> None:
    # The xdist controller loads only this conftest, so the reliability table (integration_tests/chaos) is
    # gathered and printed from here; registering is idempotent.
    chaos_report.register(config)


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    """Start emulators with custom arguments; every one is stopped at teardown."""
    started: list[Emulator] = []

    def start(**kwargs) -> Emulator:
        emu = Emulator(**kwargs)
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """One seeded emulator per test module (100 records per module); reset it in tests that change data."""
    emu = Emulator(records=100)
    yield emu
    emu.stop()
