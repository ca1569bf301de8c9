"""Subforms and line items as Zoho publishes them (docs/zoho-api/subforms.md): the subform field names its module,
the module describes its own fields, COQL reads it with Parent_Id, and writes append, update by id and `_delete`."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import error_of

LINE_ITEMS = {"Quotes": "Quoted_Items", "Sales_Orders": "Ordered_Items", "Purchase_Orders": "Purchase_Items",
              "Invoices": "Invoiced_Items"}


def _quote(api, emulator, lines: list[dict]) -> str:
    body = {"data": [{"Subject": "three lines", "Quoted_Items": lines}]}
    created = api.post("Quotes", body).json()["data"][0]
    assert created["code"] == "SUCCESS", created
    return created["details"]["id"]


def _product(emulator) -> dict:
    return {"id": emulator.records("Products")["live"][0]["id"]}


@pytest.mark.parametrize("module, field", [*LINE_ITEMS.items(), ("Leads", "Line_Items")])
def test_a_subform_field_names_its_module_which_describes_its_own_fields(api, module, field):
    fields = {f["api_name"]: f for f in api.get("settings/fields", module=module).json()["fields"]}
    subform = fields[field]["associated_module"]["module"]
    own = {f["api_name"]: f for f in api.get("settings/fields", module=subform).json()["fields"]}

    assert fields[field]["data_type"] == "subform" and fields[field]["json_type"] == "jsonarray"
    assert own["Parent_Id"]["data_type"] == "lookup" and own["Parent_Id"]["lookup"]["module"]["api_name"] == module
    assert own["id"]["data_type"] == "bigint"


def test_line_items_have_the_fields_of_zohos_quote_sample(api):
    own = {f["api_name"]: f for f in api.get("settings/fields", module="Quoted_Items").json()["fields"]}

    assert own["Product_Name"]["lookup"]["module"]["api_name"] == "Products" and own["Product_Name"]["system_mandatory"]
    assert {"Quantity", "List_Price", "Discount", "Total", "Net_Total", "Description", "Line_Tax"} <= set(own)
    assert own["Net_Total"]["read_only"] and not own["Quantity"]["read_only"]


def test_coql_reads_a_subform_module_by_parent_with_each_rows_id_and_parent(api, emulator):
    quotes = emulator.records("Quotes")["live"][:3]
    ids = ", ".join(f"'{q['id']}'" for q in quotes)
    query = f"select Product_Name, Quantity, List_Price, Parent_Id from Quoted_Items where Parent_Id in ({ids})"
    rows = api.post("coql", {"select_query": query}).json()["data"]

    expected = {(q["id"], i["id"]) for q in quotes for i in api.get(f"Quotes/{q['id']}").json()["data"][0][
        "Quoted_Items"]}
    assert {(r["Parent_Id"]["id"], r["id"]) for r in rows} == expected
    assert all(set(r) == {"Product_Name", "Quantity", "List_Price", "Parent_Id", "id"} for r in rows)


def test_a_single_record_get_gives_each_row_its_id_and_parent(api, emulator):
    quote = emulator.records("Quotes")["live"][0]
    lines = api.get(f"Quotes/{quote['id']}").json()["data"][0]["Quoted_Items"]

    assert lines and all(line["id"].isdigit() and line["Parent_Id"]["id"] == quote["id"] for line in lines)


def test_an_update_appends_a_row_without_id_updates_one_by_id_and_removes_one_with_delete(api, emulator, fresh_org):
    product = _product(emulator)
    quote_id = _quote(api, emulator, [{"Product_Name": product, "Quantity": q, "List_Price": 10} for q in (1, 2, 3)])
    first, second, third = api.get(f"Quotes/{quote_id}").json()["data"][0]["Quoted_Items"]

    body = {"data": [{"id": quote_id, "Quoted_Items": [
        {"id": first["id"], "Quantity": 5}, {"id": second["id"], "_delete": None},
        {"Product_Name": product, "Quantity": 7, "List_Price": 1}]}]}
    assert api.put("Quotes", body).json()["data"][0]["code"] == "SUCCESS"
    lines = api.get(f"Quotes/{quote_id}").json()["data"][0]["Quoted_Items"]

    assert [(line["Quantity"], line["Net_Total"]) for line in lines] == [(5, 50.0), (3, 30.0), (7, 7.0)]
    assert [line["id"] for line in lines[:2]] == [first["id"], third["id"]] and lines[2]["id"] not in (
        first["id"], second["id"], third["id"])


def test_an_empty_array_clears_the_subform(api, emulator, fresh_org):
    body = {"data": [{"Last_Name": "Rows", "Line_Items": [{"Item": "Desk", "Quantity": 2}]}]}
    lead_id = api.post("Leads", body).json()["data"][0]["details"]["id"]
    api.put("Leads", {"data": [{"id": lead_id, "Line_Items": []}]})

    assert api.get(f"Leads/{lead_id}").json()["data"][0]["Line_Items"] == []


@pytest.mark.parametrize("line, api_name, path", [
    ({"Product_Name": "P", "Colour": "red"}, "Colour", "$.data[0].Quoted_Items[0].Colour"),
    ({"Product_Name": "P", "Quantity": "many"}, "Quantity", "$.data[0].Quoted_Items[0].Quantity"),
    ({"Quantity": 1}, "Product_Name", "$.data[0].Quoted_Items[0].Product_Name"),
])
def test_a_row_with_an_unknown_field_a_wrong_type_or_no_product_fails_its_record(api, emulator, line, api_name, path):
    line = {**line, "Product_Name": _product(emulator)} if line.get("Product_Name") == "P" else line
    resp = api.post("Quotes", {"data": [{"Subject": "bad", "Quoted_Items": [line]}]})
    item = resp.json()["data"][0]

    assert resp.status_code == 400 and item["status"] == "error"
    assert (item["details"]["api_name"], item["details"]["json_path"]) == (api_name, path)


def test_an_update_naming_a_row_the_record_does_not_have_is_refused(api, emulator, fresh_org):
    quote_id = _quote(api, emulator, [{"Product_Name": _product(emulator), "Quantity": 1}])
    item = api.put("Quotes", {"data": [{"id": quote_id, "Quoted_Items": [
        {"id": "5725767000000000001", "Quantity": 2}]}]}).json()["data"][0]

    assert (item["code"], item["details"]["json_path"]) == ("INVALID_DATA", "$.data[0].Quoted_Items[0].id")


def test_a_clone_gets_rows_of_its_own(api, emulator, fresh_org):
    quote_id = _quote(api, emulator, [{"Product_Name": _product(emulator), "Quantity": 1}])
    clone = api.post(f"Quotes/{quote_id}/actions/clone").json()["data"][0]["details"]["id"]
    original = api.get(f"Quotes/{quote_id}").json()["data"][0]["Quoted_Items"]
    copied = api.get(f"Quotes/{clone}").json()["data"][0]["Quoted_Items"]

    assert len(copied) == 1 and copied[0]["id"] != original[0]["id"] and copied[0]["Parent_Id"]["id"] == clone


def test_get_records_still_refuses_a_subform_module(api):
    assert error_of(api.get("Quoted_Items", fields="Quantity"))[:2] == (400, "INVALID_MODULE")
