from __future__ import annotations

from datetime import datetime, timezone

import pytest

from source_zoho_crm.config import SourceConfig, SourceConfigError, check_against_spec
from source_zoho_crm.dates import format_utc, require_datetime
from zoho_crm_client import ZohoConfig

OLDER_SOURCE_CONFIG = {  # a config of the older Airbyte Zoho source, unchanged
    "client_id": "1000.X", "client_secret": "s", "refresh_token": "1000.r", "dc_region": "EU",
    "environment": "Sandbox", "edition": "Professional", "start_datetime": "2000-01-01 13:00",
}


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-01", "2024-05-01T00:00:00Z"),
    ("2024-05-01 13:00", "2024-05-01T13:00:00Z"),
    ("2024-05-01T13:00:00Z", "2024-05-01T13:00:00Z"),
    ("2024-05-01T13:00+00:00", "2024-05-01T13:00:00Z"),
    ("2024-05-01T13:00:00-07:00", "2024-05-01T20:00:00Z"),
    ("2024-05-01T10:15:00+05:30", "2024-05-01T04:45:00Z"),
])
def test_given_any_accepted_date_format_when_parsing_then_it_is_utc(text: str, expected: str) -> None:
    assert format_utc(require_datetime(text)) == expected


def test_given_the_older_sources_config_when_loading_then_it_is_accepted() -> None:
    config = SourceConfig.from_mapping(OLDER_SOURCE_CONFIG)

    assert config.start == datetime(2000, 1, 1, 13, tzinfo=timezone.utc)
    assert config.include_deleted is True
    assert config.modules is None


def test_given_the_older_sources_config_when_the_client_reads_it_then_it_is_accepted_too() -> None:
    config = ZohoConfig.from_mapping(OLDER_SOURCE_CONFIG)

    assert (config.dc_region, config.environment, config.edition) == ("EU", "Sandbox", "professional")


def test_given_a_bad_start_date_when_loading_then_the_error_names_the_key() -> None:
    with pytest.raises(SourceConfigError, match="start_datetime"):
        SourceConfig.from_mapping({"start_datetime": "last tuesday"})


def test_given_a_coql_query_with_its_own_limit_when_loading_then_it_is_refused() -> None:
    with pytest.raises(SourceConfigError, match=r"coql_streams\[0\].query: remove the LIMIT"):
        SourceConfig.from_mapping({"coql_streams": [{"name": "q", "query": "select id from Leads where id is not null limit 5"}]})


def test_given_two_custom_streams_with_one_name_when_loading_then_it_is_refused() -> None:
    with pytest.raises(SourceConfigError, match="used twice"):
        SourceConfig.from_mapping({
            "coql_streams": [{"name": "x", "query": "select id from Leads where id is not null"}],
            "search_streams": [{"name": "x", "module": "Leads", "criteria": "(Email:equals:a@b.c)"}],
        })


def test_given_coql_and_search_streams_when_loading_then_defaults_are_filled() -> None:
    config = SourceConfig.from_mapping({
        "coql_streams": [{"name": "q", "query": "select Last_Name, Modified_Time from Leads where id is not null",
                          "cursor_field": "Modified_Time"}],
        "search_streams": [{"name": "s", "module": "Leads", "criteria": "(Email:equals:a@b.c)"}],
        "max_concurrent_requests": 3,
    })

    assert config.coql_streams[0].primary_key == ("id",)
    assert config.search_streams[0].module == "Leads"
    assert config.max_concurrent_requests == 3


def test_given_a_coql_cursor_the_query_does_not_select_when_loading_then_it_is_refused() -> None:
    # each page resumes after the last row's cursor value; without it the read never advanced (issue 12)
    with pytest.raises(SourceConfigError, match=r"coql_streams\[0\].cursor_field: 'Modified_Time' is not among"):
        SourceConfig.from_mapping({"coql_streams": [{"name": "q", "cursor_field": "Modified_Time",
                                                     "query": "select Last_Name from Leads where id is not null"}]})


@pytest.mark.parametrize(("change", "key"), [
    ({"dc_region": "Atlantis"}, "dc_region"),
    ({"api_credit_budget": "plenty"}, "api_credit_budget"),
    ({"coql_streams": [{"name": "x"}]}, "coql_streams.0"),
])
def test_given_a_value_the_spec_refuses_when_loading_then_the_error_starts_with_its_key(
        change: dict, key: str) -> None:
    with pytest.raises(SourceConfigError, match=rf"^{key}"):
        check_against_spec({**OLDER_SOURCE_CONFIG, **change})


def test_given_a_secret_of_the_wrong_type_when_loading_then_the_error_names_it_without_its_value() -> None:
    with pytest.raises(SourceConfigError) as caught:
        check_against_spec({**OLDER_SOURCE_CONFIG, "client_secret": 918273645})

    assert str(caught.value).startswith("client_secret:") and "918273645" not in str(caught.value)


def test_given_a_missing_key_when_loading_then_the_error_names_it() -> None:
    with pytest.raises(SourceConfigError, match="'refresh_token' is a required property"):
        check_against_spec({k: v for k, v in OLDER_SOURCE_CONFIG.items() if k != "refresh_token"})
