"""Subform and line-item streams through the source's console script against the emulator (docs/source.md,
"Subforms and line items"): a full and an incremental sync hold the emulator's rows, value for value, and a row
removed from its parent arrives as a tombstone."""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.emulator.api import Api
from integration_tests.harness import Emulator, configured_catalog, run_connector, same_value
from integration_tests.source.test_source_sync import last_states, measured_read

SUBFORMS = {"Quotes__Quoted_Items": ("Quotes", "Quoted_Items"), "Sales_Orders__Ordered_Items": (
    "Sales_Orders", "Ordered_Items"), "Purchase_Orders__Purchase_Items": ("Purchase_Orders", "Purchase_Items"),
    "Invoices__Invoiced_Items": ("Invoices", "Invoiced_Items"), "Leads__Line_Items": ("Leads", "Line_Items")}
KEY_COLUMNS = {"parent_module", "parent_id", "row_position", "Modified_Time", "_ab_cdc_deleted_at"}


def subform_catalog(config: dict[str, Any]) -> dict[str, Any]:
    run = run_connector("source-zoho-crm", "discover", config=config)
    assert run.returncode == 0, run.stderr[-2000:]
    return configured_catalog(run.of_type("CATALOG")[0]["catalog"]["streams"], names=list(SUBFORMS))


def held(*runs: Any, stream: str) -> dict[tuple[str, int], dict[str, Any]]:
    """What an append_dedup destination holds on the key (parent_id, row_position) after these syncs."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for run in runs:
        for row in run.records(stream):
            key = (row["parent_id"], row["row_position"])
            if row.get("_ab_cdc_deleted_at"):
                rows.pop(key, None)
            else:
                rows[key] = row
    return rows


def truth(org: Emulator, parent: str, field: str) -> dict[tuple[str, int], dict[str, Any]]:
    """The emulator's rows of every live parent, positioned in id order as the stream keys them."""
    out = {}
    for record in org.records(parent)["live"]:
        for i, row in enumerate(sorted(record.get(field) or [], key=lambda r: r["id"])):
            out[(record["id"], i)] = {**row, "Modified_Time": record["Modified_Time"]}
    return out


def mismatches(expected: dict[tuple[str, int], dict[str, Any]], got: dict[tuple[str, int], dict[str, Any]],
               columns: set[str]) -> list[str]:
    """Every (key, column) where the stream's row differs from the truth (a missing key means null: the CDK
    leaves nulls out)."""
    wrong = [f"{key}: missing" for key in expected.keys() - got.keys()]
    wrong += [f"{key}: not in Zoho" for key in got.keys() - expected.keys()]
    for key in expected.keys() & got.keys():
        for column in columns - KEY_COLUMNS | {"id", "Modified_Time"}:
            if not same_value(got[key].get(column), expected[key].get(column)):
                wrong.append(f"{key}.{column}: {got[key].get(column)!r} != {expected[key].get(column)!r}")
    return wrong


def assert_holds_the_truth(org: Emulator, catalog: dict[str, Any], *runs: Any) -> None:
    for entry in catalog["streams"]:
        name = entry["stream"]["name"]
        columns = set(entry["stream"]["json_schema"]["properties"])
        parent, field = SUBFORMS[name]
        got = held(*runs, stream=name)
        assert mismatches(truth(org, parent, field), got, columns) == [], name
        assert all((r["parent_module"], r["Parent_Id"]["id"]) == (parent, pid) for (pid, _), r in got.items())


def edit_quotes(org: Emulator) -> dict[str, Any]:
    """A person at work: a row removed, one changed and one added on quote A; quote B deleted; a new quote."""
    api = Api(org)
    quotes = org.records("Quotes")["live"]
    a = next(q for q in quotes if len(q["Quoted_Items"]) >= 2)
    b = next(q for q in quotes if q["id"] != a["id"])
    product = {"id": org.records("Products")["live"][0]["id"]}
    first, second = sorted(a["Quoted_Items"], key=lambda r: r["id"])[:2]
    body = {"data": [{"id": a["id"], "Quoted_Items": [
        {"id": first["id"], "_delete": None}, {"id": second["id"], "Quantity": 42},
        {"Product_Name": product, "Quantity": 1, "List_Price": 9.5}]}]}
    assert api.put("Quotes", body).json()["data"][0]["code"] == "SUCCESS"
    assert api.delete("Quotes", ids=b["id"]).json()["data"][0]["code"] == "SUCCESS"
    created = api.post("Quotes", {"data": [{"Subject": "new", "Quoted_Items": [
        {"Product_Name": product, "Quantity": q, "List_Price": 2} for q in (1, 2, 3)]}]}).json()["data"][0]
    return {"edited": a["id"], "removed_row": first["id"], "deleted": b["id"], "rows_before": len(a["Quoted_Items"]),
            "created": created["details"]["id"]}


