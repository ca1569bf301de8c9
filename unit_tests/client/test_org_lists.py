"""The org's lists and the tag actions (zoho_crm_client/org.py, tags.py) against Zoho's published answers.

Samples (docs/zoho-api/org.md, docs/zoho-api/tags.md), each the published example as is unless said:
* `crm_oas_get_users.json`: zoho/crm-oas `v8.0/users/operations/getUsers/examples/response-200-usersgetresponse.md`
* `crm_oas_get_roles.json`: `v8.0/roles/operations/getRoles/examples/response-200-success.md`
* `crm_oas_get_territories.json`: `v8.0/territories/operations/getTerritories/examples/response-200-getallterritories.md`
* `crm_oas_territories_not_enabled.json`: `.../getTerritories/examples/response-400-territorynotyetenabled.md`
* `crm_oas_get_currencies.json`: `v8.0/currencies/operations/getCurrencies/examples/response-200-sample.md`
* `crm_oas_currencies_not_enabled.json`: `.../getCurrencies/examples/response-403-currenciesnotenabled.md`
* `crm_oas_get_tags.json`: `v8.0/tags/operations/getTags/examples/response-200-success200.md`, cut to its first 2
  of 40 tags
* `add_tags_multiple_v2.json`: the sample response of "Add Tags to Multiple Records",
  https://www.zoho.com/recruit/developer-guide/apiv2/add-tag-multiple.html (the same `actions/add_tags` API on
  `/crm/v2/`; its success details list the tags by name, v8's OAS by object: both are read)
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok
from zoho_crm_client.errors import FeatureNotEnabled, ScopeMissingError

SAMPLES = Path(__file__).parent / "zoho_samples"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text())


def test_given_zohos_users_sample_then_every_user_is_read_with_all_users_and_200_per_page() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/users", json=sample("crm_oas_get_users.json"))
        pages = list(client().iter_org_list("users"))
        sent = mock.request_history[-1]

    assert [u["id"] for p in pages for u in p.records] == ["111133000000057662"]
    assert sent.qs == {"type": ["allusers"], "page": ["1"], "per_page": ["200"]}
    assert "If-Modified-Since" not in sent.headers and not pages[-1].more


def test_given_a_boundary_then_if_modified_since_is_sent_a_second_early_and_a_304_is_no_rows() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/users", status_code=304)
        since = datetime(2025, 12, 8, 11, 23, 16, tzinfo=timezone.utc)
        pages = list(client().iter_org_list("users", since=since))
        sent = mock.request_history[-1]

    assert [p.records for p in pages] == [[]]
    assert sent.headers["If-Modified-Since"] == "2025-12-08T11:23:15+00:00"


def test_given_more_records_then_the_next_page_is_asked_until_zoho_says_no_more() -> None:
    first = sample("crm_oas_get_users.json")
    first["info"]["more_records"] = True
    last = {"users": [{**first["users"][0], "id": "111133000000057663"}], "info": {**first["info"],
                                                                                "more_records": False}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/users", [{"json": first}, {"json": last}])
        ids = [u["id"] for p in client().iter_org_list("users") for u in p.records]
        pages_asked = [r.qs.get("page") for r in mock.request_history if "users" in r.url]

    assert ids == ["111133000000057662", "111133000000057663"] and pages_asked == [["1"], ["2"]]


@pytest.mark.parametrize("name, path, fixture", [
    ("roles", "settings/roles", "crm_oas_get_roles.json"),
    ("territories", "settings/territories", "crm_oas_get_territories.json"),
    ("currencies", "org/currencies", "crm_oas_get_currencies.json"),
])
def test_given_zohos_sample_list_then_its_rows_are_read_under_their_key(name: str, path: str, fixture: str) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/{path}", json=sample(fixture))
        rows = [r for p in client().iter_org_list(name) for r in p.records]

    assert rows == sample(fixture)[name]


def test_given_the_tags_sample_then_tags_are_asked_per_module() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/tags", json=sample("crm_oas_get_tags.json"))
        rows = [r for p in client().iter_org_list("tags", module="Leads") for r in p.records]
        sent = mock.request_history[-1]

    assert [t["name"] for t in rows] == ["new", "new2"] and sent.qs == {"module": ["leads"]}


@pytest.mark.parametrize("name, path, status, fixture", [
    ("territories", "settings/territories", 400, "crm_oas_territories_not_enabled.json"),
    ("currencies", "org/currencies", 403, "crm_oas_currencies_not_enabled.json"),
])
def test_given_an_org_without_the_feature_then_zohos_answer_is_feature_not_enabled(name, path, status, fixture):
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/{path}", status_code=status, json=sample(fixture))
        with pytest.raises(FeatureNotEnabled) as caught:
            list(client().iter_org_list(name))

    assert caught.value.code == sample(fixture)["code"]


def test_given_a_token_without_the_roles_scope_then_the_error_names_it() -> None:
    mismatch = json.loads((Path(__file__).parents[1] / "fixtures" / "zoho_published" / "oauth_scope_mismatch.json")
                          .read_text())["body"]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/roles", status_code=401, json=mismatch)
        with pytest.raises(ScopeMissingError) as caught:
            list(client().iter_org_list("roles"))

    assert caught.value.scopes == ("ZohoCRM.settings.roles.READ",)


def test_given_zohos_add_tags_answer_then_each_record_gets_its_own_result_matched_by_id() -> None:
    """The published answer lists the failed record first; the caller's order is the other way round."""
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(f"{API}/crm/v8/Contacts/actions/add_tags", json=sample("add_tags_multiple_v2.json"))
        tags = [{"name": "From Email"}, {"name": "High Priority"}]
        results = client().tag_records("Contacts", "add_tags", [("2445013000000141005", tags),
                                                                ("2445013000000402006", tags), ("x1", tags)])
        sent = mock.request_history[-1].json()

    assert sent == {"tags": tags, "ids": ["2445013000000141005", "2445013000000402006"], "over_write": False}
    assert [(r.index, r.ok, r.code, r.id) for r in results] == [
        (0, True, "SUCCESS", "2445013000000141005"), (1, False, "FAILURE", "2445013000000402006"),
        (2, False, "INVALID_ID", None)]


def test_given_records_asking_for_different_tags_then_each_tag_list_is_its_own_call() -> None:
    def echo(request: Any, context: Any) -> dict[str, Any]:
        body = request.json()
        return {"data": [{"code": "SUCCESS", "status": "success", "message": "tags updated successfully",
                          "details": {"id": i, "tags": body["tags"]}} for i in body["ids"]]}

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(f"{API}/crm/v8/Leads/actions/remove_tags", json=echo)
        results = client().tag_records("Leads", "remove_tags", [("1", [{"name": "a"}]), ("2", [{"name": "b"}]),
                                                                ("3", [{"name": "a"}])])
        calls = [r.json() for r in mock.request_history if r.method == "POST" and "remove_tags" in r.url]

    assert [c["ids"] for c in calls] == [["1", "3"], ["2"]] and all("over_write" not in c for c in calls)
    assert [(r.index, r.ok, r.id) for r in results] == [(0, True, "1"), (1, True, "2"), (2, True, "3")]
