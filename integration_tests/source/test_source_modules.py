"""The source against an org that lists Zoho's whole module list (docs/zoho-api/modules.md): a default catalog
syncs, a module Zoho refuses at read time is left incomplete with Zoho's reason, and the standard modules are
read like any other."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from integration_tests.harness import Emulator, configured_catalog, run_connector
from source_zoho_crm.org_streams import ORG_STREAMS

REFUSED = {"Approvals", "Attachments", "Actions_Performed", "Visits", "Consents", "Data_Subject_Requests",
           "Data_Enrichment_Stats__s"}
NEW_MODULES = ("Events", "Calls", "Products", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices",
               "Vendors", "Campaigns", "Cases", "Solutions")
EVENTS_COQL = {"name": "meetings", "cursor_field": "Modified_Time",
               "query": "select Event_Title, Start_DateTime, End_DateTime, Remind_At, Recurring_Activity, What_Id, "
                        "Modified_Time from Events where id is not null"}
MODULE_STREAMS = {"Leads", "Contacts", "Accounts", "Deals", "Tasks", "Notes", "CustomModule1", "Events", "Calls",
                  "Products", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices", "Vendors",
                  "Campaigns", "Cases", "Solutions"}
# a stream per subform field of those modules (docs/source.md, "Subforms and line items")
SUBFORM_STREAMS = {"Quotes__Quoted_Items", "Sales_Orders__Ordered_Items", "Purchase_Orders__Purchase_Items",
                   "Invoices__Invoiced_Items", "Leads__Line_Items"}


def discovered(config: dict[str, Any]) -> list[dict[str, Any]]:
    run = run_connector("source-zoho-crm", "discover", config=config)
    assert run.returncode == 0, run.stderr[-2000:]
    assert not run.traces("ERROR"), run.traces("ERROR")
    return run.of_type("CATALOG")[0]["catalog"]["streams"]


def as_the_ui_selects(streams: list[dict[str, Any]]) -> dict[str, Any]:
    """Every stream, incremental and deduplicated where it can be, in a new connection (generation 0)."""
    catalog = configured_catalog(streams)
    for entry in catalog["streams"]:
        entry.update(generation_id=0, minimum_generation_id=0, sync_id=1)
    return catalog


def statuses(run: Any) -> dict[str, str]:
    return {t["stream_status"]["stream_descriptor"]["name"]: t["stream_status"]["status"]
            for t in run.traces("STREAM_STATUS")}


@pytest.mark.timeout(600)
def test_given_an_org_listing_refused_system_modules_when_a_default_catalog_syncs_then_every_stream_completes(
        emulator: Emulator) -> None:
    config = emulator.config()
    streams = discovered(config)
    names = {s["name"] for s in streams} - set(ORG_STREAMS)  # Users, Roles, ...: test_org_streams.py

    run = run_connector("source-zoho-crm", "read", config=config, catalog=as_the_ui_selects(streams))

    assert names == MODULE_STREAMS | SUBFORM_STREAMS and not names & REFUSED
    assert run.returncode == 0, run.stderr[-3000:]
    assert not run.traces("ERROR")
    assert set(statuses(run).values()) == {"COMPLETE"}
    for module in ("Events", "Calls", "Quotes", "Invoices", "Cases"):
        truth = {r["id"] for r in emulator.records(module)["live"]}
        assert truth and {r["id"] for r in run.records(module)} == truth, module
    events = {s["name"]: s for s in streams}["Events"]["json_schema"]["properties"]
    assert {"Start_DateTime", "End_DateTime", "What_Id", "$se_module", "Remind_At", "Recurring_Activity"} <= set(events)
    truth = {r["id"]: r for r in emulator.records("Events")["live"]}
    linked = [r for r in run.records("Events") if r.get("What_Id")]
    assert linked and all(r["$se_module"] == truth[r["id"]]["$se_module"] for r in linked)
    schemas = {s["name"]: s["json_schema"] for s in streams}
    for module in NEW_MODULES:  # each record fits the schema its own stream declared
        for record in run.records(module):
            jsonschema.validate(record, schemas[module])


def test_given_a_coql_stream_on_events_then_its_columns_are_typed_from_the_field_metadata(
        emulator: Emulator) -> None:
    config = emulator.config(modules=["Events"], coql_streams=[EVENTS_COQL])
    streams = {s["name"]: s for s in discovered(config)}

    run = run_connector("source-zoho-crm", "read", config=config,
                        catalog=as_the_ui_selects([streams["meetings"]]))

    columns = streams["meetings"]["json_schema"]["properties"]
    assert "array" in columns["Remind_At"]["type"] and "object" in columns["Recurring_Activity"]["type"]
    assert columns["Start_DateTime"]["format"] == "date-time"
    rows = run.records("meetings")
    assert run.returncode == 0 and len(rows) == len(emulator.records("Events")["live"])
    for row in rows:
        jsonschema.validate(row, streams["meetings"]["json_schema"])


def test_given_a_stream_zoho_refuses_at_read_time_then_it_is_incomplete_with_the_reason_and_the_others_complete(
        emulator: Emulator) -> None:
    """A catalog from an earlier discover still names Approvals; Get Records now answers 400 INVALID_MODULE."""
    config = emulator.config(modules=["Leads", "Events"])
    streams = [s for s in discovered(config) if s["name"] not in ORG_STREAMS]
    approvals = copy.deepcopy(next(s for s in streams if s["name"] == "Events"))
    approvals["name"] = "Approvals"
    approvals["json_schema"]["properties"] = {k: approvals["json_schema"]["properties"][k]
                                              for k in ("id", "Modified_Time", "_ab_cdc_deleted_at")}

    run = run_connector("source-zoho-crm", "read", config=config, catalog=as_the_ui_selects([*streams, approvals]))

    assert run.returncode == 0, run.stderr[-3000:]
    assert not run.traces("ERROR")
    assert statuses(run) == {"Leads": "COMPLETE", "Events": "COMPLETE", "Leads__Line_Items": "COMPLETE",
                             "Approvals": "INCOMPLETE"}
    warning = next(w for w in run.logs("WARN") if w.startswith("Stream Approvals"))
    assert "INVALID_MODULE" in warning and "The given module is not supported in API" in warning
    assert run.records("Leads") and run.records("Events") and not run.records("Approvals")


def test_given_bulk_read_always_then_the_standard_modules_export_and_the_line_items_stay_out(
        emulator: Emulator) -> None:
    """Bulk Read exports every standard module of its page; subforms are not exported (section 12.1)."""
    config = emulator.config(modules=["Quotes", "Events"], bulk_read="always")
    streams = discovered(config)
    before = emulator.stats()["by_route"].get("POST /crm/bulk/v8/read", 0)

    run = run_connector("source-zoho-crm", "read", config=config, catalog=as_the_ui_selects(streams))

    assert run.returncode == 0, run.stderr[-3000:]
    assert emulator.stats()["by_route"]["POST /crm/bulk/v8/read"] - before == 2
    for module in ("Quotes", "Events"):
        assert {r["id"] for r in run.records(module)} == {r["id"] for r in emulator.records(module)["live"]}
    assert all(isinstance(r["Grand_Total"], float | int) for r in run.records("Quotes"))