@pytest.mark.timeout(600)
def test_given_line_items_and_a_custom_subform_when_syncing_fully_then_incrementally_then_they_match_zoho(
        emulator_factory: Any) -> None:
    org = emulator_factory(records=30)
    config = org.config(modules=["Quotes", "Sales_Orders", "Purchase_Orders", "Invoices", "Leads"],
                        edition="Enterprise")
    lead = Api(org).post("Leads", {"data": [{"Last_Name": "Rows", "Line_Items": [
        {"Item": "Desk", "Quantity": 2}, {"Item": "Chair", "Quantity": 4}]}]}).json()["data"][0]["details"]["id"]
    catalog = subform_catalog(config)

    first = measured_read(org, config, catalog)
    assert_holds_the_truth(org, catalog, first)
    assert {r["parent_id"] for r in first.records("Leads__Line_Items")} == {lead}
    assert not any(r.get("_ab_cdc_deleted_at") for r in first.records())
    assert first.routes.get("GET /crm/v8/{module}/{id}", 0) == 0  # rows by COQL, never one GET per parent

    edits = edit_quotes(org)
    second = measured_read(org, config, catalog, state=last_states(first.states()))
    assert_holds_the_truth(org, catalog, first, second)

    rows = second.records("Quotes__Quoted_Items")
    gone = {(r["parent_id"], r["row_position"]) for r in rows if r.get("_ab_cdc_deleted_at")}
    # quote A: 3 rows before minus 1 plus 1; positions past its row count up to the largest row count: tombstones
    assert (edits["edited"], edits["rows_before"]) not in {(p, i) for p, i in held(first, second,
                                                                                    stream="Quotes__Quoted_Items")}
    assert {(edits["deleted"], 0)} <= gone
    assert all(r["id"] != edits["removed_row"] for r in held(first, second, stream="Quotes__Quoted_Items").values())
    changed = {r["parent_id"] for r in rows if not r.get("_ab_cdc_deleted_at")}
    # the changed quotes, and the last parent of the first sync again: its cursor is inclusive (at-least-once)
    assert {edits["edited"], edits["created"]} <= changed and len(changed) <= 3
    # nothing changed there: at most the boundary parent again
    assert len({r["parent_id"] for r in second.records("Sales_Orders__Ordered_Items")}) <= 1
    report = f"subform streams: full sync {first.cost[1]} credits, incremental {second.cost[1]} credits"
    print(report)


def test_given_a_quote_whose_row_was_removed_then_the_next_sync_tombstones_its_position(
        emulator_factory: Any) -> None:
    org = emulator_factory(records=10)
    config = org.config(modules=["Quotes"], edition="Enterprise")
    run = run_connector("source-zoho-crm", "discover", config=config)
    catalog = configured_catalog(run.of_type("CATALOG")[0]["catalog"]["streams"], names=["Quotes__Quoted_Items"])
    api = Api(org)
    product = {"id": org.records("Products")["live"][0]["id"]}
    quote = api.post("Quotes", {"data": [{"Subject": "two lines", "Quoted_Items": [
        {"Product_Name": product, "Quantity": q, "List_Price": 1} for q in (1, 2)]}]}).json()["data"][0]
    quote_id = quote["details"]["id"]
    first = measured_read(org, config, catalog)
    rows = {r["row_position"]: r for r in first.records("Quotes__Quoted_Items") if r["parent_id"] == quote_id}
    last = rows[1]["id"]

    api.put("Quotes", {"data": [{"id": quote_id, "Quoted_Items": [{"id": last, "_delete": None}]}]})
    second = measured_read(org, config, catalog, state=last_states(first.states()))

    mine = [r for r in second.records("Quotes__Quoted_Items") if r["parent_id"] == quote_id]
    tombstones = [r for r in mine if r.get("_ab_cdc_deleted_at")]
    assert [r["row_position"] for r in mine if not r.get("_ab_cdc_deleted_at")] == [0]
    assert 1 in {r["row_position"] for r in tombstones}
    assert all(t["Modified_Time"] == t["_ab_cdc_deleted_at"] and t["parent_module"] == "Quotes" for t in tombstones)
    assert held(first, second, stream="Quotes__Quoted_Items").get((quote_id, 1)) is None


COMMON = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL"  # Zoho's own example token: no ZohoCRM.coql.READ


@pytest.mark.timeout(600)
@pytest.mark.parametrize(("token", "route"), [
    (None, "POST /crm/v8/coql"),  # every changed parent's rows in one COQL call (LIMIT 2,000: 3 credits)
    (COMMON, "GET /crm/v8/{module}/{id}"),  # one single-record GET per parent: 1 credit each
])
def test_given_about_100_changed_quotes_then_their_line_items_cost_what_docs_source_md_says(
        emulator_factory: Any, token: str | None, route: str) -> None:
    org = emulator_factory(records=5)
    org.reset(module_records={"Quotes": 100})  # 100 seeded, a few of them in the recycle bin
    refresh = org.refresh_token(token) if token else None
    config = org.config(modules=["Quotes"], edition="Enterprise", **({"refresh_token": refresh} if refresh else {}))
    run = run_connector("source-zoho-crm", "discover", config=config)
    catalog = configured_catalog(run.of_type("CATALOG")[0]["catalog"]["streams"], names=["Quotes__Quoted_Items"])
    parents = len(org.records("Quotes")["live"])

    read = measured_read(org, config, catalog)

    assert len({r["parent_id"] for r in read.records("Quotes__Quoted_Items")}) == parents
    assert read.routes.get(route) == (1 if route.endswith("coql") else parents)
    assert read.routes.get("GET /crm/v8/{module}") == 1  # the changed parents: one list page
    print(f"{parents} changed quotes, token {token or 'full'}: {read.cost[1]} credits, calls {read.routes}")
