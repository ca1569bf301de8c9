from __future__ import annotations

from pathlib import Path

import pytest

from integration_tests.actions.cli import config_file
from integration_tests.harness import Emulator


@pytest.fixture(scope="module")
def config(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `--config` file for the module's emulator, as a user writes it for the source."""
    return config_file(emulator, tmp_path_factory.mktemp("zoho-crm"))
