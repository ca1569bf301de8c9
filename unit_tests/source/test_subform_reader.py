"""Subform streams (source_zoho_crm/subform_streams.py, readers/subforms.py) replaying Zoho's Get Subform Data
sample (docs/zoho-api/subforms.md S2): a Contact whose `Languages` subform has two rows, each with its own id and
`Parent_Id`; the field metadata names the subform module in `associated_module` as Zoho's Fields sample does."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from source_zoho_crm.subform_streams import split_name
from unit_tests.source.fakes import FakeClient, datetime_field, module, text_field
from unit_tests.source.test_read import CONFIG, as_input_state, catalog, records, run_read, states
from zoho_crm_client.errors import ScopeMissingError
from zoho_crm_client.models import FieldMeta, ModuleMeta, Page

SAMPLE = json.loads((Path(__file__).parents[1] / "client" / "zoho_samples" / "subforms_v7.json").read_text())
CONTACT = SAMPLE["record"]["data"][0]
STREAM = "Contacts__Languages"
SUBFORM_FIELD = FieldMeta.from_json({"api_name": "Languages", "data_type": "subform", "json_type": "jsonarray",
                                     "associated_module": {"module": "Languages", "id": "5725767000002102023"}})
LANGUAGE_FIELDS = [text_field("Proficiency"), text_field("Languages_Known"),
                   FieldMeta(api_name="Parent_Id", data_type="lookup", json_type="jsonobject"),
                   FieldMeta(api_name="id", data_type="bigint", json_type="string")]


@dataclass
class SubformOrg(FakeClient):
    """The fake facade plus what subform streams call: COQL rows by parent (or a scope refusal) and the
    single-record GET, answered from the records as Zoho's sample shows them."""

    coql_refusal: Exception | None = None
    row_calls: list[list[str]] = field(default_factory=list)

    def iter_subform_rows(self, subform: str, columns: Sequence[str], parent_ids: Sequence[str]) -> Iterator[Page]:
        self._call("coql")
        if self.coql_refusal is not None:
            raise self.coql_refusal
        self.row_calls.append(list(parent_ids))
        rows = [{k: v for k, v in row.items() if k in (*columns, "id")}
                for record in self.records["Contacts"] if record["id"] in parent_ids
                for row in record.get("Languages") or []]
        if rows:
            yield Page(records=sorted(rows, key=lambda r: r["id"]), credits=3)

    def get_record(self, module_name: str, record_id: str) -> dict[str, Any] | None:
        self._call("get_record")
        return next((copy.deepcopy(r) for r in self.records[module_name] if r["id"] == record_id), None)


def org(**kwargs: Any) -> SubformOrg:
    contact = {**copy.deepcopy(CONTACT), "Modified_Time": "2024-05-01T10:00:00+05:30"}
    return SubformOrg(modules_meta=[module("Contacts"), ModuleMeta.from_json(SAMPLE["module"])],
                      fields_meta={"Contacts": [text_field("Last_Name"), datetime_field("Modified_Time"),
                                                SUBFORM_FIELD],
                                   "Languages": LANGUAGE_FIELDS},
                      records={"Contacts": [contact]}, **kwargs)


def read(client: SubformOrg, state: Any = None) -> list[dict]:
    configured = catalog(client, CONFIG, [STREAM])
    return run_read(client, CONFIG, configured, state)


def test_given_the_subform_field_then_discovery_offers_its_stream_keyed_by_parent_and_position() -> None:
    client = org()
    configured = catalog(client, CONFIG)
    streams = {s.stream.name: s.stream for s in configured.streams}

    assert STREAM in streams and "Quoted_Items" not in streams  # the subform module itself is no module stream
    assert streams[STREAM].source_defined_primary_key == [["parent_id"], ["row_position"]]
    assert {"Proficiency", "Languages_Known", "Parent_Id", "parent_module", "row_position"} <= set(
        streams[STREAM].json_schema["properties"])


def test_given_zohos_sample_rows_then_each_becomes_a_row_with_its_parent_and_position() -> None:
    out = read(org())

    rows = records(out, STREAM)
    assert [(r["id"], r["Languages_Known"], r["row_position"]) for r in rows] == [
        ("554023000000473001", "English", 0), ("554023000000473003", "French", 1)]
    assert all((r["parent_module"], r["parent_id"]) == ("Contacts", CONTACT["id"]) for r in rows)
    assert all(r["Modified_Time"] == "2024-05-01T04:30:00+00:00" for r in rows)  # the parent's, in UTC
    assert states(out, STREAM)[-1]["rows_per_parent"] == 2


def test_given_no_coql_scope_then_the_single_record_get_gives_the_same_rows() -> None:
    refused = org(coql_refusal=ScopeMissingError("no scope", status=401, code="OAUTH_SCOPE_MISMATCH",
                                                 scopes=("ZohoCRM.coql.READ",)))

    out = read(refused)

    assert [(r["id"], r["row_position"]) for r in records(out, STREAM)] == [
        ("554023000000473001", 0), ("554023000000473003", 1)]
    assert refused.calls["get_record"] == 1
    assert any("ZohoCRM.coql.READ" in m["log"]["message"] for m in out if m["type"] == "LOG")


def test_given_a_row_removed_from_its_parent_then_the_next_sync_tombstones_its_position() -> None:
    client = org()
    first = read(client)
    contact = client.records["Contacts"][0]
    contact["Languages"] = contact["Languages"][1:]  # the English row removed in Zoho
    contact["Modified_Time"] = "2024-05-02T10:00:00+05:30"

    second = read(client, as_input_state(first))

    rows = records(second, STREAM)
    assert [(r["row_position"], r.get("_ab_cdc_deleted_at")) for r in rows] == [
        (0, None), (1, "2024-05-02T04:30:00+00:00")]
    assert rows[0]["id"] == "554023000000473003" and rows[1].get("id") is None
    assert rows[1]["Modified_Time"] == rows[1]["_ab_cdc_deleted_at"]


def test_given_a_deleted_parent_then_every_position_it_may_have_had_is_tombstoned() -> None:
    client = org()
    first = read(client)
    client.records["Contacts"] = []
    client.deleted["Contacts"] = [{"id": CONTACT["id"], "deleted_time": "2099-01-01T00:00:00+05:30"}]

    second = read(client, as_input_state(first))

    assert [(r["parent_id"], r["row_position"]) for r in records(second, STREAM) if r["_ab_cdc_deleted_at"]] == [
        (CONTACT["id"], 0), (CONTACT["id"], 1)]


def test_the_name_of_a_subform_stream_splits_into_module_and_field_but_a_system_modules_name_does_not() -> None:
    assert split_name("Quotes__Quoted_Items") == ("Quotes", "Quoted_Items")
    assert split_name("Appointments__s__Lines") == ("Appointments__s", "Lines")
    assert split_name("Appointments__s") is None and split_name("Leads") is None
