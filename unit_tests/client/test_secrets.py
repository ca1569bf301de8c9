"""Secrets never appear in logs, exception messages or reprs."""

from __future__ import annotations

import logging

import pytest
import requests
import requests_mock

from unit_tests.client.builders import (
    ACCESS,
    API,
    REFRESH,
    SECRET,
    TOKEN_URL,
    client,
    config,
    token_ok,
    zoho_error,
)
from zoho_crm_client import ZohoCRMError

SECRETS = (SECRET, REFRESH, ACCESS)


def test_a_whole_session_of_failures_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.secrets")
    raised = []
    with caplog.at_level(logging.DEBUG), requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/users", [{"status_code": 401, "json": zoho_error("INVALID_TOKEN")},
                                         {"status_code": 500, "text": "<html>"},
                                         {"exc": requests.ConnectionError(f"boom {ACCESS}")},
                                         {"status_code": 403, "json": zoho_error("NO_PERMISSION")}])
        zoho = client(config(max_retries=2), logger=logger)
        try:
            zoho.current_user()
        except ZohoCRMError as exc:
            raised.append(exc)
        logger.info("a library that prints the token %s", ACCESS)
    text = caplog.text + " ".join(f"{e} {e!r} {e.details}" for e in raised) + repr(zoho.config)
    assert raised and all(s not in text for s in SECRETS)
    assert "****" in caplog.text  # the filter caught the deliberate leak


def test_auth_failures_never_echo_the_refresh_token() -> None:
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json={"error": "invalid_code"})
        with pytest.raises(ZohoCRMError) as caught:
            client().current_user()
    assert all(s not in f"{caught.value} {caught.value!r}" for s in SECRETS)
