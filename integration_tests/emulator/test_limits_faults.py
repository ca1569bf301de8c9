"""Sections 11.3-11.5 and 14.8: credits, concurrency, X-API-CREDITS-REMAINING, deterministic faults."""

from __future__ import annotations

import concurrent.futures
import http.client
from urllib.parse import urlsplit

import pytest
import requests

from integration_tests.emulator.api import REFRESH_FORM, Api, error_of
from integration_tests.harness import Emulator


@pytest.fixture(scope="module")
def shared():
    emu = Emulator(records=10)
    yield emu
    emu.stop()


@pytest.fixture
def emu(shared):
    shared.reset()  # also clears fault rules and test knobs
    return shared


def test_credits_run_out_with_429_and_header_appears_at_half(emu):
    api = Api(emu)
    emu.limits(credits_allowance=10, credits_used=3)
    assert "X-API-CREDITS-REMAINING" not in api.get("org").headers
    half = api.get("org")
    assert half.headers["X-API-CREDITS-REMAINING"] == "5"
    for _ in range(5):
        assert api.get("org").status_code == 200
    out = api.get("org")
    assert error_of(out)[:2] == (429, "TOO_MANY_REQUESTS") and "Retry-After" not in out.headers
    assert emu.stats()["status_counts"]["429"] == 1


@pytest.mark.parametrize("size, cost", [(1, 1), (10, 1), (11, 2), (100, 10)])
def test_write_costs_one_credit_per_ten_records(emu, size, cost):
    api = Api(emu)
    before = emu.stats()["credits_used"]
    api.post("Tasks", {"data": [{"Subject": f"s{i}"} for i in range(size)]})
    assert emu.stats()["credits_used"] - before == cost


def test_convert_costs_five(emu):
    api = Api(emu)
    lead = next(r for r in emu.records("Leads")["live"] if not r["Converted__s"])
    before = emu.stats()["credits_used"]
    api.post(f"Leads/{lead['id']}/actions/convert", {"data": [{}]})
    assert emu.stats()["credits_used"] - before == 5


def test_concurrency_limit_gives_429_and_max_in_flight_is_honest(emulator_factory):
    emu = emulator_factory(records=5, latency_ms=1500, edition="free")
    token = Api(emu).http.headers["Authorization"]
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: requests.get(f"{emu.url}/crm/v8/org", timeout=30,
                                                        headers={"Authorization": token}).status_code, range(12)))
    stats = emu.stats()
    assert statuses.count(200) >= 5 and statuses.count(429) >= 1
    assert stats["max_in_flight"] == 5


@pytest.mark.parametrize("status, code", [(429, "TOO_MANY_REQUESTS"), (500, "INTERNAL_ERROR"),
                                          (502, "INTERNAL_SERVER_ERROR"), (503, "INTERNAL_SERVER_ERROR"),
                                          (401, "INVALID_TOKEN")])
def test_every_nth_request_fails_with_zoho_body(emu, status, code):
    api = Api(emu)
    emu.faults([{"route": "GET /crm/v8/{module}", "status": status, "every": 2}])
    statuses = [api.get("Leads", fields="Last_Name").status_code for _ in range(4)]
    assert statuses == [200, status, 200, status]
    resp = api.get("Leads", fields="Last_Name")
    assert resp.status_code == 200
    emu.faults([{"route": "GET /crm/v8/Leads", "status": status, "at": 1}])
    assert error_of(api.get("Leads", fields="Last_Name"))[:2] == (status, code)


def test_a_rule_can_name_the_401_code(emu):
    api = Api(emu)
    emu.faults([{"route": "*", "status": 401, "code": "AUTHENTICATION_FAILURE", "at": 1}])
    resp = api.get("org")
    assert resp.json() == {"code": "AUTHENTICATION_FAILURE", "details": {}, "message": "Authentication failed",
                           "status": "error"}
    assert api.get("org").status_code == 200


def test_fault_only_hits_its_route(emu):
    api = Api(emu)
    emu.faults([{"route": "GET /crm/v8/org", "status": 500}])
    assert api.get("users").status_code == 200 and api.get("org").status_code == 500


def test_token_endpoint_faults_and_access_token_expiry(emu):
    api = Api(emu)
    emu.faults([{"route": "POST /oauth/v2/token", "error": "invalid_code", "at": 1},
                {"route": "POST /oauth/v2/token", "error": "invalid_client", "at": 2}])
    first = requests.post(f"{emu.url}/oauth/v2/token", data=REFRESH_FORM, timeout=30)
    second = requests.post(f"{emu.url}/oauth/v2/token", data=REFRESH_FORM, timeout=30)
    assert (first.status_code, first.json()) == (200, {"error": "invalid_code"})
    assert second.json() == {"error": "invalid_client"}
    emu.faults([{"route": "GET /crm/v8/org", "expire_access_token": True, "at": 1}])
    assert error_of(api.get("org"))[:2] == (401, "INVALID_TOKEN")
    assert Api(emu).get("org").status_code == 200


def test_dropped_connection_mid_response(emu):
    api = Api(emu)
    emu.faults([{"route": "GET /crm/v8/users", "drop": True, "at": 1}])
    host = urlsplit(emu.url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.request("GET", "/crm/v8/users", headers={"Authorization": api.http.headers["Authorization"]})
    resp = conn.getresponse()
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    assert api.get("users").status_code == 200


def test_latency_fault_is_recorded_and_answer_is_normal(emu):
    api = Api(emu)
    rules = emu.faults([{"route": "GET /crm/v8/org", "latency_ms": 50, "times": 1}])["rules"]
    assert rules[0]["latency_ms"] == 50
    assert api.get("org").status_code == 200
    installed = requests.get(f"{emu.url}/__emulator__/faults", timeout=30).json()["rules"]
    assert (installed[0]["seen"], installed[0]["fired"]) == (1, 1)
    assert emu.faults([])["rules"] == []


def test_bad_fault_rules_are_refused(emu):
    resp = requests.post(f"{emu.url}/__emulator__/faults", json={"rules": [{"every": 0}]}, timeout=30)
    assert resp.status_code == 400
