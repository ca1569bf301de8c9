"""Issue 12, hangs and silent loss: listings that never end, and rows that come back out of order.

A gateway (gateway.py) in front of the emulator repeats a page forever with `more_records: true`, or drops
`sort_by` the way a careless proxy would. The source must stop after the first page that brings nothing new,
and must never exit 0 with rows missing; each test counts the calls and the rows to prove it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from integration_tests.harness import Emulator, Run, configured_catalog, run_connector
from integration_tests.hostile.gateway import Exchange, Reply, gateway
from integration_tests.hostile.security_scan import assert_no_secret

COQL = {"name": "coql_leads", "query": "select Last_Name, Modified_Time from Leads where Last_Name is not null",
        "cursor_field": "Modified_Time"}


def read(config: dict[str, Any], names: list[str], state: Any = None) -> Run:
    discovered = run_connector("source-zoho-crm", "discover", config=config, timeout=120)
    streams = [m["catalog"]["streams"] for m in discovered.messages if m.get("type") == "CATALOG"][0]
    return run_connector("source-zoho-crm", "read", config=config, timeout=300, state=state,
                         catalog=configured_catalog(streams, names=names))


def error_of(run: Run) -> str:
    errors = [t["error"]["message"] for t in run.traces("ERROR")]
    assert errors, run.stdout[-2000:]
    return " ".join(errors)


class RepeatFirstPage:
    """Hooks for a gateway that answers every call to `method path` with the first answer, more_records true
    (a cache keyed without the page number): `after` keeps the first answer, `before` serves it again."""

    def __init__(self, method: str, path: str):
        self.method, self.path, self.first = method, path, None

    def before(self, exchange: Exchange) -> Reply | None:
        if (exchange.method, exchange.path) == (self.method, self.path) and self.first is not None:
            return Reply(200, self.first, {"Content-Type": "application/json"})
        return None

    def after(self, exchange: Exchange, status: int, body: bytes) -> bytes:
        if (exchange.method, exchange.path) == (self.method, self.path) and status == 200 and self.first is None:
            answer = json.loads(body)
            answer["info"]["more_records"] = True
            self.first = json.dumps(answer).encode()
            return self.first
        return body


@pytest.fixture
def fresh(emulator: Emulator) -> Emulator:
    emulator.reset()
    return emulator


def test_a_deleted_listing_that_repeats_its_page_stops_at_the_first_repeat(fresh: Emulator) -> None:
    hook = RepeatFirstPage("GET", "/crm/v8/Leads/deleted")
    with gateway(fresh.url, before=hook.before, after=hook.after) as api:
        run = read(fresh.config(api_url=api.url, include_deleted=True), ["Leads"])
    assert hook.first is not None and json.loads(hook.first)["data"], "the emulator has no deleted Leads to repeat"
    assert run.returncode != 0
    message = error_of(run)
    assert "deleted records" in message and "more_records" in message and "page 2" in message, message
    # page 3 goes out beside page 2 (two pages in flight, zoho_crm_client/records.py iter_deleted), before the
    # repeat is seen; nothing is asked once it is
    assert api.count("GET", "/crm/v8/Leads/deleted") in (2, 3), "asked again after a page that brought nothing new"
    assert len(run.records("Leads")) >= len(fresh.records("Leads")["live"]), "the live rows before it were lost"
    assert_no_secret(run)


def test_a_coql_listing_that_repeats_its_page_stops_at_the_first_repeat(fresh: Emulator) -> None:
    hook = RepeatFirstPage("POST", "/crm/v8/coql")
    with gateway(fresh.url, before=hook.before, after=hook.after) as api:
        run = read(fresh.config(api_url=api.url, coql_streams=[COQL]), [COQL["name"]])
    assert run.returncode != 0
    message = error_of(run)
    assert "COQL query on Leads" in message and "more_records" in message, message
    assert api.count("POST", "/crm/v8/coql") == 2
    assert_no_secret(run)


def drop_sort(exchange: Exchange) -> None:
    """A `before` hook: the proxy forwards get-records without its sort (Zoho then sorts by id, descending)."""
    if exchange.method == "GET" and exchange.path.count("/") == 3 and exchange.path.startswith("/crm/v8/"):
        exchange.query.pop("sort_by", None)
        exchange.query.pop("sort_order", None)


def test_a_gateway_that_drops_sort_by_fails_the_read_instead_of_skipping_rows(emulator_factory) -> None:
    emu = emulator_factory(records=436)
    with gateway(emu.url, before=drop_sort) as api:
        run = read(emu.config(api_url=api.url, bulk_read="never", include_deleted=False), ["Leads"])
    live = {r["id"] for r in emu.records("Leads")["live"]}
    got = {r["id"] for r in run.records("Leads")}
    assert run.returncode != 0, f"exit 0 with {len(got)} of {len(live)} rows"
    message = error_of(run)
    assert "not in Modified_Time order" in message and "bulk_read" in message, message
    assert got <= live
    saved = [s["stream"]["stream_state"] for s in run.states() if s["stream"]["stream_descriptor"]["name"] == "Leads"]
    assert all(s.get("Modified_Time") is None for s in saved[-1:]) or len(got) == len(live), \
        "a cursor was saved past rows that were never emitted"
    assert_no_secret(run)


def test_the_same_gateway_with_bulk_read_always_reads_every_row(emulator_factory) -> None:
    """The fallback the message names: Bulk Read does not depend on the order of rows."""
    emu = emulator_factory(records=436)
    with gateway(emu.url, before=drop_sort) as api:
        run = read(emu.config(api_url=api.url, bulk_read="always", include_deleted=False), ["Leads"])
    assert run.returncode == 0, run.stdout[-2000:]
    live = sorted(r["id"] for r in emu.records("Leads")["live"])
    assert sorted(r["id"] for r in run.records("Leads")) == live
    assert_no_secret(run)
