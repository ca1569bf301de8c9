"""Convert of 20 leads, five already converted, and clone with overrides, through the console script."""

from __future__ import annotations

import json
from typing import Any

import pytest

from integration_tests.destination.messages import by, live, record, rejections, state, write, write_calls
from integration_tests.harness import Emulator
from zoho_crm_client import ZohoClient, ZohoConfig

CONVERT_ROUTE = ("POST /crm/v8/Leads/{id}/actions/convert",)
DEAL = {"Deal_Name": "Converted deal", "Stage": "Qualification", "Closing_Date": "2026-12-31"}


def logged(run: Any, prefix: str) -> list[dict[str, Any]]:
    return [json.loads(m[len(prefix):]) for m in run.logs() if m.startswith(prefix)]


@pytest.fixture(scope="module")
def converted(emulator: Emulator) -> dict[str, Any]:
    emulator.reset()
    leads = [r["id"] for r in live(emulator, "Leads") if not r.get("Converted__s")][:20]
    with ZohoClient(ZohoConfig.from_mapping(emulator.config())) as client:
        assert all(client.convert_lead(lead, {}).ok for lead in leads[:5])  # converted before the sync
    messages = [record("Leads", {"id": lead, "_zoho_operation": "convert", "notify_lead_owner": False,
                                 **({"Deals": {**DEAL, "Deal_Name": f"Deal of {lead}"}} if i % 2 else {})})
                for i, lead in enumerate(leads)]
    before = emulator.stats()
    run = write(emulator, [("Leads", "append")], [*messages, state("Leads", 1)], on_rejected="report")
    return {"run": run, "leads": leads, "before": before, "after": emulator.stats(),
            "deals": by(live(emulator, "Deals"), "Deal_Name")}


def test_given_20_leads_when_converted_then_one_call_each_and_every_outcome_reported(converted) -> None:
    run, leads = converted["run"], converted["leads"]
    assert run.returncode == 0, run.stderr[-2000:]
    assert write_calls(converted["before"], converted["after"], CONVERT_ROUTE) == 20
    assert {(r["id"], r["code"]) for r in rejections(run)} == {(lead, "ID_ALREADY_CONVERTED") for lead in leads[:5]}
    done = logged(run, "Converted record: ")
    assert sorted(r["id"] for r in done) == sorted(leads[5:])
    assert all(r["result"]["Contacts"]["id"] for r in done)
    assert run.states()[0]["destinationStats"]["recordCount"] == 20


def test_given_converts_with_a_deal_when_written_then_the_deals_exist(converted) -> None:
    deals = converted["deals"]
    wanted = {f"Deal of {lead}" for i, lead in enumerate(converted["leads"]) if i % 2 and i >= 5}
    assert wanted <= set(deals)


def test_given_a_clone_with_overrides_when_written_then_the_copy_has_them(emulator: Emulator) -> None:
    emulator.reset()
    source = live(emulator, "CustomModule1")[0]
    run = write(emulator, [("CustomModule1", "append")],
                [record("CustomModule1", {"id": source["id"], "_zoho_operation": "clone", "Name": "The copy",
                                          "Quantity": 3}), state("CustomModule1", 1)])
    assert run.returncode == 0, (rejections(run), run.stderr[-2000:])
    [cloned] = logged(run, "Cloned record: ")
    copy = by(live(emulator, "CustomModule1"), "id")[cloned["result"]["id"]]
    assert (copy["Name"], copy["Quantity"], copy["Status"]) == ("The copy", 3, source["Status"])
