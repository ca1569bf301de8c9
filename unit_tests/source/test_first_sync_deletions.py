"""A first sync into a destination that keeps nothing older sends no tombstones (issue 8, R4).

The platform says so with the stream's generation ids: minimum_generation_id == generation_id on a new
connection, a clear, or a refresh that removes records. A refresh that retains records, or a catalog without
generation ids, still gets every tombstone Zoho lists.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from source_zoho_crm.dates import require_datetime
from unit_tests.source.fakes import zoho_time
from unit_tests.source.test_read import CONFIG, as_input_state, catalog, org, records, run_read, states


def generations(configured: Any, generation: int | None, minimum: int | None) -> Any:
    for stream in configured.streams:
        stream.generation_id, stream.minimum_generation_id = generation, minimum
    return configured


def tombstones(out: list[dict]) -> list[str]:
    return [r["id"] for r in records(out, "Leads") if r.get("_ab_cdc_deleted_at")]


def test_given_a_new_connection_then_no_tombstone_is_read_and_the_next_sync_reads_deletions_from_now() -> None:
    client = org(n_leads=10)
    configured = generations(catalog(client, CONFIG, ["Leads"]), 0, 0)
    started = datetime.now(timezone.utc)

    first = run_read(client, CONFIG, configured)

    assert tombstones(first) == [] and client.calls["deleted:Leads"] == 0
    assert len(records(first, "Leads")) == 10
    floor = require_datetime(states(first, "Leads")[-1]["deleted"]["deleted_time"])
    assert started - timedelta(hours=1, seconds=2) <= floor <= started - timedelta(minutes=59)

    client.deleted["Leads"].append({"id": "5", "deleted_time": zoho_time(datetime.now(timezone.utc))})
    second = run_read(client, CONFIG, configured, as_input_state(first))
    assert tombstones(second) == ["5"]  # deleted after the first sync: removed from the destination


def test_given_a_first_sync_stopped_midway_then_the_rerun_keeps_the_deletions_cursor_of_the_first() -> None:
    client = org(n_leads=450)
    configured = generations(catalog(client, CONFIG, ["Leads"]), 2, 2)
    client.budget_calls = client.stats.calls + 1  # one page, then the credit budget stops the sync
    first = run_read(client, CONFIG, configured)
    saved = states(first, "Leads")[-1]
    assert "deleted_time" in saved["deleted"] and tombstones(first) == []

    client.budget_calls = None
    second = run_read(client, CONFIG, configured, as_input_state(first))
    assert tombstones(second) == []  # the seeded deletions are older than the first sync's start
    assert states(second, "Leads")[-1]["deleted"]["deleted_time"] >= saved["deleted"]["deleted_time"]


def test_given_a_refresh_that_retains_records_then_every_tombstone_is_sent() -> None:
    client = org(n_leads=10)
    out = run_read(client, CONFIG, generations(catalog(client, CONFIG, ["Leads"]), 3, 0))
    assert sorted(tombstones(out)) == ["900", "901"]


def test_given_a_catalog_without_generation_ids_then_every_tombstone_is_sent() -> None:
    client = org(n_leads=10)
    out = run_read(client, CONFIG, generations(catalog(client, CONFIG, ["Leads"]), None, None))
    assert sorted(tombstones(out)) == ["900", "901"]
