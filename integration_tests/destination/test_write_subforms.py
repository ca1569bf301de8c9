"""Line items and subform rows written through the destination's console script (docs/destination.md, "Line items
and subforms"; docs/zoho-api/subforms.md): a quote with its line items from a warehouse table reads back whole, rows
are checked against the subform's field metadata per record, and an update changes rows by id."""

from __future__ import annotations

import json

from integration_tests.destination.messages import by, live, record, rejections, state, write
from integration_tests.emulator.api import Api
from integration_tests.harness import Emulator


def _product_ids(emulator: Emulator) -> list[str]:
    return [p["id"] for p in live(emulator, "Products")[:3]]


def test_given_a_quote_with_three_line_items_when_created_then_it_reads_back_whole(emulator: Emulator) -> None:
    emulator.reset()
    products = _product_ids(emulator)
    lines = [{"Product_Name": {"id": pid}, "Quantity": q, "List_Price": price, "Description": f"line {q}"}
             for pid, q, price in zip(products, (1, 2, 3), (10.0, 20.5, 7.25), strict=True)]
    # a warehouse table's JSON column comes back as text: the destination reads the array it spells
    run = write(emulator, [("Quotes", "append")], [
        record("Quotes", {"Subject": "Warehouse quote", "Quoted_Items": json.dumps(lines)}), state("Quotes", 1)])

    assert run.returncode == 0 and rejections(run) == [], run.stderr[-2000:]
    quote = by(live(emulator, "Quotes"), "Subject")["Warehouse quote"]
    items = Api(emulator).get(f"Quotes/{quote['id']}").json()["data"][0]["Quoted_Items"]
    assert [(i["Product_Name"]["id"], i["Quantity"], i["List_Price"], i["Description"]) for i in items] == [
        (pid, q, price, f"line {q}") for pid, q, price in zip(products, (1, 2, 3), (10.0, 20.5, 7.25), strict=True)]
    assert [i["Net_Total"] for i in items] == [10.0, 41.0, 21.75] and quote["Grand_Total"] == 72.75
    assert all(i["id"].isdigit() and i["Parent_Id"]["id"] == quote["id"] for i in items)


def test_given_bad_line_items_when_written_then_only_those_records_are_rejected_naming_the_row(
        emulator: Emulator) -> None:
    emulator.reset()
    product = {"id": _product_ids(emulator)[0]}
    run = write(emulator, [("Quotes", "append")], [
        record("Quotes", {"Subject": "good", "Quoted_Items": [{"Product_Name": product, "Quantity": 1}]}),
        record("Quotes", {"Subject": "unknown", "Quoted_Items": [{"Product_Name": product, "Colour": "red"}]}),
        record("Quotes", {"Subject": "wrong type", "Quoted_Items": [
            {"Product_Name": product, "Quantity": 1}, {"Product_Name": product, "Quantity": "many"}]}),
        record("Quotes", {"Subject": "no product", "Quoted_Items": [{"Quantity": 1}]}),
        state("Quotes", 1),
    ], on_rejected="report")

    assert run.returncode == 0, run.stderr[-2000:]
    paths = sorted(r["details"]["json_path"] for r in rejections(run))
    assert paths == ["Quoted_Items[0].Colour", "Quoted_Items[0].Product_Name", "Quoted_Items[1].Quantity"]
    assert set(by(live(emulator, "Quotes"), "Subject")) >= {"good"}
    assert not {"unknown", "wrong type", "no product"} & set(by(live(emulator, "Quotes"), "Subject"))


def test_given_rows_read_by_the_source_when_sent_back_in_an_update_then_they_change_by_id(emulator: Emulator) -> None:
    emulator.reset()
    quote = next(q for q in live(emulator, "Quotes") if len(q["Quoted_Items"]) >= 2)
    first, second = quote["Quoted_Items"][:2]
    # rows as the source emits them: Parent_Id and the amounts Zoho computes are left out by the destination
    changed = {**first, "Quantity": 9}
    run = write(emulator, [("Quotes", "append")], [
        record("Quotes", {"_zoho_operation": "update", "id": quote["id"],
                          "Quoted_Items": [changed, {"id": second["id"], "_delete": None}]}),
        state("Quotes", 1)])

    assert run.returncode == 0 and rejections(run) == [], run.stderr[-2000:]
    items = {i["id"]: i for i in by(live(emulator, "Quotes"), "id")[quote["id"]]["Quoted_Items"]}
    assert items[first["id"]]["Quantity"] == 9 and second["id"] not in items
    assert len(items) == len(quote["Quoted_Items"]) - 1
