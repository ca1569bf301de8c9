"""Scopes are enforced per endpoint, as Zoho does (docs/zoho-api/scopes.md), and the deleted-records privilege knob.

Each case: a token granted some scopes calls an endpoint and gets through (not 401) or 401 OAUTH_SCOPE_MISMATCH.
"""

from __future__ import annotations

import pytest
import requests

from integration_tests.emulator.api import error_of
from zoho_crm_emulator import credentials

COMMON = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL"  # Zoho's own scope example, the commonest token
UPSTREAM = ("ZohoCRM.settings.modules.READ,ZohoCRM.settings.fields.READ,ZohoCRM.modules.READ,"
            "ZohoCRM.modules.custom.READ,ZohoCRM.org.READ")  # the upstream Airbyte source's OAuth flow
COQL = {"select_query": "select Last_Name from Leads where Last_Name is not null limit 1"}
BULK = {"query": {"module": {"api_name": "Leads"}}}


def session_for(emulator, scopes: str) -> requests.Session:
    refresh = emulator.refresh_token(scopes)
    form = {"grant_type": "refresh_token", "client_id": credentials.CLIENT_ID,
            "client_secret": credentials.CLIENT_SECRET, "refresh_token": refresh}
    answer = requests.post(f"{emulator.url}/oauth/v2/token", data=form, timeout=30).json()
    http = requests.Session()
    http.headers["Authorization"] = f"Zoho-oauthtoken {answer['access_token']}"
    return http


def call(emulator, http: requests.Session, method: str, path: str, body=None) -> requests.Response:
    return http.request(method, f"{emulator.url}{path}", json=body, timeout=30)


CASES = [
    # (scopes, method, path, body, allowed)
    (COMMON, "GET", "/crm/v8/settings/modules", None, True),
    (COMMON, "GET", "/crm/v8/settings/fields?module=Leads", None, True),
    (COMMON, "GET", "/crm/v8/Leads?fields=id", None, True),
    (COMMON, "GET", "/crm/v8/Leads/deleted", None, True),
    (COMMON, "GET", "/crm/v8/users?type=CurrentUser", None, False),
    (COMMON, "GET", "/crm/v8/org", None, False),
    (COMMON, "POST", "/crm/v8/coql", COQL, False),
    (COMMON, "POST", "/crm/bulk/v8/read", BULK, False),
    (COMMON, "GET", "/crm/v8/Leads/search?criteria=(Last_Name:equals:x)", None, False),
    (UPSTREAM, "GET", "/crm/v8/settings/modules", None, True),
    (UPSTREAM, "GET", "/crm/v8/org", None, True),
    (UPSTREAM, "GET", "/crm/v8/CustomModule1?fields=id", None, True),
    (UPSTREAM, "POST", "/crm/v8/Leads", {"data": [{"Last_Name": "x"}]}, False),
    (UPSTREAM, "GET", "/crm/v8/users?type=CurrentUser", None, False),
    ("ZohoCRM.modules.custom.READ", "GET", "/crm/v8/CustomModule1?fields=id", None, True),
    ("ZohoCRM.modules.custom.READ", "GET", "/crm/v8/Leads?fields=id", None, False),
    ("ZohoCRM.modules.leads.READ", "GET", "/crm/v8/Leads?fields=id", None, True),
    ("ZohoCRM.modules.leads.READ", "GET", "/crm/v8/Contacts?fields=id", None, False),
    ("ZohoCRM.modules.leads.READ", "DELETE", "/crm/v8/Leads?ids=1", None, False),
    ("ZohoCRM.coql.READ,ZohoCRM.modules.READ", "POST", "/crm/v8/coql", COQL, True),
    ("ZohoCRM.bulk.ALL,ZohoCRM.modules.ALL", "POST", "/crm/bulk/v8/read", BULK, True),
    ("ZohoCRM.users.READ", "GET", "/crm/v8/users?type=CurrentUser", None, True),
    ("ZohoCRM.modules.ALL,ZohoSearch.securesearch.READ", "GET",
     "/crm/v8/Leads/search?criteria=(Last_Name:equals:x)", None, True),
]


@pytest.mark.parametrize(("scopes", "method", "path", "body", "allowed"), CASES)
def test_given_a_token_of_some_scopes_when_an_endpoint_is_called_then_its_scope_is_enforced(
        emulator, scopes, method, path, body, allowed):
    resp = call(emulator, session_for(emulator, scopes), method, path, body)
    if allowed:
        assert resp.status_code != 401, resp.text
    else:
        assert resp.status_code == 401, resp.text
        assert error_of(resp) == (401, "OAUTH_SCOPE_MISMATCH", {})
        assert resp.json()["message"] == "invalid oauth scope to access this URL"


def test_given_the_fixed_refresh_token_then_it_keeps_full_scope(emulator):
    from integration_tests.emulator.api import Api

    api = Api(emulator)
    for path in ("users?type=CurrentUser", "org", "Leads/deleted"):
        assert api.get(path).status_code in (200, 204), path
    assert api.post("coql", COQL).status_code in (200, 204)


def test_given_scopes_then_the_token_answer_names_them(emulator):
    refresh = emulator.refresh_token(["ZohoCRM.org.READ", "ZohoCRM.modules.READ"])
    form = {"grant_type": "refresh_token", "client_id": credentials.CLIENT_ID,
            "client_secret": credentials.CLIENT_SECRET, "refresh_token": refresh}
    answer = requests.post(f"{emulator.url}/oauth/v2/token", data=form, timeout=30).json()
    assert answer["scope"] == "ZohoCRM.modules.READ ZohoCRM.org.READ"


def test_given_no_scopes_then_the_control_plane_refuses(emulator):
    resp = requests.post(f"{emulator.url}/__emulator__/refresh_tokens", json={"scopes": []}, timeout=30)
    assert resp.status_code == 400


@pytest.mark.parametrize(("code", "status"), [("NO_PERMISSION", 403), ("AUTHORIZATION_FAILED", 400)])
def test_given_a_user_without_the_deleted_privilege_then_deleted_is_refused_as_zoho_documents(
        emulator, code, status):
    from integration_tests.emulator.api import Api

    api = Api(emulator)
    try:
        emulator.limits(deleted_denied=["Leads"], deleted_denied_code=code)
        resp = api.get("Leads/deleted")
        assert error_of(resp)[:2] == (status, code)
        if code == "NO_PERMISSION":
            assert resp.json()["details"] == {"permissions": []}
        assert api.get("Contacts/deleted").status_code in (200, 204)
        assert api.get("Leads", fields="id").status_code == 200  # live records stay readable
        emulator.limits(deleted_denied=True)
        assert api.get("Contacts/deleted").status_code == status
    finally:
        emulator.reset()
    assert api.get("Leads/deleted").status_code in (200, 204)
