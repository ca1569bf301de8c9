"""The emulator's users, settings lists, tags and tag actions answer as Zoho publishes them
(docs/zoho-api/org.md, docs/zoho-api/tags.md), and fit Zoho's OpenAPI files where the shared copy has them."""

from __future__ import annotations

import pytest

from integration_tests.emulator import oas
from integration_tests.emulator.api import Api, error_of
from integration_tests.emulator.test_scopes import COMMON, session_for


@pytest.fixture(scope="module")
def api(emulator):
    emulator.reset()
    return Api(emulator)


def test_users_are_paged_at_most_200_with_more_records(api):
    first = api.get("users", type="AllUsers", per_page=2, page=1).json()
    last = api.get("users", type="AllUsers", per_page=2, page=3).json()
    assert [len(first["users"]), first["info"]["more_records"]] == [2, True]
    assert [len(last["users"]), last["info"]["more_records"]] == [1, False]
    assert error_of(api.get("users", per_page=201))[1] == "INVALID_DATA"


def test_users_if_modified_since_is_inclusive_and_304_when_nothing_changed(api):
    users = api.get("users", type="AllUsers").json()["users"]
    newest = max(users, key=lambda u: u["Modified_Time"])
    since = api.get("users", type="AllUsers", headers={"If-Modified-Since": newest["Modified_Time"]})
    assert [u["id"] for u in since.json()["users"]] == [newest["id"]]
    later = api.get("users", headers={"If-Modified-Since": "2030-01-01T00:00:00+00:00"})
    assert (later.status_code, later.content) == (304, b"")


@pytest.mark.parametrize("path, key", [("settings/roles", "roles"), ("settings/profiles", "profiles"),
                                       ("settings/territories", "territories"), ("org/currencies", "currencies")])
def test_settings_lists_answer_under_their_own_key(api, path, key):
    rows = api.get(path).json()[key]
    assert rows and all(r["id"].isdigit() for r in rows)


def test_currencies_have_one_base_currency_matching_the_org(api):
    rows = api.get("org/currencies").json()["currencies"]
    org = api.get("org").json()["org"][0]
    assert [r["iso_code"] for r in rows if r["is_base"]] == [org["iso_code"]] and org["mc_status"] is True


def test_layouts_and_tags_need_the_module_parameter(api):
    assert error_of(api.get("settings/layouts"))[:2] == (400, "REQUIRED_PARAM_MISSING")
    assert error_of(api.get("settings/tags"))[:2] == (400, "REQUIRED_PARAM_MISSING")
    assert error_of(api.get("settings/tags", module="Nope"))[:2] == (400, "INVALID_MODULE")
    layout = api.get("settings/layouts", module="Leads").json()["layouts"][0]
    assert "Last_Name" in [f["api_name"] for s in layout["sections"] for f in s["fields"]]


def test_add_and_remove_tags_change_the_records_tag_field(api, emulator):
    ids = [r["id"] for r in emulator.records("Contacts")["live"][:2]]
    added = api.post("Contacts/actions/add_tags", {"tags": [{"name": "Expo 2026"}], "ids": [*ids, "1"]})
    assert added.status_code == 207
    outcomes = added.json()["data"]
    assert [o["status"] for o in outcomes] == ["success", "success", "error"]
    stored = {r["id"]: r["Tag"] for r in emulator.records("Contacts")["live"] if r["id"] in ids}
    assert all("Expo 2026" in [t["name"] for t in tags] for tags in stored.values())
    removed = api.post(f"Contacts/{ids[0]}/actions/remove_tags", {"tags": [{"name": "Expo 2026"}]})
    assert removed.json()["data"][0]["details"]["tags"] == [
        t for t in stored[ids[0]] if t["name"] != "Expo 2026"]
    assert "Expo 2026" in [t["name"] for t in api.get("settings/tags", module="Contacts").json()["tags"]]


def test_tag_actions_refuse_more_than_500_ids(api):
    answer = api.post("Leads/actions/add_tags", {"tags": [{"name": "x"}], "ids": [str(10**17 + i) for i in range(501)]})
    assert error_of(answer)[:2] == (400, "LIMIT_EXCEEDED")


def test_territories_and_currencies_are_refused_on_editions_without_them(emulator_factory):
    api = Api(emulator_factory(records=2, edition="standard"))
    assert error_of(api.get("settings/territories")) == (400, "FEATURE_NOT_ENABLED", {})
    assert error_of(api.get("org/currencies")) == (403, "CURRENCIES_NOT_ENABLED", {})


@pytest.mark.parametrize("path", ["/crm/v8/settings/roles", "/crm/v8/settings/profiles", "/crm/v8/org/currencies",
                                  "/crm/v8/settings/territories", "/crm/v8/settings/layouts?module=Leads",
                                  "/crm/v8/settings/tags?module=Leads", "/crm/v8/users?type=AllUsers"])
def test_each_list_needs_its_own_scope(emulator, path):
    """The commonest token (modules.ALL, settings.ALL) reads the settings lists, not users."""
    http = session_for(emulator, COMMON)
    status = http.get(f"{emulator.url}{path}", timeout=30).status_code
    assert (status == 401) == path.startswith("/crm/v8/users")
    narrow = session_for(emulator, "ZohoCRM.modules.ALL,ZohoCRM.settings.fields.READ")
    refused = narrow.get(f"{emulator.url}{path}", timeout=30)
    assert (refused.status_code, refused.json()["code"]) == (401, "OAUTH_SCOPE_MISMATCH")


OAS_CASES = [("GET", "users", {"params": {"type": "AllUsers"}}, "/crm/v8/users"),
             ("GET", "settings/profiles", {}, "/crm/v8/settings/profiles"),
             ("GET", "settings/layouts", {"params": {"module": "Leads"}}, "/crm/v8/settings/layouts"),
             ("GET", "settings/tags", {"params": {"module": "Leads"}}, "/crm/v8/settings/tags"),
             ("GET", "settings/tags", {}, "/crm/v8/settings/tags"),
             ("POST", "Leads/actions/add_tags", {"json": {"tags": [{"name": "OAS"}], "ids": ["{lead}"],
                                                          "over_write": False}},
              "/crm/v8/{module_api_name}/actions/add_tags"),
             ("POST", "Leads/actions/remove_tags", {"json": {"tags": [{"name": "OAS"}], "ids": ["{lead}"]}},
              "/crm/v8/{module_api_name}/actions/remove_tags")]


@pytest.mark.parametrize("method, path, kwargs, oas_path", OAS_CASES, ids=[f"{c[0]} {c[1]}" for c in OAS_CASES])
def test_answers_fit_zoho_openapi(api, emulator, method, path, kwargs, oas_path):
    oas.require()
    lead = emulator.records("Leads")["live"][0]["id"]
    if "json" in kwargs:
        kwargs = {"json": {**kwargs["json"], "ids": [lead]}}
    resp = api.call(method, path, **kwargs)
    assert oas.schema_errors(method, oas_path, resp.status_code, resp.json()) == []
