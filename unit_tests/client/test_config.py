from __future__ import annotations

import pytest

from unit_tests.client.builders import REFRESH, SECRET, config
from zoho_crm_client import ConfigError
from zoho_crm_client.regions import REGIONS


def test_given_lowercase_region_and_environment_when_parsed_then_canonical_names() -> None:
    cfg = config(dc_region="eu", environment="sandbox")
    assert (cfg.dc_region, cfg.environment) == ("EU", "Sandbox")
    assert cfg.data_centre.api_domain(cfg.environment) == "https://sandbox.zohoapis.eu"


@pytest.mark.parametrize(("value", "region"), [("com", "US"), ("com.au", "AU"), ("Ca", "CA"), ("SA", "SA")])
def test_given_an_alias_of_a_region_when_parsed_then_it_maps_to_the_data_centre(value: str, region: str) -> None:
    assert config(dc_region=value).dc_region == region


def test_every_region_has_the_hosts_of_section_1_1() -> None:
    assert set(REGIONS) == {"US", "EU", "IN", "AU", "CN", "JP", "CA", "SA"}
    assert REGIONS["CA"].accounts == "https://accounts.zohocloud.ca"
    assert REGIONS["AU"].developer == "https://developer.zohoapis.com.au"
    assert REGIONS["SA"].file_upload == "https://files.zoho.sa"
    assert config(dc_region="JP").token_url == "https://accounts.zoho.jp/oauth/v2/token"


@pytest.mark.parametrize(("key", "value"), [
    ("dc_region", "MARS"), ("environment", "staging"), ("max_concurrent_requests", 0),
    ("api_credit_budget", "lots"), ("client_id", ""), ("refresh_token", None), ("edition", "gold"),
])
def test_given_a_bad_value_when_parsed_then_the_error_names_the_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key):
        config(**{key: value})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "http://127.8.0.1"])
def test_given_plain_http_on_loopback_when_parsed_then_accepted(url: str) -> None:
    assert config(api_url=url, accounts_url=url + "/").accounts_url == url


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:80", "ftp://127.0.0.1"])
def test_given_plain_http_elsewhere_when_parsed_then_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="api_url"):
        config(api_url=url)


def test_secrets_never_appear_in_the_repr() -> None:
    text = repr(config())
    assert SECRET not in text and REFRESH not in text


def test_tuning_keys_have_the_defaults_of_section_11_2() -> None:
    cfg = config(max_retries=None)
    assert (cfg.retry_base_seconds, cfg.retry_max_seconds, cfg.max_retries) == (5.0, 300.0, 6)
