"""The Airbyte CDK's standard source suite (spec, check, discover, read) against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from airbyte_cdk.test.models import ConnectorTestScenario
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skip(reason="needs source_zoho_crm.source (issue 4), not committed yet; enable when it lands")
class TestSourceZohoCrmStandard(SourceTestSuiteBase):
    # The CDK would name the connector after the root folder (the clone's name); ours is fixed.
    connector_name = "source-zoho-crm"

    @classmethod
    def get_connector_root_dir(cls) -> Path:
        return ROOT

    @classmethod
    def create_connector(cls, scenario: ConnectorTestScenario | None):
        from source_zoho_crm.source import SourceZohoCrm

        return SourceZohoCrm()
