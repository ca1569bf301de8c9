"""The Airbyte CDK's standard source suite (spec, check, discover, read) against the emulator."""

from __future__ import annotations

from pathlib import Path

from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from source_zoho_crm.source import SourceZohoCrm

ROOT = Path(__file__).resolve().parents[2]


class TestSourceZohoCrmStandard(SourceTestSuiteBase):
    connector = SourceZohoCrm
    # The CDK would name the connector after the root folder (the clone's name); ours is fixed.
    connector_name = "source-zoho-crm"

    @classmethod
    def get_connector_root_dir(cls) -> Path:
        return ROOT
