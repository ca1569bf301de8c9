"""Issue 12, security: an id or module name from a row or a catalog never changes which resource a call hits.

Each hostile row sits beside good rows in one write: the hostile one is rejected by name (INVALID_ID, with the
row's own id), the good ones commit, and nothing of another module, nor a second record, is touched.
"""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.destination.messages import live, record, rejections, state, write
from integration_tests.harness import Emulator, configured_catalog, run_connector
from integration_tests.hostile.security_scan import assert_no_secret


def by_id(emu: Emulator, module: str) -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in live(emu, module)}


@pytest.fixture
def fresh(emulator: Emulator) -> Emulator:
    emulator.reset()
    return emulator


def test_a_clone_id_that_climbs_into_another_module_is_rejected_and_the_good_clone_commits(fresh: Emulator) -> None:
    task = next(iter(by_id(fresh, "Tasks")))
    good = live(fresh, "CustomModule1")[0]["id"]
    tasks, customs = len(live(fresh, "Tasks")), len(live(fresh, "CustomModule1"))
    run = write(fresh, [("CustomModule1", "append")], [
        record("CustomModule1", {"id": f"../Tasks/{task}", "_zoho_operation": "clone"}),
        record("CustomModule1", {"id": good, "_zoho_operation": "clone", "Name": "good copy"}),
        state("CustomModule1", 1)], on_rejected="report")
    assert run.returncode == 0, run.stderr[-2000:]
    [rejected] = rejections(run)
    assert (rejected["id"], rejected["code"]) == (f"../Tasks/{task}", "INVALID_ID"), rejected
    assert "not a Zoho id" in rejected["message"]
    assert len(live(fresh, "Tasks")) == tasks, "a Task was cloned through a CustomModule1 row"
    assert len(live(fresh, "CustomModule1")) == customs + 1
    assert run.states(), "the STATE after the batch was not echoed"
    assert_no_secret(run, fresh)


def test_a_convert_id_carrying_a_path_and_a_query_is_rejected_and_clones_nothing(fresh: Emulator) -> None:
    task = next(iter(by_id(fresh, "Tasks")))
    tasks, leads = len(live(fresh, "Tasks")), by_id(fresh, "Leads")
    run = write(fresh, [("Leads", "append")], [
        record("Leads", {"id": f"../Tasks/{task}/actions/clone?", "_zoho_operation": "convert"}),
        state("Leads", 1)], on_rejected="report")
    assert run.returncode == 0, run.stderr[-2000:]
    assert [r["code"] for r in rejections(run)] == ["INVALID_ID"]
    assert len(live(fresh, "Tasks")) == tasks
    assert by_id(fresh, "Leads") == leads, "a lead changed"
    assert_no_secret(run, fresh)


def test_a_delete_id_listing_two_records_deletes_neither_and_blames_its_own_row(fresh: Emulator) -> None:
    a, b, c = list(by_id(fresh, "Leads"))[:3]
    run = write(fresh, [("Leads", "append")], [
        record("Leads", {"id": f"{a},{b}", "_zoho_operation": "delete"}),
        record("Leads", {"id": c, "_zoho_operation": "delete"}),
        state("Leads", 1)], on_rejected="report")
    assert run.returncode == 0, run.stderr[-2000:]
    assert [(r["id"], r["code"]) for r in rejections(run)] == [(f"{a},{b}", "INVALID_ID")]
    still = by_id(fresh, "Leads")
    assert a in still and b in still, "a comma in one row's id deleted two records"
    assert c not in still, "the good delete of the same batch did not commit"
    assert_no_secret(run, fresh)


def test_a_stream_named_like_a_sub_resource_is_refused_before_any_call(fresh: Emulator) -> None:
    """`Leads/deleted` would otherwise read the deleted-records endpoint as if it were a module."""
    streams = [{"name": "Leads/deleted", "json_schema": {"type": "object", "properties": {}},
                "supported_sync_modes": ["full_refresh"]}]
    before = fresh.stats()["by_route"]
    run = run_connector("source-zoho-crm", "read", config=fresh.config(start_datetime="2015-01-01T00:00:00Z"),
                        catalog=configured_catalog(streams, sync_mode="full_refresh"), timeout=120)
    after = fresh.stats()["by_route"]
    assert run.returncode != 0
    [error] = run.traces("ERROR")
    assert "Leads/deleted" in error["error"]["message"] and "module API name" in error["error"]["message"], error
    assert error["error"]["failure_type"] == "config_error"
    assert after.get("GET /crm/v8/{module}/deleted", 0) == before.get("GET /crm/v8/{module}/deleted", 0)
    assert not run.records()
    assert_no_secret(run, fresh)
