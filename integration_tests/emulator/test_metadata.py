"""Section 2 and 1.3: users, org, settings/modules, settings/fields; section 0 routing errors."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import error_of
from zoho_crm_emulator import metadata

EVERY_TYPE = {"text", "email", "phone", "website", "autonumber", "profileimage", "mediumtext", "textarea",
              "picklist", "multiselectpicklist", "integer", "bigint", "double", "decimal", "currency", "percent",
              "boolean", "date", "datetime", "lookup", "ownerlookup", "userlookup", "multiselectlookup",
              "multiuserlookup", "subform", "fileupload", "imageupload", "formula"}


def test_current_user_is_one_user_with_email(api):
    users = api.get("users", type="CurrentUser").json()["users"]
    assert len(users) == 1 and users[0]["email"] and users[0]["id"].isdigit()


def test_org_is_served(api):
    assert api.get("org").json()["org"][0]["id"].startswith(metadata.ORG_PREFIX)


def test_modules_default_hides_system_hidden_and_status_param_shows_notes(api):
    default = {m["api_name"] for m in api.get("settings/modules").json()["modules"]}
    everything = api.get("settings/modules", status="visible,user_hidden,system_hidden").json()["modules"]
    by_name = {m["api_name"]: m for m in everything}
    assert "Notes" not in default and "Notes" in by_name
    assert by_name["Home"]["api_supported"] is False
    assert by_name["CustomModule1"]["generated_type"] == "custom"
    assert by_name["Leads_X_Contacts"]["generated_type"] == "linking"


def test_single_module(api):
    modules = api.get("settings/modules/Leads").json()["modules"]
    assert [m["api_name"] for m in modules] == ["Leads"]


def test_leads_have_more_than_50_fields_covering_every_data_type(api):
    fields = api.get("settings/fields", module="Leads").json()["fields"]
    assert len(fields) > 50
    assert {f["data_type"] for f in fields} >= EVERY_TYPE
    by_name = {f["api_name"]: f for f in fields}
    assert by_name["Last_Name"]["system_mandatory"] is True
    assert by_name["Email"]["unique"]
    assert by_name["Lead_Status"]["pick_list_values"][0]["actual_value"]
    assert by_name["Parent_Account"]["lookup"]["module"]["api_name"] == "Accounts"


@pytest.mark.parametrize("module, mandatory", [
    ("Leads", {"Last_Name"}), ("Contacts", {"Last_Name"}), ("Accounts", {"Account_Name"}),
    ("Deals", {"Deal_Name", "Stage"}), ("Tasks", {"Subject"}), ("CustomModule1", {"Name"}),
])
def test_system_mandatory_fields(api, module, mandatory):
    fields = api.get("settings/fields", module=module).json()["fields"]
    assert {f["api_name"] for f in fields if f["system_mandatory"]} == mandatory


@pytest.mark.parametrize("method, path, params, status, code", [
    ("GET", "settings/fields", {}, 400, "REQUIRED_PARAM_MISSING"),
    ("GET", "settings/fields", {"module": "Nope"}, 400, "INVALID_MODULE"),
    ("GET", "settings/fields", {"module": "Home"}, 400, "INVALID_MODULE"),
    ("GET", "Nope", {"fields": "id"}, 400, "INVALID_MODULE"),
    ("GET", "Home", {"fields": "id"}, 400, "INVALID_MODULE"),
    ("GET", "Leads/1/2/3/4/5", {}, 404, "INVALID_URL_PATTERN"),
    ("PATCH", "Leads/upsert", {}, 400, "INVALID_REQUEST_METHOD"),
    ("GET", "/crm/v5/Leads", {}, 404, "INVALID_URL_PATTERN"),
])
def test_request_level_errors(api, method, path, params, status, code):
    resp = api.call(method, path, params=params)
    assert error_of(resp)[:2] == (status, code)
