"""Runs the Airbyte CDK's standard suites against a live emulator.

The CDK parametrizes `scenario` from acceptance-test-config.yml at collection time, before any emulator
runs. Here the parametrization is indirect: the `scenario` fixture lays each scenario's config file over
a config that points at this module's emulator (an ephemeral port), so the suites run unchanged.
Image tests need a Docker engine, which CI does not have: they are deselected.
"""

from __future__ import annotations

from typing import Any

import pytest
from airbyte_cdk.test.models import ConnectorTestScenario

from integration_tests.harness import Emulator

# Markers the CDK's suites put on their tests; registered so that --strict-markers accepts them.
CDK_MARKERS = {
    "image_tests": "a CDK standard test that builds and runs the connector's Docker image (deselected here)",
    "requires_creds": "a CDK standard scenario that needs real credentials",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, help_text in CDK_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {help_text}")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "scenario" not in metafunc.fixturenames or metafunc.cls is None:
        return
    scenarios = metafunc.cls.get_scenarios()
    metafunc.parametrize("scenario", scenarios, ids=[s.id for s in scenarios], indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    image_tests = [item for item in items if item.get_closest_marker("image_tests")]
    if image_tests:
        config.hook.pytest_deselected(items=image_tests)
        items[:] = [item for item in items if not item.get_closest_marker("image_tests")]


@pytest.fixture
def scenario(request: pytest.FixtureRequest, emulator: Emulator) -> ConnectorTestScenario:
    """The scenario of acceptance-test-config.yml, its config completed with the emulator's URLs."""
    template: ConnectorTestScenario = request.param
    keys: dict[str, Any] = template.get_config_dict(
        connector_root=request.cls.get_connector_root_dir(), empty_if_missing=True)
    return template.model_copy(update={"config_dict": emulator.config(**keys)})
