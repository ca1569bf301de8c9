"""Subform rows in a write (destination_zoho_crm/subform_rows.py) replaying Zoho's Insert Records Quote sample
(docs/zoho-api/subforms.md S6a, S7): its `Quoted_Items` row is checked against the subform's field metadata and
passes; an unknown field, a wrong type or a new row without its product is refused, naming the row."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from destination_zoho_crm.operations import Operation
from destination_zoho_crm.payload import Payload, build
from destination_zoho_crm.subform_rows import SubformRows
from zoho_crm_client.models import FieldMeta

SAMPLE = json.loads((Path(__file__).parents[1] / "client" / "zoho_samples" / "subforms_v7.json").read_text())
QUOTE = SAMPLE["quote_insert"]["data"][0]


def meta(api_name: str, data_type: str, **raw: object) -> FieldMeta:
    return FieldMeta.from_json({"api_name": api_name, "data_type": data_type, **raw})


QUOTES = {"Subject": meta("Subject", "text", system_mandatory=True),
          "Quoted_Items": meta("Quoted_Items", "subform", json_type="jsonarray",
                               associated_module={"module": "Quoted_Items", "id": "1"})}
# the keys of the sample's row, typed as Insert Records' field table types them; Total and Parent_Id set by Zoho
LINE_ITEM = [meta("Product_Name", "lookup", system_mandatory=True), meta("Quantity", "double"),
             meta("Discount", "currency"), meta("Price_Book_Name", "lookup"), meta("Description", "textarea"),
             meta("Line_Tax", "linetax", json_type="jsonarray"), meta("Total", "currency", read_only=True),
             meta("Parent_Id", "lookup", read_only=True), meta("id", "bigint", read_only=True)]
ROWS = SubformRows(QUOTES, lambda module: LINE_ITEM if module == "Quoted_Items" else [])


def problems(row: dict, op: Operation = Operation.CREATE) -> list[tuple[str, str | None, str]]:
    body = {**QUOTE, "Quoted_Items": [copy.deepcopy(QUOTE["Quoted_Items"][0]), row]}
    return [(p.code, p.field, p.details["json_path"]) for p in ROWS.check(ROWS.conform(body, op), op)]


def test_given_zohos_quote_sample_then_its_line_item_passes() -> None:
    assert ROWS.check(copy.deepcopy(QUOTE), Operation.CREATE) == []


@pytest.mark.parametrize("row, expected", [
    ({"Product_Name": {"id": "3652397000000416001"}, "Colour": "red"},
     ("INVALID_DATA", "Colour", "Quoted_Items[1].Colour")),
    ({"Product_Name": {"id": "3652397000000416001"}, "Quantity": "many"},
     ("INVALID_DATA", "Quantity", "Quoted_Items[1].Quantity")),
    ({"Quantity": 1}, ("MANDATORY_NOT_FOUND", "Product_Name", "Quoted_Items[1].Product_Name")),
])
def test_given_a_bad_row_then_the_record_is_refused_naming_the_row(row: dict, expected: tuple) -> None:
    assert problems(row) == [expected]


def test_given_a_row_read_back_from_zoho_then_what_zoho_computes_is_left_out_and_it_passes() -> None:
    row = {**QUOTE["Quoted_Items"][0], "id": "3652397000000500001", "Total": 1000.0, "$editable": True,
           "Parent_Id": {"name": "quote v6", "id": "3652397000000500000"}}
    body = ROWS.conform({"Quoted_Items": [row]}, Operation.UPDATE)

    assert set(body["Quoted_Items"][0]) == set(QUOTE["Quoted_Items"][0]) | {"id"}
    assert ROWS.check(body, Operation.UPDATE) == []


def test_given_an_update_then_rows_named_by_id_need_no_product_and_delete_passes_through() -> None:
    body = ROWS.conform({"Quoted_Items": [{"id": "3652397000000500001", "Quantity": 5},
                                          {"id": "3652397000000500002", "_delete": None}]}, Operation.UPDATE)

    assert ROWS.check(body, Operation.UPDATE) == []
    assert body["Quoted_Items"][1] == {"id": "3652397000000500002", "_delete": None}


def test_given_a_create_then_row_ids_of_another_record_and_deletions_are_dropped() -> None:
    body = ROWS.conform({"Quoted_Items": [{**QUOTE["Quoted_Items"][0], "id": "3652397000000500001"},
                                          {"id": "3652397000000500002", "_delete": None}]}, Operation.CREATE)

    assert body["Quoted_Items"] == [QUOTE["Quoted_Items"][0]]


def test_given_a_warehouse_column_holding_json_text_then_the_payload_carries_the_array() -> None:
    record = {"Subject": "quote v6", "Quoted_Items": json.dumps(QUOTE["Quoted_Items"])}

    payload = build(record, Operation.CREATE, "Quotes", QUOTES)

    assert isinstance(payload, Payload) and payload.body["Quoted_Items"] == QUOTE["Quoted_Items"]
