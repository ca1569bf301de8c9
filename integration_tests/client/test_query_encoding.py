"""The list calls' queries as the transport now encodes them (commas of `fields` and `ids` literal,
docs/zoho-api/requests.md), against the emulator: every field group and every id reaches the server."""

from __future__ import annotations

from integration_tests.harness import Emulator
from zoho_crm_client import ZohoClient


def test_given_more_than_fifty_fields_when_listed_then_every_field_comes_back_for_every_row(
        zoho: ZohoClient, emulator: Emulator) -> None:
    fields = [f.api_name for f in zoho.fields("Leads") if f.api_name != "id"]
    assert len(fields) > 50, "two field groups, each a comma list of up to 50 names"
    rows = [r for page in zoho.iter_records("Leads", fields) for r in page.records]
    live = {str(r["id"]): r for r in emulator.records("Leads")["live"]}
    assert {str(r["id"]) for r in rows} == set(live)
    asked = set(fields) | {"id"}
    for row in rows:
        assert set(row) <= asked and "Last_Name" in row and "Modified_Time" in row
        assert row["Last_Name"] == live[str(row["id"])]["Last_Name"]


def test_given_ids_when_fetched_by_id_then_exactly_those_records_are_filled(zoho: ZohoClient,
                                                                         emulator: Emulator) -> None:
    live = {str(r["id"]): r for r in emulator.records("Leads")["live"]}
    ids = sorted(live)[:3]
    rows = [{"id": i} for i in ids]
    calls = zoho._records.fill("Leads", rows, ["Last_Name", "Email"])  # one `?ids=a,b,c` call
    assert calls == 1
    assert [(r["id"], r["Last_Name"]) for r in rows] == [(i, live[i]["Last_Name"]) for i in ids]
