"""Section 1.2/1.3: token grants (form or query), errors as HTTP 200 bodies, expiring tokens, 401s."""

from __future__ import annotations

import pytest
import requests

from integration_tests.emulator.api import REFRESH_FORM, Api, access_token
from zoho_crm_emulator import credentials


def test_given_form_body_when_refreshing_then_token_with_api_domain_and_expiry(emulator):
    resp = requests.post(f"{emulator.url}/oauth/v2/token", data=REFRESH_FORM, timeout=30)
    body = resp.json()
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    assert body["api_domain"] == emulator.url
    assert body["expires_in"] == 3600 and body["token_type"] == "Bearer"
    assert "refresh_token" not in body


def test_given_query_string_when_refreshing_then_token_is_issued(emulator):
    resp = requests.post(f"{emulator.url}/oauth/v2/token", params=REFRESH_FORM, timeout=30)
    assert "access_token" in resp.json()


@pytest.mark.parametrize("change, error", [
    ({"refresh_token": "1000.unknown"}, "invalid_code"),
    ({"client_id": "1000.OTHER"}, "invalid_client"),
    ({"client_secret": "wrong"}, "invalid_client"),
])
def test_given_bad_credentials_when_refreshing_then_error_body_with_http_200(emulator, change, error):
    resp = requests.post(f"{emulator.url}/oauth/v2/token", data={**REFRESH_FORM, **change}, timeout=30)
    assert resp.status_code == 200
    assert resp.json() == {"error": error}


def test_given_grant_code_when_exchanged_then_refresh_token_works_and_code_is_single_use(emulator_factory):
    emu = emulator_factory(records=5)
    form = {"grant_type": "authorization_code", "client_id": credentials.CLIENT_ID,
            "client_secret": credentials.CLIENT_SECRET, "code": credentials.GRANT_CODE,
            "redirect_uri": credentials.REDIRECT_URI}
    first = requests.post(f"{emu.url}/oauth/v2/token", data=form, timeout=30).json()
    again = requests.post(f"{emu.url}/oauth/v2/token", data=form, timeout=30).json()
    refreshed = requests.post(f"{emu.url}/oauth/v2/token", timeout=30,
                              data={**REFRESH_FORM, "refresh_token": first["refresh_token"]}).json()
    assert "access_token" in first and again == {"error": "invalid_code"}
    assert "access_token" in refreshed


@pytest.mark.parametrize("header, code", [
    (None, "AUTHENTICATION_FAILURE"),
    ("Zoho-oauthtoken 1000.not-a-token", "INVALID_TOKEN"),
    ("Basic abc", "AUTHENTICATION_FAILURE"),
])
def test_given_bad_authorization_when_calling_api_then_401(emulator, header, code):
    headers = {"Authorization": header} if header else {}
    resp = requests.get(f"{emulator.url}/crm/v8/org", headers=headers, timeout=30)
    assert resp.status_code == 401
    assert resp.json() == {"code": code, "details": {}, "message": resp.json()["message"], "status": "error"}


def test_given_bearer_scheme_when_calling_api_then_accepted(emulator):
    token = access_token(emulator.url)
    resp = requests.get(f"{emulator.url}/crm/v8/org", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert resp.status_code == 200


def test_given_short_token_ttl_when_token_expires_then_invalid_token(emulator_factory):
    emu = emulator_factory(records=5, extra_args=["--token-ttl", "0"])
    api = Api(emu)
    resp = api.get("org")
    assert resp.status_code == 401 and resp.json()["code"] == "INVALID_TOKEN"


def test_revoked_refresh_token_fails_until_reset(emulator_factory):
    emu = emulator_factory(records=5)
    requests.post(f"{emu.url}/oauth/v2/token/revoke", data={"token": credentials.REFRESH_TOKEN}, timeout=30)
    assert requests.post(f"{emu.url}/oauth/v2/token", data=REFRESH_FORM, timeout=30).json() == {
        "error": "invalid_code"}
    emu.reset()
    assert "access_token" in requests.post(f"{emu.url}/oauth/v2/token", data=REFRESH_FORM, timeout=30).json()
