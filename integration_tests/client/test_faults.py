"""Retries, token refresh, ambiguous writes and the credit budget against the emulator's fault injection."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from integration_tests.harness import Emulator
from zoho_crm_client import AmbiguousWriteError, AuthError, ZohoClient


@pytest.fixture(autouse=True)
def clear_faults(emulator: Emulator):
    emulator.faults([])
    yield
    emulator.faults([])


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_until_every_row_is_read(emulator: Emulator, zoho: ZohoClient,
                                                                 status: int) -> None:
    emulator.faults([{"route": "GET /crm/v8/{module}", "status": status, "every": 1, "times": 2}])
    rows = [r for p in zoho.iter_records("Tasks", ["Subject"]) for r in p.records]
    assert {r["id"] for r in rows} == {r["id"] for r in emulator.records("Tasks")["live"]}
    assert zoho.stats.retries == 2


def test_a_connection_dropped_mid_body_is_retried_for_a_read(emulator: Emulator, zoho: ZohoClient) -> None:
    emulator.faults([{"route": "GET /crm/v8/{module}", "drop": True, "at": 1}])
    before = emulator.stats()["credits_used"]
    rows = [r for p in zoho.iter_records("Tasks", ["Subject"]) for r in p.records]
    assert len(rows) == len(emulator.records("Tasks")["live"]) and zoho.stats.retries == 1
    # the dropped answer was still charged, and the ledger agrees with the emulator's
    assert zoho.stats.credits == emulator.stats()["credits_used"] - before == 2


def test_an_expired_access_token_is_refreshed_once(emulator: Emulator, zoho: ZohoClient) -> None:
    zoho.current_user()
    emulator.faults([{"route": "GET /crm/v8/{module}", "expire_access_token": True, "at": 1}])
    assert list(zoho.iter_records("Tasks", ["Subject"]))
    assert zoho.stats.token_refreshes == 2


def test_an_insert_whose_connection_drops_is_not_resent(emulator: Emulator, zoho: ZohoClient) -> None:
    emulator.faults([{"route": "POST /crm/v8/{module}", "drop": True, "at": 1}])
    with pytest.raises(AmbiguousWriteError) as caught:
        zoho.insert("Accounts", [{"Account_Name": f"Ambiguous {i}"} for i in range(3)])
    assert caught.value.indexes == [0, 1, 2]
    assert emulator.stats()["by_route"]["POST /crm/v8/{module}"] == 1


def test_an_insert_refused_with_429_is_resent_once_and_lands_once(emulator: Emulator, zoho: ZohoClient) -> None:
    emulator.faults([{"route": "POST /crm/v8/{module}", "status": 429, "at": 1}])
    [result] = zoho.insert("Accounts", [{"Account_Name": "Resent Once"}])
    names = [r["Account_Name"] for r in emulator.records("Accounts")["live"]]
    assert result.ok and names.count("Resent Once") == 1


def test_invalid_code_names_the_configured_data_centre(emulator: Emulator,
                                                       client_for: Callable[..., ZohoClient]) -> None:
    emulator.faults([{"route": "POST /oauth/v2/token", "error": "invalid_code"}])
    with pytest.raises(AuthError, match=r"invalid, revoked, or from another data centre \(configured: US"):
        client_for(emulator).current_user()


def test_concurrent_readers_share_one_in_flight_limit(emulator: Emulator,
                                                      client_for: Callable[..., ZohoClient]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    zoho = client_for(emulator, max_concurrent_requests=2)
    modules = ["Leads", "Contacts", "Accounts", "Deals", "Tasks"]
    with ThreadPoolExecutor(5) as pool:
        counts = list(pool.map(lambda m: sum(len(p.records) for p in zoho.iter_records(m, ["Created_Time"])),
                               modules))
    assert all(counts) and zoho.max_in_flight <= 2
