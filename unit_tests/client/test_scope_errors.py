"""Zoho's published scope and permission refusals, replayed through the real transport and errors.TABLE.

Fixtures: unit_tests/fixtures/zoho_published/*.json, each naming its source (docs/zoho-api/scopes.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok
from zoho_crm_client.errors import PermissionError_, ScopeMissingError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "zoho_published"


def published(name: str) -> tuple[int, dict]:
    sample = json.loads((FIXTURES / f"{name}.json").read_text())
    return sample["status"], sample["body"]


@pytest.mark.parametrize(("route", "call", "scope"), [
    ("/crm/v8/users", lambda c: c.current_user(), "ZohoCRM.users.READ"),
    ("/crm/v8/org", lambda c: c.org(), "ZohoCRM.org.READ"),
    ("/crm/v8/coql", lambda c: list(c.iter_coql("select Last_Name from Leads where Last_Name is not null")),
     "ZohoCRM.coql.READ"),
])
def test_given_zohos_scope_mismatch_answer_then_the_error_names_the_missing_scope(route, call, scope) -> None:
    status, body = published("oauth_scope_mismatch")
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.register_uri(requests_mock.ANY, f"{API}{route}", status_code=status, json=body)
        with pytest.raises(ScopeMissingError) as caught:
            call(client())
    assert hit.call_count == 1  # a missing scope is not retried and not "fixed" by a token refresh
    assert caught.value.code == "OAUTH_SCOPE_MISMATCH" and scope in caught.value.scopes
    assert scope in str(caught.value) and "invalid oauth scope to access this URL" in str(caught.value)


def test_given_details_that_name_a_scope_then_that_scope_is_reported() -> None:
    status, body = published("oauth_scope_mismatch")
    body = {**body, "details": {"scope": "ZohoCRM.modules.leads.READ"}}  # tolerated, not seen in Zoho's samples
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/users", status_code=status, json=body)
        with pytest.raises(ScopeMissingError) as caught:
            client().current_user()
    assert caught.value.scopes == ("ZohoCRM.modules.leads.READ",)


@pytest.mark.parametrize("name", ["no_permission", "authorization_failed"])
def test_given_zohos_privilege_refusals_of_deleted_records_then_they_are_permission_errors(name: str) -> None:
    status, body = published(name)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{API}/crm/v8/Leads/deleted", status_code=status, json=body)
        with pytest.raises(PermissionError_) as caught:
            list(client().iter_deleted("Leads"))
    assert hit.call_count == 1
    assert caught.value.code == body["code"] and body["message"] in str(caught.value)
    assert not isinstance(caught.value, ScopeMissingError)
