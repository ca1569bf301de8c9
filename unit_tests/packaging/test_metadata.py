"""Both metadata.yaml files are valid for Airbyte's registry and agree with the project."""

from __future__ import annotations

from fnmatch import fnmatch
from urllib.parse import urlsplit

import pytest
from airbyte_cdk.models.connector_metadata import ConnectorLanguage, MetadataFile
from airbyte_connector_models.metadata.v0.connector_metadata_definition_v0 import (
    ConnectorMetadataDefinitionV0,
)

from unit_tests.packaging.project import METADATA_FILES, connector_name, metadata
from zoho_crm_client.regions import REGIONS

CONNECTOR_TYPES = tuple(METADATA_FILES)


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_given_a_metadata_file_then_airbytes_strict_registry_model_accepts_it(connector_type: str) -> None:
    # ConnectorMetadataDefinitionV0 forbids unknown keys and checks enums, uuids and urls, as the
    # registry's upload does; the CDK's own MetadataFile is what `airbyte-cdk image build` reads.
    model = ConnectorMetadataDefinitionV0.model_validate(metadata(connector_type))
    cdk_model = MetadataFile.from_file(METADATA_FILES[connector_type])

    assert model.data.connector_type.value == connector_type
    assert model.data.connector_subtype.value == "api"
    assert cdk_model.data.language is ConnectorLanguage.PYTHON


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_given_a_metadata_file_then_its_names_follow_the_connector_name(connector_type: str) -> None:
    data = metadata(connector_type)["data"]
    name = connector_name(connector_type)

    assert data["dockerRepository"] == f"airbyte/{name}"
    assert data["githubIssueLabel"] == name
    assert data["documentationUrl"].endswith(f"/{connector_type}s/zoho-crm")


def test_the_two_connectors_have_distinct_fixed_definition_ids() -> None:
    ids = {metadata(t)["data"]["definitionId"] for t in CONNECTOR_TYPES}

    assert len(ids) == len(CONNECTOR_TYPES)


@pytest.mark.parametrize("connector_type", CONNECTOR_TYPES)
def test_allowed_hosts_cover_every_host_of_the_clients_data_centre_table(connector_type: str) -> None:
    # Airbyte Cloud blocks any host not listed; regions.py is where the connectors take their hosts from.
    patterns = metadata(connector_type)["data"]["allowedHosts"]["hosts"]
    urls = [url for dc in REGIONS.values() for url in (dc.accounts, *dc.api_domains)]

    missing = [url for url in urls if not any(fnmatch(urlsplit(url).hostname, p) for p in patterns)]
    assert missing == []
