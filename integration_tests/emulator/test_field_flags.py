"""The emulator's field metadata and values as Zoho's published answers show them (docs/zoho-api/fields.md):
writability flags as in Zoho's sample Leads metadata, `id` and `Tag` fields on every module, Long Integers served
as strings, Tag and Owner written the way Zoho's SDK sample writes them."""

from __future__ import annotations

import pytest

from zoho_crm_emulator import metadata

RECORD_MODULES = [name for name, spec in metadata.MODULES.items() if spec.table is not None]


def _fields(api, module: str) -> dict[str, dict]:
    return {f["api_name"]: f for f in api.get("settings/fields", module=module).json()["fields"]}


@pytest.mark.parametrize("module", RECORD_MODULES)
def test_every_record_module_lists_id_and_tag_as_zoho_does(api, module):
    fields = _fields(api, module)
    record_id, tag = fields["id"], fields["Tag"]
    assert (record_id["data_type"], record_id["json_type"], record_id["read_only"]) == ("bigint", "string", True)
    assert not record_id["operation_type"]["api_create"]
    assert (tag["data_type"], tag["json_type"], tag["read_only"]) == ("text", "jsonarray", False)
    assert tag["operation_type"]["api_create"] and tag["operation_type"]["api_update"]


def test_owner_is_field_read_only_and_writable_like_zohos_sample(api):
    for module in ("Leads", "Contacts", "Accounts", "Deals", "Tasks", "CustomModule1"):
        owner = _fields(api, module)["Owner"]
        assert (owner["read_only"], owner["field_read_only"]) == (False, True)
        assert owner["operation_type"]["api_create"] and owner["operation_type"]["api_update"]


def test_system_set_fields_carry_the_flags_zoho_gives_them(api):
    fields = _fields(api, "Leads")
    created = fields["Created_Time"]
    assert (created["read_only"], created["field_read_only"], created["operation_type"]["api_create"]) == (
        False, False, False)
    formula = fields["Expected_Revenue"]
    assert (formula["read_only"], formula["field_read_only"]) == (True, False)
    assert fields["Line_Items"]["operation_type"]["api_create"] is False  # subform: as in Zoho's sample
    assert all(f["json_type"] == "string" for f in fields.values() if f["data_type"] == "bigint")


def test_records_carry_tag_arrays_and_long_integers_as_strings(api, emulator):
    live = emulator.records("Leads")["live"]
    tags = [r["Tag"] for r in live]
    assert all(isinstance(t, list) for t in tags) and [] in tags
    assert any(t and set(t[0]) == {"name", "id", "color_code"} for t in tags)
    assert all(isinstance(r["Big_Number"], str) for r in live if r["Big_Number"] is not None)
    page = api.get("Leads", fields="Tag,Big_Number", per_page=50).json()["data"]
    assert all(isinstance(r["Tag"], list) and isinstance(r["id"], str) for r in page)


@pytest.mark.usefixtures("fresh_org")
def test_owner_and_tag_written_as_zohos_sdk_sample_writes_them(api, emulator):
    user = api.get("users", type="CurrentUser").json()["users"][0]
    other = next(u for u in api.get("users", type="AllUsers").json()["users"] if u["id"] != user["id"])
    resp = api.post("Leads", {"data": [
        {"Last_Name": "Tagged", "Owner": {"id": other["id"]}, "Tag": [{"name": "My Record"}, {"name": "Hot"}],
         "Big_Number": 12345678901234},
        {"Last_Name": "By email", "Owner": {"email": other["email"]}, "Tag": []},
    ]})
    assert resp.status_code == 201, resp.json()
    first, second = (emulator_record(emulator, item["details"]["id"]) for item in resp.json()["data"])
    assert first["Owner"]["id"] == other["id"] == second["Owner"]["id"]
    assert [t["name"] for t in first["Tag"]] == ["My Record", "Hot"] and first["Big_Number"] == "12345678901234"
    hot = first["Tag"][1]
    assert hot["id"] == metadata.SEED_TAGS[0]["id"] and second["Tag"] == []
    update = api.call("PUT", "Leads", json={"data": [{"id": second["id"], "Tag": [{"id": hot["id"]}]}]})
    assert update.status_code == 200 and emulator_record(emulator, second["id"])["Tag"] == [hot]


@pytest.mark.usefixtures("fresh_org")
@pytest.mark.parametrize("tag", ["Hot", [{"name": "x" * 26}], [{"id": "5725767999999999999"}], ["Hot"],
                                 [{"name": "Hot", "color_code": "red"}]])
def test_a_malformed_tag_is_refused_with_invalid_data(api, tag):
    resp = api.post("Leads", {"data": [{"Last_Name": "Bad tag", "Tag": tag}]})
    assert resp.status_code == 400
    item = resp.json()["data"][0]
    assert item["code"] == "INVALID_DATA" and item["details"]["api_name"] == "Tag"


def emulator_record(emulator, record_id: str) -> dict:
    return next(r for r in emulator.records("Leads")["live"] if r["id"] == record_id)
