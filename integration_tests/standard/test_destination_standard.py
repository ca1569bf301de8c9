"""The Airbyte CDK's standard destination suite (spec, check) against the emulator."""

from __future__ import annotations

from pathlib import Path

from airbyte_cdk.test.standard_tests import DestinationTestSuiteBase

from destination_zoho_crm.destination import DestinationZohoCrm

# The destination's connector root: its metadata.yaml and acceptance-test-config.yml (the source's
# are at the repository root, where the CDK would look first).
CONNECTOR_ROOT = Path(__file__).resolve().parents[2] / "destination_metadata"


class TestDestinationZohoCrmStandard(DestinationTestSuiteBase):
    connector = DestinationZohoCrm
    connector_name = "destination-zoho-crm"

    @classmethod
    def get_connector_root_dir(cls) -> Path:
        return CONNECTOR_ROOT
