"""The source is a drop-in major upgrade of Airbyte's own Zoho CRM source (0.3.6 on PyPI).

What the upstream connector published is kept in fixtures/upstream_source_0_3_6.json (its spec, id, image and
stream naming); these tests replay the offline part of Airbyte's pre-upload checks against it: the tag is not
decremented, a major version declares its breaking change with a migration guide, and the spec keeps every
saved upstream config valid (the CDK's own backward-compatibility comparison).
"""

from __future__ import annotations

import json
import re

import pytest
from airbyte_cdk.models import ConnectorSpecificationSerializer
from airbyte_cdk.test.standard_tests._spec_compatibility import (
    compare_specs,
    declared_breaking_changes,
    is_newer_version,
)
from packaging.version import Version

from source_zoho_crm.config import SourceConfig
from source_zoho_crm.spec import specification
from unit_tests.packaging.project import ROOT, metadata

UPSTREAM = json.loads((ROOT / "unit_tests" / "packaging" / "fixtures" / "upstream_source_0_3_6.json").read_text())
DOCS = ROOT / "docs"


def test_the_source_upgrades_the_upstream_connector_in_place() -> None:
    data = metadata("source")["data"]

    assert data["definitionId"] == UPSTREAM["definitionId"]
    assert data["dockerRepository"] == UPSTREAM["dockerRepository"]
    assert is_newer_version(data["dockerImageTag"], UPSTREAM["version"])


def test_a_new_major_version_declares_its_breaking_change_with_a_migration_guide() -> None:
    data = metadata("source")["data"]
    tag = data["dockerImageTag"]

    declared = declared_breaking_changes(data, UPSTREAM["version"], tag)
    assert Version(tag).major > Version(UPSTREAM["version"]).major
    assert declared == [tag]
    change = data["releases"]["breakingChanges"][tag]
    assert change["migrationDocumentationUrl"].endswith("/sources/zoho-crm-migrations")
    assert (DOCS / "source-migrations.md").is_file()


def test_every_config_the_upstream_spec_accepts_stays_valid() -> None:
    current = ConnectorSpecificationSerializer.dump(specification())

    comparison = compare_specs(UPSTREAM["spec"], current)

    assert comparison.breaking == []


@pytest.mark.parametrize("region", UPSTREAM["spec"]["connectionSpecification"]["properties"]["dc_region"]["enum"])
def test_a_saved_upstream_config_is_read_unchanged(region: str) -> None:
    saved = {"client_id": "1000.X", "client_secret": "s", "refresh_token": "1000.r.t", "dc_region": region,
             "environment": "Sandbox", "start_datetime": "2000-01-01 13:00", "max_concurrent_requests": 30}

    config = SourceConfig.from_mapping(saved)

    assert config.max_concurrent_requests == 30


def test_the_migration_guide_names_every_upstream_stream_rename() -> None:
    guide = (DOCS / "source-migrations.md").read_text()

    for module, old_name in UPSTREAM["stream_names"].items():
        if not module.startswith("_"):
            assert re.search(rf"`{old_name}`\s*\|\s*`{module}`", guide), old_name
