from __future__ import annotations

import threading
from urllib.parse import parse_qs

import pytest
import requests
import requests_mock

from unit_tests.client.builders import (
    ACCESS,
    API,
    REFRESH,
    SECRET,
    TOKEN_URL,
    FakeTime,
    client,
    config,
    token_ok,
)
from zoho_crm_client import AuthError
from zoho_crm_client.auth import TokenProvider


def users(mock: requests_mock.Mocker, api: str = API) -> None:
    mock.get(f"{api}/crm/v8/users", json={"users": [{"id": "1", "email": "a@b.c"}]})


def test_refresh_grant_is_a_form_body_and_the_token_goes_in_the_zoho_header() -> None:
    with requests_mock.Mocker() as mock:
        token = token_ok(mock)
        users(mock)
        client().current_user()
    form = parse_qs(token.last_request.text)
    assert form == {"grant_type": ["refresh_token"], "client_id": ["1000.CLIENT"], "client_secret": [SECRET],
                    "refresh_token": [REFRESH]}
    assert token.last_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert mock.request_history[-1].headers["Authorization"] == f"Zoho-oauthtoken {ACCESS}"


def test_given_a_cached_token_when_it_nears_expiry_then_refreshed_60_seconds_early() -> None:
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token = token_ok(mock, expires_in=3600)
        provider = TokenProvider(config(), requests.Session(), clock=time.clock)
        provider.get()
        time.now += 3600 - 61
        provider.get()
        assert token.call_count == 1
        time.now += 2
        provider.get()
        assert token.call_count == 2


def test_given_two_threads_when_both_need_a_token_then_one_refresh() -> None:
    started = threading.Barrier(2)
    with requests_mock.Mocker() as mock:
        token = token_ok(mock)
        provider = TokenProvider(config(), requests.Session())
        seen = []

        def work() -> None:
            started.wait()
            seen.append(provider.get().value)

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
    assert seen == [ACCESS, ACCESS] and token.call_count == 1


def test_given_two_threads_rejected_with_the_same_token_then_one_refresh() -> None:
    with requests_mock.Mocker() as mock:
        token = token_ok(mock)
        provider = TokenProvider(config(), requests.Session())
        stale = provider.get()
        provider.invalidate(stale)
        fresh = provider.get()
        provider.invalidate(stale)  # the second thread's 401 carried the old token: nothing to do
        assert provider.get() is fresh and token.call_count == 2


@pytest.mark.parametrize("status", [200, 400])
def test_given_invalid_code_whatever_the_status_then_the_message_names_the_data_centre(status: int) -> None:
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, status_code=status, json={"error": "invalid_code"})
        with pytest.raises(AuthError) as caught:
            client().current_user()
    assert str(caught.value) == ("the refresh token is invalid, revoked, or from another data centre "
                                 "(configured: US, https://accounts.zoho.com)")


def test_given_invalid_client_then_the_message_says_unknown_in_that_data_centre() -> None:
    with requests_mock.Mocker() as mock:
        mock.post("https://accounts.zoho.eu/oauth/v2/token", json={"error": "invalid_client"})
        with pytest.raises(AuthError, match="client id is unknown in data centre EU"):
            client(config(dc_region="EU")).current_user()


def test_given_a_200_without_access_token_then_auth_error() -> None:
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json={"status": "failure"})
        with pytest.raises(AuthError, match="without an access token"):
            client().current_user()


def test_given_a_foreign_api_domain_and_no_override_then_refused_before_any_call() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock, api_domain="https://evil.example.com")
        with pytest.raises(AuthError, match="api_domain https://evil.example.com"):
            client().current_user()
        assert [r.hostname for r in mock.request_history] == ["accounts.zoho.com"]


def test_given_an_api_url_override_then_the_override_is_kept_whatever_api_domain_says() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock, api_domain="https://evil.example.com")
        users(mock, "http://127.0.0.1:9999")
        client(config(api_url="http://127.0.0.1:9999")).current_user()
        assert mock.request_history[-1].url.startswith("http://127.0.0.1:9999/crm/v8/users")


def test_given_a_sandbox_then_the_sandbox_domain_is_kept() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock, api_domain="https://www.zohoapis.com")
        users(mock, "https://sandbox.zohoapis.com")
        client(config(environment="Sandbox")).current_user()


def test_given_another_regional_domain_then_followed() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock, api_domain="https://developer.zohoapis.com")
        users(mock, "https://developer.zohoapis.com")
        client().current_user()


def test_given_accounts_url_override_then_its_own_host_is_trusted_as_api_domain() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock, url="http://127.0.0.1:7000/oauth/v2/token", api_domain="http://127.0.0.1:7000")
        users(mock, "http://127.0.0.1:7000")
        client(config(accounts_url="http://127.0.0.1:7000")).current_user()


def test_given_accounts_url_override_then_another_local_port_is_still_refused() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock, url="http://127.0.0.1:7000/oauth/v2/token", api_domain="http://127.0.0.1:7001")
        with pytest.raises(AuthError, match="api_domain"):
            client(config(accounts_url="http://127.0.0.1:7000")).current_user()


def test_expires_in_sec_wins_over_expires_in() -> None:
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token = mock.post(TOKEN_URL, json={"access_token": ACCESS, "api_domain": API, "expires_in": 3600000,
                                           "expires_in_sec": 3600})
        provider = TokenProvider(config(), requests.Session(), clock=time.clock)
        provider.get()
        time.now += 3600
        provider.get()
    assert token.call_count == 2


@pytest.mark.parametrize("failure", [
    {"status_code": 400, "json": {"error": "Access Denied", "status": "failure",
                                  "error_description": "You have made too many requests continuously."}},
    {"status_code": 502, "text": "<html>"},
    {"exc": requests.ConnectionError("down")}])
def test_a_busy_or_unreachable_token_endpoint_is_retried_with_backoff(failure: dict) -> None:
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token = mock.post(TOKEN_URL, [failure, {"json": {"access_token": ACCESS, "api_domain": API,
                                                         "expires_in": 3600}}])
        mock.get(f"{API}/crm/v8/users", json={"users": [{"id": "1"}]})
        client(time=time).current_user()
    assert token.call_count == 2 and time.slept == [5.0]
