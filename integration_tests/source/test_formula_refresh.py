"""`formula_refresh` through the console script against the emulator: a formula over Now() that moved without
Modified_Time reaches the output with the option on and not with it off; what the refresh costs; STATEs only
after the rows they cover; a refresh cut short resumed without losing rows (docs/source.md "Formula fields")."""

from __future__ import annotations

import copy
import math
from datetime import datetime, timedelta, timezone
from typing import Any

from integration_tests.harness import Emulator, configured_catalog, run_connector
from integration_tests.source.test_source_sync import discover_catalog, last_states
from source_zoho_crm.dates import format_utc
from source_zoho_crm.readers.formula_digest import Digest, bucket_of

FORMULA = "Days_In_Pipeline"
LIST = "GET /crm/v8/{module}"


def _sync(emulator: Emulator, catalog: dict[str, Any], state: Any = None, **config: Any):
    run = run_connector("source-zoho-crm", "read", config=emulator.config(**config), catalog=catalog, state=state)
    assert run.returncode == 0, run.stderr[-2000:]
    return run


def _deals_catalog(emulator: Emulator) -> dict[str, Any]:
    streams = [entry["stream"] for entry in discover_catalog(emulator.config())["streams"]]
    return configured_catalog(streams, names=["Deals"])


def _entry(state: dict[str, Any]) -> dict[str, Any]:
    return state["stream"]["stream_state"]["formula_refresh"]


def _aged(states: list[dict[str, Any]], days: float = 2, digest: str | None = None) -> list[dict[str, Any]]:
    """The state as it would be `days` later: the last refresh that long ago (optionally another digest)."""
    aged = copy.deepcopy(last_states(states))
    entry = _entry(aged[0])
    entry["refreshed_at"] = format_utc(datetime.now(timezone.utc) - timedelta(days=days))
    if digest is not None:
        entry["digest"] = digest
    return aged


def _live(run: Any) -> list[dict[str, Any]]:
    return [r for r in run.records("Deals") if not r.get("_ab_cdc_deleted_at")]


def _truth(emulator: Emulator) -> dict[str, Any]:
    return {r["id"]: r[FORMULA] for r in emulator.records("Deals")["live"]}


def test_given_a_formula_moved_by_the_clock_then_it_reaches_the_output_only_with_formula_refresh(emulator):
    emulator.reset()
    catalog = _deals_catalog(emulator)
    first = _sync(emulator, catalog, formula_refresh=1)
    before = _truth(emulator)
    assert {r["id"]: r[FORMULA] for r in _live(first)} == before
    assert _entry(first.states()[-1])["rows"] == len(before)  # the first sync took the digest

    emulator.advance_formula_clock(2)  # Now() moves; no Modified_Time does
    after = _truth(emulator)
    assert all(after[i] == before[i] + 2 for i in before)

    off = _sync(emulator, catalog, state=_aged(first.states()))
    assert not any(r.get(FORMULA) == after[r["id"]] for r in _live(off))

    on = _sync(emulator, catalog, state=_aged(first.states()), formula_refresh=1)
    refreshed = {r["id"]: r for r in _live(on)}
    assert {i: r[FORMULA] for i, r in refreshed.items()} == after
    truth = {r["id"]: r for r in emulator.records("Deals")["live"]}
    assert all(refreshed[i]["Deal_Name"] == truth[i]["Deal_Name"] and refreshed[i]["Stage"] == truth[i]["Stage"]
               for i in truth)  # whole rows: the destination de-duplicates on id

    # refreshed now: the next sync does not refresh, and carries the new entry on
    again = _sync(emulator, catalog, state=last_states(on.states()), formula_refresh=1)
    assert _live(again) == [] and _entry(again.states()[-1]) == _entry(on.states()[-1])


