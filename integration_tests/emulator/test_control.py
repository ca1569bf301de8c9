"""design.md control plane: stats, reset, ground truth, mutate (same_second), determinism of the seed."""

from __future__ import annotations

from integration_tests.emulator.api import Api


def test_stats_count_requests_by_route_and_status(emulator_factory):
    emu = emulator_factory(records=5)
    api = Api(emu)
    api.get("Leads", fields="Last_Name")
    api.get("Leads")
    stats = emu.stats()
    assert stats["by_route"]["GET /crm/v8/{module}"] == 2 and stats["by_route"]["POST /oauth/v2/token"] == 1
    assert stats["status_counts"]["400"] == 1 and stats["requests"] == 3
    assert stats["credits_used"] == 2 and stats["max_in_flight"] == 1


def test_same_seed_gives_same_data_and_reset_restores_it(emulator_factory):
    a, b = emulator_factory(records=20, seed=3), emulator_factory(records=20, seed=3)
    assert a.records("Leads") == b.records("Leads")
    a.mutate(module="Leads", create=2, update=2, delete=2)
    assert a.records("Leads") != b.records("Leads")
    a.reset()
    assert a.records("Leads") == b.records("Leads")
    a.reset(seed=4, records=10)
    assert len(a.records("Contacts")["live"]) < 10


def test_seeded_org_has_converted_deleted_and_purged_records(emulator):
    leads = emulator.records("Leads")
    assert any(r["Converted__s"] for r in leads["live"])
    assert {d["type"] for d in leads["deleted"]} == {"recycle", "permanent"}
    notes = emulator.records("Notes")["live"]
    parents = {m: {r["id"] for r in emulator.records(m)["live"]} for m in ("Leads", "Contacts", "Accounts", "Deals")}
    assert all(n["Parent_Id"]["id"] in parents[n["Parent_Id"]["module"]["api_name"]] for n in notes)


def test_mutate_same_second_touches_records_and_reports_ids(emulator_factory):
    emu = emulator_factory(records=30)
    before = emu.records("Contacts")
    out = emu.mutate(module="Contacts", create=3, update=4, delete=2, same_second=True)
    assert [len(out[k]) for k in ("created", "updated", "deleted")] == [3, 4, 2]
    after = emu.records("Contacts")
    by_id = {r["id"]: r for r in after["live"]}
    touched = out["created"] + out["updated"]
    assert len({by_id[i]["Modified_Time"] for i in touched}) == 1
    assert max(r["Modified_Time"] for r in before["live"]) < by_id[touched[0]]["Modified_Time"]
    assert set(out["deleted"]) <= {d["id"] for d in after["deleted"]}


def _live_counts(emu, modules):
    return {name: len(emu.records(name)["live"]) for name in modules}


def test_module_records_seeds_single_modules_and_reset_keeps_or_replaces_it(emulator_factory):
    emu = emulator_factory(records=5, extra_args=["--module-records", "Leads=120,Notes=0", "--module-records",
                                                  "Accounts=40"])
    seeded = _live_counts(emu, ("Leads", "Notes", "Accounts", "Contacts"))
    # about 3% of each seeded module sits in the recycle bin (docs/emulator.md)
    assert 110 <= seeded["Leads"] < 120 and seeded["Notes"] == 0 and 35 <= seeded["Accounts"] < 40
    assert 1 <= seeded["Contacts"] < 5
    assert emu.reset()["module_records"] == {"Leads": 120, "Notes": 0, "Accounts": 40}
    assert _live_counts(emu, seeded) == seeded  # same seed and counts, same org
    emu.reset(module_records={"Contacts": 60})
    counts = _live_counts(emu, ("Leads", "Contacts"))
    assert 1 <= counts["Leads"] < 5 and 55 <= counts["Contacts"] < 60  # Leads back to --records 5


def test_module_records_refuses_unknown_modules(emulator_factory):
    emu = emulator_factory(records=5)
    resp = emu.http.post(f"{emu.url}/__emulator__/reset", json={"module_records": {"Nope": 1}}, timeout=30)
    assert resp.status_code == 400 and "Nope" in resp.json()["error"]
