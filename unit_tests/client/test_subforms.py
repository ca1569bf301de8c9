"""Subform rows by parent (zoho_crm_client/subforms.py) against Zoho's published answers (docs/zoho-api/subforms.md).

`zoho_samples/subforms_v7.json` holds, trimmed to the keys read, the two subform fields of Zoho's Fields Metadata
v7 sample (`associated_module` naming `Project_Details` and `Alternate_Address`), the `Quoted_Items` entry of the
Modules API v7 sample, and the sample response of Get Subform Data (a Contact with two `Languages` rows); the
file's `_source` names each page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok
from zoho_crm_client import FieldMeta
from zoho_crm_client.paths import InvalidIdentifier
from zoho_crm_client.subforms import parent_of, rows_query, selectable, subform_module

SAMPLE = json.loads((Path(__file__).parent / "zoho_samples" / "subforms_v7.json").read_text())
RECORD = SAMPLE["record"]["data"][0]


def test_given_zohos_field_sample_then_each_subform_field_names_its_module() -> None:
    fields = {f["api_name"]: FieldMeta.from_json(f) for f in SAMPLE["fields"]}

    assert subform_module(fields["Project_Details"]) == "Project_Details"
    assert subform_module(fields["Alternate_Address"]) == "Alternate_Address"
    assert subform_module(fields["Last_Name"]) is None


def test_given_the_openapi_files_subform_key_instead_then_it_names_the_module_too() -> None:
    # zoho/crm-oas v8.0/fields.json declares `subform: {"module", "id"}` beside `associated_module`
    meta = FieldMeta.from_json({"api_name": "Lines", "data_type": "subform", "associated_module": None,
                                "subform": {"module": "Lines_Module", "id": "1"}})

    assert subform_module(meta) == "Lines_Module"


def test_given_a_subform_without_a_module_then_none_is_named() -> None:
    # Price_Books' Pricing_Details: a JSON array Zoho's SDK types by name, with no subform module published
    assert subform_module(FieldMeta.from_json({"api_name": "Pricing_Details", "data_type": "subform"})) is None


def test_given_zohos_get_subform_sample_then_every_row_names_its_parent_record() -> None:
    assert [parent_of(row) for row in RECORD["Languages"]] == [RECORD["id"]] * 2
    assert parent_of({"Parent_Id": "554023000000298003"}) == "554023000000298003"  # a bare id, tolerated


def test_the_rows_query_selects_parent_id_and_the_subforms_fields_for_up_to_100_quoted_parents() -> None:
    fields = [FieldMeta.from_json(f) for f in (
        {"api_name": "Product_Name", "data_type": "lookup"}, {"api_name": "Quantity", "data_type": "double"},
        {"api_name": "Parent_Id", "data_type": "lookup"}, {"api_name": "id", "data_type": "bigint"},
        {"api_name": "Pictures", "data_type": "imageupload"})]

    columns = selectable(fields)
    text = rows_query("Quoted_Items", columns, ["5725767000000524157", 5725767000000524158])

    assert columns == ["Parent_Id", "Product_Name", "Quantity"]
    assert text == ("select Parent_Id, Product_Name, Quantity from Quoted_Items "
                    "where Parent_Id in ('5725767000000524157', '5725767000000524158')")


@pytest.mark.parametrize("ids", [["1 or 1=1"], [], [str(i) for i in range(101)]])
def test_a_parent_that_is_not_a_zoho_id_or_too_many_parents_never_reach_zoho(ids: list[str]) -> None:
    with pytest.raises((InvalidIdentifier, ValueError)):
        rows_query("Quoted_Items", ["Parent_Id"], ids)


def test_the_client_reads_the_rows_of_the_parents_by_coql_keyset_on_id() -> None:
    rows = [{**row, "Parent_Id": {"name": "Last_Name1", "id": RECORD["id"]}} for row in RECORD["Languages"]]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        coql = mock.post(f"{API}/crm/v8/coql", [{"json": {"data": rows, "info": {"count": 2, "more_records": True}}},
                                                {"status_code": 204}])
        pages = list(client().iter_subform_rows("Languages", ["Parent_Id", "Languages_Known"], [RECORD["id"]]))

    assert [r["id"] for page in pages for r in page.records] == [r["id"] for r in RECORD["Languages"]]
    first, second = (call.json()["select_query"] for call in coql.request_history)
    assert first.startswith("select Parent_Id, Languages_Known from Languages where (Parent_Id in (")
    assert f"(id > '{RECORD['Languages'][-1]['id']}')" in second and pages[0].credits == 3
