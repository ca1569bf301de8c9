from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from integration_tests.harness import Emulator
from zoho_crm_client import ZohoClient, ZohoConfig


def make_client(emu: Emulator, **overrides: Any) -> ZohoClient:
    """A client for `emu` whose backoff never really waits long (retry_base_seconds 0)."""
    settings = {"retry_base_seconds": 0, "max_concurrent_requests": 5, **overrides}
    return ZohoClient(ZohoConfig.from_mapping(emu.config(**settings)))


@pytest.fixture
def zoho(emulator: Emulator) -> Iterator[ZohoClient]:
    emulator.faults([])
    with make_client(emulator) as client:
        yield client


@pytest.fixture(scope="module")
def big_emulator() -> Iterator[Emulator]:
    """2,100 records per module: enough to page past the 2,000-row page ceiling and COQL's LIMIT 2,000."""
    emu = Emulator(records=2100)
    yield emu
    emu.stop()


@pytest.fixture
def client_for() -> Iterator[Callable[..., ZohoClient]]:
    made: list[ZohoClient] = []

    def build(emu: Emulator, **overrides: Any) -> ZohoClient:
        made.append(make_client(emu, **overrides))
        return made[-1]

    yield build
    for client in made:
        client.close()