def test_the_refresh_costs_a_call_per_200_rows_and_a_call_per_100_changed_rows(emulator_factory):
    emulator = emulator_factory(records=450)
    catalog = _deals_catalog(emulator)
    first = _sync(emulator, catalog, formula_refresh=1)
    rows = _entry(first.states()[-1])["rows"]
    digest = Digest.decode(_entry(first.states()[-1])["digest"])
    assert digest is not None and digest.count == 512 and rows == len(_truth(emulator))

    # nothing changed: the refresh reads the formula column (one field group) and emits nothing
    before = emulator.stats()["by_route"].get(LIST, 0)
    quiet = _sync(emulator, catalog, state=_aged(first.states()), formula_refresh=1, include_deleted=False)
    list_calls = emulator.stats()["by_route"][LIST] - before
    assert quiet.records("Deals") == []
    assert list_calls == 1 + math.ceil(rows / 200)  # the usual incremental call, then the formula re-read

    # a destination that holds other values in 40 buckets: exactly their rows come again, 100 ids a call
    stale = Digest(list(digest.buckets))
    for b in range(40):
        stale.buckets[b] ^= 1
    ids = {i for i in _truth(emulator) if bucket_of(i, 512) < 40}
    before = emulator.stats()["by_route"][LIST]
    fixed = _sync(emulator, catalog, state=_aged(first.states(), digest=stale.encode()), formula_refresh=1,
                  include_deleted=False)
    list_calls = emulator.stats()["by_route"][LIST] - before
    assert {r["id"] for r in fixed.records("Deals")} == ids
    assert list_calls == 1 + math.ceil(rows / 200) + math.ceil(len(ids) / 100)
    assert _entry(fixed.states()[-1])["digest"] == digest.encode()  # the destination holds Zoho's values again


def test_a_state_follows_the_rows_it_covers_and_a_cut_refresh_resumes_without_loss(emulator_factory):
    emulator = emulator_factory(records=450)
    catalog = _deals_catalog(emulator)
    first = _sync(emulator, catalog, formula_refresh=1, include_deleted=False)
    digest = Digest.decode(_entry(first.states()[-1])["digest"])
    assert digest is not None
    stale = Digest([b ^ 1 if n < 200 else b for n, b in enumerate(digest.buckets)])
    wanted = {i for i in _truth(emulator) if bucket_of(i, 512) < 200}
    state = _aged(first.states(), digest=stale.encode())

    # the second ?ids= call fails for good: the sync ends with what it emitted and the STATEs covering it
    calls_before_ids = 1 + math.ceil(_entry(first.states()[-1])["rows"] / 200)
    emulator.faults([{"route": LIST, "status": 500, "at": calls_before_ids + 2, "times": 1}])
    cut = run_connector("source-zoho-crm", "read", catalog=catalog, state=state,
                        config=emulator.config(formula_refresh=1, include_deleted=False, max_retries=0))
    emulator.faults([])
    assert cut.returncode != 0
    emitted: set[str] = set()
    for message in cut.messages:
        if message.get("type") == "RECORD":
            emitted.add(message["record"]["data"]["id"])
        elif message.get("type") == "STATE":
            done = Digest.decode(_entry(message["state"])["digest"])
            assert done is not None
            finished = {b for b in range(200) if done.buckets[b] == digest.buckets[b]}
            assert {i for i in wanted if bucket_of(i, 512) in finished} <= emitted  # rows before their STATE
            assert _entry(message["state"])["refreshed_at"] == _entry(state[0])["refreshed_at"]
    assert 0 < len(emitted & wanted) < len(wanted)

    resumed = _sync(emulator, catalog, state=last_states(cut.states()), formula_refresh=1, include_deleted=False)
    again = {r["id"] for r in resumed.records("Deals")}
    assert emitted | again >= wanted and not (again & emitted)  # nothing lost, nothing done twice
    assert _entry(resumed.states()[-1])["digest"] == digest.encode()


def test_given_bulk_read_always_then_the_formula_columns_come_from_one_job_and_hash_like_rest(emulator):
    emulator.reset()
    catalog = _deals_catalog(emulator)
    first = _sync(emulator, catalog, formula_refresh=1, include_deleted=False, bulk_read="never")
    before = emulator.stats()["by_route"]
    refresh = _sync(emulator, catalog, state=_aged(first.states()), formula_refresh=1, include_deleted=False,
                    bulk_read="always")
    after = emulator.stats()["by_route"]
    assert _live(refresh) == []  # Bulk Read's CSV values hash like Get Records' JSON: nothing looks changed
    assert after["POST /crm/bulk/v8/read"] - before.get("POST /crm/bulk/v8/read", 0) == 1
    assert after[LIST] - before[LIST] == 1  # only the usual incremental call
    assert _entry(refresh.states()[-1])["digest"] == _entry(first.states()[-1])["digest"]
