from __future__ import annotations

import pytest

from integration_tests.emulator.api import Api


@pytest.fixture(scope="module")
def api(emulator):
    """An authorised client of this module's emulator (integration_tests/emulator/api.py)."""
    return Api(emulator)


@pytest.fixture
def fresh_org(emulator):
    """Back to the freshly seeded org before the test (the writes tests change it)."""
    emulator.reset()
