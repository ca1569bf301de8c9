"""Reading through the client from a real emulator over HTTP, checked against its ground truth."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from integration_tests.client.conftest import make_client
from integration_tests.harness import Emulator
from zoho_crm_client import CreditBudgetExhausted, ZohoClient
from zoho_crm_client.dates import parse_datetime


def all_rows(pages) -> list[dict]:
    return [r for p in pages for r in p.records]


def test_a_full_read_of_every_field_matches_the_ground_truth(emulator: Emulator, zoho: ZohoClient) -> None:
    names = [f.api_name for f in zoho.fields("Leads")]
    assert len(names) > 50  # more than one field group
    before = emulator.stats()
    pages = list(zoho.iter_records("Leads", names))
    after = emulator.stats()
    truth = {r["id"]: r for r in emulator.records("Leads")["live"]}
    rows = all_rows(pages)
    assert sorted(r["id"] for r in rows) == sorted(truth)
    for row in rows:
        for name in ("Last_Name", "Email", "Modified_Time", "Annual_Revenue", "Owner"):
            assert row.get(name) == truth[row["id"]].get(name), (row["id"], name)
    # the call floor: pages x field groups, nothing more
    assert after["by_route"]["GET /crm/v8/{module}"] - before["by_route"].get("GET /crm/v8/{module}", 0) == \
        len(pages) * 2 == sum(p.calls for p in pages)


def test_an_incremental_read_returns_what_changed_since_the_cursor(emulator: Emulator, zoho: ZohoClient) -> None:
    cursor = max(p.cursor_max for p in zoho.iter_records("Leads", ["Last_Name"]) if p.cursor_max)
    touched = emulator.mutate(module="Leads", update=3, create=2)
    rows = all_rows(zoho.iter_records("Leads", ["Last_Name"], since=cursor))
    got = {r["id"] for r in rows}
    assert set(touched["updated"]) | set(touched["created"]) <= got
    assert all(parse_datetime(r["Modified_Time"]) >= cursor for r in rows)


def test_deleted_records_match_the_recycle_bin(emulator: Emulator, zoho: ZohoClient) -> None:
    emulator.mutate(module="Contacts", delete=4)
    truth = {r["id"] for r in emulator.records("Contacts")["deleted"]}
    assert {r["id"] for r in all_rows(zoho.iter_deleted("Contacts"))} == truth


def test_paging_past_2000_rows_uses_page_tokens_and_loses_nothing(big_emulator: Emulator,
                                                                  client_for: Callable[..., ZohoClient]) -> None:
    zoho = client_for(big_emulator)
    rows = all_rows(zoho.iter_records("Accounts", ["Account_Name"]))
    truth = {r["id"] for r in big_emulator.records("Accounts")["live"]}
    assert len(truth) > 2000 and sorted(r["id"] for r in rows) == sorted(truth)


def test_an_expired_page_token_restarts_from_the_last_modified_time(big_emulator: Emulator,
                                                                    client_for: Callable[..., ZohoClient]) -> None:
    refused_before = big_emulator.stats()["status_counts"].get("400", 0)
    big_emulator.faults([{"route": "GET /crm/v8/{module}", "at": 11, "expire_page_token": True}])
    try:
        zoho = client_for(big_emulator)
        rows = all_rows(zoho.iter_records("Deals", ["Deal_Name"]))
    finally:
        big_emulator.faults([])
    truth = {r["id"] for r in big_emulator.records("Deals")["live"]}
    assert big_emulator.stats()["status_counts"].get("400", 0) == refused_before + 1  # the token was refused
    assert len(rows) == len(truth) and {r["id"] for r in rows} == truth


def test_coql_keyset_pages_past_2000_rows(big_emulator: Emulator, client_for: Callable[..., ZohoClient]) -> None:
    zoho = client_for(big_emulator)
    pages = list(zoho.iter_coql("select Last_Name, Modified_Time from Contacts where Last_Name is not null",
                                cursor_field="Modified_Time"))
    rows = all_rows(pages)
    truth = {r["id"] for r in big_emulator.records("Contacts")["live"] if r.get("Last_Name")}
    assert len(pages) >= 2 and len(rows) == len(truth) and {r["id"] for r in rows} == truth
    keys = [(parse_datetime(r["Modified_Time"]), r["id"]) for r in rows]
    assert keys == sorted(keys)
    resumed = all_rows(zoho.iter_coql("select Last_Name, Modified_Time from Contacts where Last_Name is not null",
                                      cursor_field="Modified_Time", since=pages[0].cursor_max,
                                      last_id=pages[0].last_id))
    assert [r["id"] for r in resumed] == [r["id"] for r in rows[len(pages[0].records):]]


def test_search_finds_a_record_by_an_escaped_value(emulator: Emulator, zoho: ZohoClient) -> None:
    from zoho_crm_client import criterion

    target = emulator.records("Leads")["live"][0]
    rows = all_rows(zoho.iter_search("Leads", criterion("Email", "equals", target["Email"]), ["Email"]))
    assert target["id"] in {r["id"] for r in rows}


def test_bulk_read_streams_every_row(emulator: Emulator, zoho: ZohoClient) -> None:
    rows = list(zoho.bulk_read("Tasks", ["Subject", "Modified_Time"]))
    truth = {r["id"] for r in emulator.records("Tasks")["live"]}
    assert {r["id"] for r in rows} == truth and all("Subject" in r for r in rows)


def test_metadata_is_fetched_once_per_client(emulator: Emulator) -> None:
    with make_client(emulator) as zoho:
        before = emulator.stats()["by_route"].get("GET /crm/v8/settings/fields", 0)
        for _ in range(3):
            zoho.fields("Leads")
            zoho.modules()
        assert emulator.stats()["by_route"]["GET /crm/v8/settings/fields"] - before == 1
        assert "Notes" in {m.api_name for m in zoho.modules()}


def test_the_credit_budget_stops_before_it_is_exceeded(big_emulator: Emulator,
                                                       client_for: Callable[..., ZohoClient]) -> None:
    zoho = client_for(big_emulator, api_credit_budget=3)
    before = big_emulator.stats()["credits_used"]
    pages = []
    with pytest.raises(CreditBudgetExhausted):
        for page in zoho.iter_records("Leads", ["Last_Name"]):
            pages.append(page)
    assert zoho.stats.credits == 3 and big_emulator.stats()["credits_used"] - before == 3
    assert len(pages) == 3  # max_concurrent_requests is configured, so no GET org: 3 credits = 3 pages


def test_a_coql_literal_with_a_quote_finds_the_record_over_http(emulator: Emulator, zoho: ZohoClient) -> None:
    # Kaizen #171 question 3 (docs/zoho-api.md section 7): Zoho reads '' inside a string as one quote.
    from zoho_crm_client.coql import literal

    name = "O'Brien \\ Sons"
    created = zoho.insert("Contacts", [{"Last_Name": name}])[0]
    query = f"select Last_Name from Contacts where Last_Name = {literal(name)}"

    rows = all_rows(zoho.iter_coql(query))

    assert created.ok and [r["id"] for r in rows] == [created.id]
    assert rows[0]["Last_Name"] == name
