"""The org's module list as Zoho's sample answer has it, the system modules every record endpoint refuses, and
the standard modules' fields and records (docs/zoho-api/modules.md)."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import error_of

EVERY_STATUS = "visible,user_hidden,system_hidden"
# api_supported and viewable in Zoho's sample list, refused by Get Records
REFUSED = ("Approvals", "Attachments", "Actions_Performed", "Visits", "Consents", "Data_Subject_Requests",
           "Data_Enrichment_Stats__s", "Quoted_Items", "DealHistory")
NEW_MODULES = ("Events", "Calls", "Products", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders",
               "Invoices", "Vendors", "Campaigns", "Cases", "Solutions")
LINE_ITEMS = {"Quotes": "Quoted_Items", "Sales_Orders": "Ordered_Items", "Purchase_Orders": "Purchase_Items",
              "Invoices": "Invoiced_Items"}


@pytest.fixture(scope="module")
def listed(api):
    return {m["api_name"]: m for m in api.get("settings/modules", status=EVERY_STATUS).json()["modules"]}


def test_the_module_list_has_record_system_and_ui_modules_with_zohos_flags(listed):
    assert len(listed) >= 55
    assert {"Home", "Reports", "Analytics", "Feeds"} <= {n for n, m in listed.items() if not m["api_supported"]}
    assert all(listed[name]["api_supported"] for name in REFUSED)
    assert all(listed[name]["viewable"] for name in ("Approvals", "Attachments", "Consents", "Visits"))
    assert listed["Quoted_Items"]["generated_type"] == "subform"
    assert listed["Quoted_Items"]["parent_module"]["api_name"] == "Quotes"
    assert listed["DealHistory"]["generated_type"] == "field_tracker"
    assert listed["Events"]["module_name"] == "Meetings" and listed["Events"]["plural_label"] == "Meetings"
    assert "Activities" not in listed  # Zoho's v7/v8 sample list has none (docs/zoho-api/modules.md)


@pytest.mark.parametrize("module", REFUSED)
@pytest.mark.parametrize("path", ["{m}", "{m}/5725767000000000001", "{m}/deleted", "{m}/search"])
def test_a_listed_system_module_is_refused_by_the_record_endpoints(api, module, path):
    params = {"fields": "id", "criteria": "(id:equals:1)"} if path.endswith(("}", "search")) else {}
    resp = api.get(path.format(m=module), **params)

    assert error_of(resp)[:2] == (400, "INVALID_MODULE")
    assert resp.json()["message"] == "The given module is not supported in API"


def test_a_module_the_org_does_not_have_is_still_just_invalid(api):
    assert api.get("Nope", fields="id").json()["message"] == "The module name given seems to be invalid"


def test_coql_and_bulk_read_refuse_a_system_module_too(api):
    coql = api.post("coql", {"select_query": "select id from Approvals where id is not null"})
    bulk = api.post("/crm/bulk/v8/read", {"query": {"module": {"api_name": "Approvals"}}})

    assert error_of(coql)[:2] == (400, "INVALID_MODULE")
    assert bulk.status_code == 400


@pytest.mark.parametrize("module", NEW_MODULES)
def test_each_standard_module_has_a_few_records_and_the_system_fields(api, emulator, module):
    fields = {f["api_name"]: f for f in api.get("settings/fields", module=module).json()["fields"]}
    live = emulator.records(module)["live"]

    assert {"Owner", "Created_By", "Modified_By", "Created_Time", "Modified_Time"} <= set(fields)
    assert 0 < len(live) <= 25
    names = [n for n, f in fields.items() if f["data_type"] != "subform"][:50]
    page = api.get(module, fields=",".join(names)).json()["data"]
    assert {r["id"] for r in page} <= {r["id"] for r in live}


def test_activities_carry_start_end_what_id_with_se_module_reminders_and_recurrence(api, emulator):
    fields = {f["api_name"]: f for f in api.get("settings/fields", module="Events").json()["fields"]}
    events = emulator.records("Events")["live"]
    calls = api.get("Calls", fields="Subject,Call_Type,Call_Start_Time,Call_Duration,What_Id").json()["data"]

    assert fields["Remind_At"]["data_type"] == "multireminder" and fields["Remind_At"]["json_type"] == "jsonarray"
    assert fields["Recurring_Activity"]["data_type"] == "RRULE"
    assert fields["What_Id"]["lookup"]["module"]["api_name"] == "se_module"
    assert all(e["End_DateTime"] > e["Start_DateTime"] for e in events if e["Start_DateTime"])
    linked = [e for e in events if e["What_Id"]]
    assert linked and all(e["$se_module"] in ("Accounts", "Deals", "Products", "Quotes", "Sales_Orders",
                                              "Purchase_Orders", "Invoices", "Campaigns", "Vendors", "Cases")
                          for e in linked)
    assert all(isinstance(e["Remind_At"], list) and e["Remind_At"][0]["period"] for e in events)
    assert any(e["Recurring_Activity"] and e["Recurring_Activity"]["RRULE"].startswith("FREQ=") for e in events)
    assert all("$se_module" in c for c in calls if c.get("What_Id"))
    assert all(len(c["Call_Duration"]) == 5 and c["Call_Type"] in ("Outbound", "Inbound", "Missed") for c in calls)


@pytest.mark.parametrize("module, field", LINE_ITEMS.items())
def test_inventory_records_carry_line_items_priced_from_products(api, emulator, module, field):
    record_id = emulator.records(module)["live"][0]["id"]
    record = api.get(f"{module}/{record_id}").json()["data"][0]
    products = {r["id"] for r in emulator.records("Products")["live"]} | {
        e["id"] for e in emulator.records("Products")["deleted"]}

    items = record[field]
    assert items and all(i["Net_Total"] == round(i["Quantity"] * i["List_Price"], 2) for i in items)
    assert all(i["Product_Name"] is None or i["Product_Name"]["id"] in products for i in items)
    assert record["Sub_Total"] == round(sum(i["Net_Total"] for i in items), 2)
    assert record["Grand_Total"] == record["Sub_Total"]


def test_an_event_written_with_what_id_and_se_module_reads_back_with_both(api, emulator, fresh_org):
    deal = emulator.records("Deals")["live"][0]
    body = {"data": [{"Event_Title": "New Meeting", "Start_DateTime": "2025-05-20T09:00:00+05:30",
                      "End_DateTime": "2025-05-20T10:00:00+05:30", "What_Id": {"id": deal["id"]},
                      "$se_module": "Deals", "Remind_At": [{"unit": 15, "period": "minutes"}]}]}
    created = api.post("Events", body).json()["data"][0]
    record = api.get(f"Events/{created['details']['id']}").json()["data"][0]

    assert created["code"] == "SUCCESS"
    assert record["What_Id"]["id"] == deal["id"] and record["$se_module"] == "Deals"


def test_a_quote_written_with_line_items_gets_zohos_computed_amounts(api, emulator, fresh_org):
    """Insert Records' Quote sample: Product_Name, Quantity, Discount per line; Zoho computes the totals."""
    product = emulator.records("Products")["live"][0]
    body = {"data": [{"Subject": "quote v6", "Quoted_Items": [
        {"Product_Name": {"id": product["id"]}, "Quantity": 100, "List_Price": 2.5, "Discount": 10,
         "Description": "description"}]}]}
    created = api.post("Quotes", body).json()["data"][0]
    quote = api.get(f"Quotes/{created['details']['id']}").json()["data"][0]

    line = quote["Quoted_Items"][0]
    assert created["code"] == "SUCCESS" and line["id"].isdigit()
    assert (line["Total"], line["Total_After_Discount"], line["Net_Total"]) == (250.0, 240.0, 240.0)
    assert quote["Sub_Total"] == quote["Grand_Total"] == 240.0 and quote["Quote_Number"].startswith("QT-")
