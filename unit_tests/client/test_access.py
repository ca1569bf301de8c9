"""zoho_crm_client.access: one call per feature; only a scope or privilege refusal counts as "cannot"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests_mock

from unit_tests.client.builders import API, client, config, token_ok, zoho_error
from zoho_crm_client.errors import PermissionError_, ScopeMissingError, ServerError

PUBLISHED = Path(__file__).parents[1] / "fixtures" / "zoho_published"


def sample(name: str) -> tuple[int, dict]:
    data = json.loads((PUBLISHED / f"{name}.json").read_text())
    return data["status"], data["body"]


@pytest.mark.parametrize(("feature", "method", "path", "scope"), [
    ("coql", "POST", "/crm/v8/coql", "ZohoCRM.coql.READ"),
    ("bulk_read", "GET", "/crm/bulk/v8/read/1", "ZohoCRM.bulk.READ"),
    ("search", "GET", "/crm/v8/Leads/search", "ZohoSearch.securesearch.READ"),
    ("org", "GET", "/crm/v8/org", "ZohoCRM.org.READ"),
    ("users", "GET", "/crm/v8/users", "ZohoCRM.users.READ"),
    ("create", "POST", "/crm/v8/Leads", "ZohoCRM.modules.CREATE"),
])
def test_given_a_scope_refusal_then_the_probe_answers_it_naming_the_scope(feature, method, path, scope) -> None:
    status, body = sample("oauth_scope_mismatch")
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.register_uri(method, f"{API}{path}", status_code=status, json=body)
        refusal = client().probe(feature, "Leads")
    assert hit.call_count == 1
    assert isinstance(refusal, ScopeMissingError) and refusal.scopes[0] == scope


def test_given_the_deleted_privilege_refused_then_the_probe_answers_a_permission_error() -> None:
    status, body = sample("authorization_failed")
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads/deleted", status_code=status, json=body)
        assert isinstance(client().probe("deleted", "Leads"), PermissionError_)


@pytest.mark.parametrize(("status", "body"), [
    (400, zoho_error("MANDATORY_NOT_FOUND", "required field not found", api_name="data")),  # empty write
    (404, zoho_error("RESOURCE_NOT_FOUND", "the job does not exist")),  # unknown Bulk Read job
])
def test_given_any_other_refusal_then_the_token_was_let_in(status, body) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=status, json=body)
        token_ok(mock)
        assert client().probe("create", "Leads") is None
        assert client().probe("bulk_read", "Leads") is None


def test_given_a_server_failure_then_it_propagates() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/org", status_code=500, json=zoho_error("INTERNAL_ERROR"))
        with pytest.raises(ServerError):
            client(config(max_retries=0)).probe("org", "Leads")
