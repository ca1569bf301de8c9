"""A formula over Now() changes when the formula clock moves, and Modified_Time does not
(docs/zoho-api/formulas.md; control plane `clock`, docs/emulator.md)."""

from __future__ import annotations

from integration_tests.emulator.api import Api

FIELDS = "Days_In_Pipeline,Created_Time,Modified_Time"


def _deals(api: Api) -> dict[str, dict]:
    return {r["id"]: r for r in api.get("Deals", fields=FIELDS, per_page=200).json()["data"]}


def test_given_a_dynamic_formula_when_the_clock_advances_then_its_value_moves_and_modified_time_stays(emulator):
    emulator.reset()
    api = Api(emulator)
    before = _deals(api)
    answer = emulator.advance_formula_clock(3)
    after = _deals(api)
    assert answer["advanced_days"] == 3 and answer["recomputed"] == len(before)
    assert after.keys() == before.keys()
    for rid, row in after.items():
        assert row["Days_In_Pipeline"] == before[rid]["Days_In_Pipeline"] + 3
        assert row["Modified_Time"] == before[rid]["Modified_Time"]
    # an incremental reader asking for changes since the newest Modified_Time sees none of them
    newest = max(r["Modified_Time"] for r in before.values())
    changed = api.get("Deals", fields=FIELDS, headers={"If-Modified-Since": newest})
    assert {r["id"] for r in changed.json()["data"]} <= {r for r, v in before.items() if v["Modified_Time"] == newest}


def test_every_read_path_serves_the_recomputed_value(emulator):
    emulator.reset()
    api = Api(emulator)
    emulator.advance_formula_clock(10)
    listed = _deals(api)
    some = sorted(listed)[0]
    single = api.get(f"Deals/{some}").json()["data"][0]
    coql = api.post("coql", {"select_query": f"select Days_In_Pipeline from Deals where id = '{some}'"}).json()
    truth = {r["id"]: r for r in emulator.records("Deals")["live"]}
    assert single["Days_In_Pipeline"] == coql["data"][0]["Days_In_Pipeline"] == listed[some]["Days_In_Pipeline"]
    assert truth[some]["Days_In_Pipeline"] == listed[some]["Days_In_Pipeline"]


def test_metadata_marks_the_formula_dynamic_and_read_only(emulator):
    fields = {f["api_name"]: f for f in Api(emulator).get("settings/fields", module="Deals").json()["fields"]}
    days, revenue = fields["Days_In_Pipeline"], fields["Expected_Revenue"]
    assert days["data_type"] == "formula" and days["read_only"] and days["json_type"] == "double"
    assert days["formula"]["dynamic"] is True and "Now()" in days["formula"]["expression"]
    assert revenue["formula"]["dynamic"] is False


def test_reset_puts_the_clock_back_and_a_saved_deal_uses_the_current_clock(emulator):
    emulator.reset()
    emulator.advance_formula_clock(5)
    assert emulator.reset() and emulator._call("GET", "clock")["advanced_days"] == 0
    api = Api(emulator)
    created = api.post("Deals", {"data": [{"Deal_Name": "formula clock deal", "Stage": "Qualification"}]})
    rid = created.json()["data"][0]["details"]["id"]
    assert api.get(f"Deals/{rid}").json()["data"][0]["Days_In_Pipeline"] == 0
    emulator.advance_formula_clock(2)
    assert api.get(f"Deals/{rid}").json()["data"][0]["Days_In_Pipeline"] == 2


def test_the_clock_refuses_a_value_that_is_not_whole_days(emulator):
    resp = emulator.http.post(f"{emulator.url}/__emulator__/clock", json={"advance_days": 1.5}, timeout=30)
    assert resp.status_code == 400 and "advance_days" in resp.json()["error"]
