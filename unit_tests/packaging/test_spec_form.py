"""What Airbyte's form and docs checks see: one spelling per enum, test-only keys hidden, published docs that stand
alone (absolute links, no internal references) and the destination's sync-modes table."""

from __future__ import annotations

import re

import pytest
from airbyte_cdk.models import ConnectorSpecificationSerializer

from destination_zoho_crm.spec import config_problem
from destination_zoho_crm.spec import specification as destination_spec
from source_zoho_crm.config import check_against_spec
from source_zoho_crm.spec import specification as source_spec
from unit_tests.packaging.project import ROOT

SPECS = {"source": source_spec, "destination": destination_spec}
HIDDEN = {"source": ("accounts_url", "api_url"),
          "destination": ("accounts_url", "api_url", "reject_file", "results_file")}
PUBLISHED_DOCS = ("source.md", "destination.md")  # what docs.airbyte.com shows; the rest stays in the repository
AUTH = {"client_id": "1000.X", "client_secret": "secret-value", "refresh_token": "1000.r.t"}


def properties(connector_type: str) -> dict:
    spec = ConnectorSpecificationSerializer.dump(SPECS[connector_type]())
    return spec["connectionSpecification"]["properties"]


def test_both_specs_spell_each_shared_enum_the_same() -> None:
    source, destination = properties("source"), properties("destination")
    shared = [k for k in source if k in destination and "enum" in source[k]]

    assert {"edition", "dc_region", "environment"} <= set(shared)
    assert all(source[k]["enum"] == destination[k]["enum"] for k in shared)


@pytest.mark.parametrize("connector_type", SPECS)
def test_test_only_keys_are_hidden_from_the_form(connector_type: str) -> None:
    props = properties(connector_type)

    assert all(props[key].get("airbyte_hidden") is True for key in HIDDEN[connector_type])
    assert not any(p.get("airbyte_hidden") for k, p in props.items() if k not in HIDDEN[connector_type])


def test_a_config_with_another_spelling_of_an_enum_value_passes_both_spec_checks() -> None:
    old = {**AUTH, "edition": "free", "dc_region": "eu", "environment": "sandbox"}

    check_against_spec(old)  # raises on a problem
    assert config_problem(old) is None


def test_a_value_that_is_no_member_in_any_case_is_still_refused_naming_the_key() -> None:
    assert "edition" in (config_problem({**AUTH, "edition": "platinum"}) or "")


@pytest.mark.parametrize("page", PUBLISHED_DOCS)
def test_published_docs_link_absolutely_and_name_no_internal_work(page: str) -> None:
    text = (ROOT / "docs" / page).read_text()

    relative = [target for target in re.findall(r"\]\(([^)]+)\)", text) if not target.startswith(("https://", "#"))]
    assert relative == []
    assert not re.search(r"\bissue \d+|\bsession \d+", text, re.IGNORECASE)


def test_the_destination_doc_has_airbytes_supported_sync_modes_table() -> None:
    text = (ROOT / "docs" / "destination.md").read_text()

    section = text.split("## Supported sync modes", 1)[1].split("\n## ", 1)[0]
    for mode in ("Full Refresh - Overwrite", "Full Refresh - Append", "Incremental - Append",
                 "Incremental - Append + Deduped"):
        assert f"| {mode} |" in section
