from __future__ import annotations

import jsonschema

from source_zoho_crm.spec import CONNECTION_SPECIFICATION, specification
from unit_tests.source.test_config import OLDER_SOURCE_CONFIG

DESIGN_KEYS = {"client_id", "client_secret", "refresh_token", "dc_region", "environment", "start_datetime",
               "accounts_url", "api_url", "modules", "include_deleted", "coql_streams", "search_streams",
               "max_concurrent_requests", "api_credit_budget", "bulk_read", "formula_refresh"}


def test_given_the_spec_then_every_design_key_has_a_title_description_order_and_group() -> None:
    properties = CONNECTION_SPECIFICATION["properties"]

    assert set(properties) >= DESIGN_KEYS
    for key, prop in properties.items():
        assert prop.get("title") and prop.get("description"), key
        assert isinstance(prop.get("order"), int) and prop.get("group"), key


def test_given_the_spec_then_exactly_the_credentials_are_secret() -> None:
    secret = {k for k, p in CONNECTION_SPECIFICATION["properties"].items() if p.get("airbyte_secret")}

    assert secret == {"client_id", "client_secret", "refresh_token"}


def test_given_the_older_sources_config_then_it_validates_against_the_spec() -> None:
    jsonschema.validate({**OLDER_SOURCE_CONFIG, "start_datetime": None}, CONNECTION_SPECIFICATION)
    jsonschema.validate(OLDER_SOURCE_CONFIG, CONNECTION_SPECIFICATION)


def test_given_the_spec_then_the_oauth_flow_fills_the_refresh_token_and_client() -> None:
    oauth = specification().advanced_auth.oauth_config_specification

    assert specification().advanced_auth.auth_flow_type.value == "oauth2.0"
    assert oauth.complete_oauth_output_specification["properties"]["refresh_token"][
        "path_in_connector_config"] == ["refresh_token"]
    assert set(oauth.complete_oauth_server_output_specification["properties"]) == {"client_id", "client_secret"}
