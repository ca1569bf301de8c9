from __future__ import annotations

import threading

import pytest
import requests
import requests_mock

from unit_tests.client.builders import API, FakeTime, client, config, token_ok, zoho_error
from zoho_crm_client import AmbiguousWriteError, CreditBudgetExhausted, InvalidResponseError, ServerError
from zoho_crm_client.limits import InFlightLimiter

USERS = f"{API}/crm/v8/users"
LEADS = f"{API}/crm/v8/Leads"
ONE_USER = {"users": [{"id": "1"}]}
ADDED = {"data": [{"code": "SUCCESS", "status": "success", "message": "record added", "details": {"id": "9"}}]}


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    time = FakeTime()
    draws = iter([0.5, 0.5, 0.5, 0.5])
    cfg = config(max_retries=4, retry_base_seconds=5, retry_max_seconds=12)
    zoho = client(cfg, time)
    zoho._transport._rand = lambda: next(draws)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, [{"status_code": 429, "json": zoho_error("TOO_MANY_REQUESTS")}] * 4 +
                 [{"json": ONE_USER}])
        zoho.current_user()
    assert time.slept == [2.5, 5.0, 6.0, 6.0]
    assert zoho.stats.retries == 4


def test_every_call_carries_a_timeout() -> None:
    seen = []

    class Recording(requests.Session):
        def request(self, *args, **kwargs):  # type: ignore[override]
            seen.append(kwargs.get("timeout"))
            return super().request(*args, **kwargs)

    with requests_mock.Mocker(session=None) as mock:
        token_ok(mock)
        mock.get(USERS, json=ONE_USER)
        client(config(request_timeout_seconds=17), session=Recording()).current_user()
    assert seen == [17.0, 17.0]  # the token call and the API call


def test_an_integer_past_64_bits_is_read_exactly() -> None:
    # the fast decoder refuses it; the answer must still be read, and never through a float (section 0)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, text='{"users": [{"id": "1", "email": "a@x.com", "Big": 123456789012345678901234}]}',
                 headers={"Content-Type": "application/json"})
        assert client().current_user()["Big"] == 123456789012345678901234


@pytest.mark.parametrize("failure", [requests.ConnectionError("reset"), requests.exceptions.ChunkedEncodingError(),
                                     requests.ReadTimeout(), requests.ConnectTimeout()])
def test_connection_errors_on_reads_are_retried(failure: Exception) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(USERS, [{"exc": failure}, {"json": ONE_USER}])
        assert client().current_user() == {"id": "1"}
    assert hit.call_count == 2


def test_connection_errors_after_every_retry_raise_server_error() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, exc=requests.ConnectionError("reset"))
        with pytest.raises(ServerError, match="ConnectionError"):
            client(config(max_retries=2)).current_user()


@pytest.mark.parametrize(("body", "content_type"), [
    ("<html><body>502 Bad Gateway</body></html>", "text/html"), ('{"data": [{"id": "1"', "application/json"),
    ("", "application/json")])
def test_a_200_that_is_not_json_is_retried_then_raises_a_typed_error(body: str, content_type: str) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(USERS, text=body, headers={"Content-Type": content_type})
        with pytest.raises(InvalidResponseError, match="not JSON|not the JSON"):
            client(config(max_retries=1)).current_user()
    assert hit.call_count == 2


def test_an_html_error_page_on_a_4xx_is_a_clear_error_not_a_decode_traceback() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, status_code=404, text="<html>nope</html>", headers={"Content-Type": "text/html"})
        with pytest.raises(Exception) as caught:
            client().current_user()
    assert "not JSON" in str(caught.value) and "text/html" in str(caught.value)
    assert "JSONDecodeError" not in repr(caught.value)


@pytest.mark.parametrize("failure", [{"status_code": 500, "json": zoho_error("INTERNAL_ERROR")},
                                     {"status_code": 502, "text": "bad gateway"},
                                     {"status_code": 504, "text": ""},
                                     {"exc": requests.ReadTimeout()},
                                     {"exc": requests.exceptions.ChunkedEncodingError()},
                                     {"status_code": 201, "text": '{"data": [{"code"'}])
def test_an_insert_after_an_ambiguous_failure_is_not_resent(failure: dict) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(LEADS, [failure, {"status_code": 201, "json": ADDED}])
        with pytest.raises(AmbiguousWriteError) as caught:
            client().insert("Leads", [{"Last_Name": f"n{i}"} for i in range(150)])
    assert hit.call_count == 1
    assert caught.value.indexes == list(range(100))


@pytest.mark.parametrize("failure", [{"status_code": 429, "json": zoho_error("TOO_MANY_REQUESTS")},
                                     {"status_code": 503, "text": "unavailable"},
                                     {"exc": requests.ConnectTimeout()}])
def test_an_insert_refused_at_the_door_is_resent(failure: dict) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(LEADS, [failure, {"status_code": 201, "json": ADDED}])
        results = client().insert("Leads", [{"Last_Name": "a"}])
    assert hit.call_count == 2 and results[0].ok


def test_an_update_is_idempotent_and_retried_after_a_500() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.put(LEADS, [{"status_code": 500, "json": zoho_error("INTERNAL_ERROR")}, {"json": ADDED}])
        assert client().update("Leads", [{"id": "9", "Last_Name": "a"}])[0].ok
    assert hit.call_count == 2


def test_the_budget_stops_before_the_call_that_would_exceed_it() -> None:
    zoho = client(config(api_credit_budget=3))
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(f"{API}/crm/v8/coql", json={"data": [{"id": "1"}], "info": {"more_records": False}})
        users = mock.get(USERS, json=ONE_USER)
        list(zoho.iter_coql("select id from Leads where id is not null"))  # LIMIT 2000 costs 3
        with pytest.raises(CreditBudgetExhausted, match="api_credit_budget of 3"):
            zoho.current_user()
    assert (hit.call_count, users.call_count) == (1, 0)
    assert zoho.stats.credits == 3


def test_stats_count_calls_and_credits_by_route() -> None:
    zoho = client()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, json=ONE_USER)
        mock.post(LEADS, status_code=201, json={"data": [ADDED["data"][0]] * 25})
        zoho.current_user()
        zoho.insert("Leads", [{"Last_Name": "x"}] * 25)
    assert zoho.stats.as_dict()["by_route"] == {"GET /crm/v8/users": {"calls": 1, "credits": 1},
                                                "POST /crm/v8/{module}": {"calls": 1, "credits": 3}}
    assert zoho.stats.token_refreshes == 1


def test_a_429_is_not_charged_but_counted_as_a_call() -> None:
    zoho = client()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, [{"status_code": 429, "json": zoho_error("TOO_MANY_REQUESTS")}, {"json": ONE_USER}])
        zoho.current_user()
    assert (zoho.stats.calls, zoho.stats.credits) == (2, 1)


def test_the_in_flight_limit_holds_across_threads() -> None:
    limiter = InFlightLimiter(2)
    inside, release = threading.Semaphore(0), threading.Event()

    def work() -> None:
        with limiter.slot():
            inside.release()
            release.wait(10)

    threads = [threading.Thread(target=work) for _ in range(5)]
    for t in threads:
        t.start()
    assert inside.acquire(timeout=5) and inside.acquire(timeout=5)
    release.set()
    for t in threads:
        t.join(10)
    assert limiter.peak == 2


def test_without_a_configured_limit_the_edition_is_read_from_org_once() -> None:
    zoho = client(config(max_concurrent_requests=None))
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        org = mock.get(f"{API}/crm/v8/org", json={"org": [{"id": "1", "license_details": {
            "paid": True, "paid_type": "Professional"}}]})
        mock.get(USERS, json=ONE_USER)
        zoho.current_user()
        zoho.current_user()
        zoho.org()
    assert org.call_count == 1
    assert zoho._transport.limiter.limit == 15


def test_a_configured_limit_never_asks_for_org() -> None:
    zoho = client(config(max_concurrent_requests=3))
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(USERS, json=ONE_USER)
        zoho.current_user()
        assert [r.path for r in mock.request_history] == ["/oauth/v2/token", "/crm/v8/users"]


def test_when_org_is_unreadable_the_default_limit_applies() -> None:
    zoho = client(config(max_concurrent_requests=None))
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        org = mock.get(f"{API}/crm/v8/org", status_code=401, json=zoho_error("OAUTH_SCOPE_MISMATCH"))
        mock.get(USERS, json=ONE_USER)
        zoho.current_user()
        assert zoho.edition() is None
    assert zoho._transport.limiter.limit == 5
    assert org.call_count == 1  # an unreadable edition is not asked for again


def test_the_edition_is_canonical_and_asked_of_org_once() -> None:
    zoho = client(config(max_concurrent_requests=None))
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        org = mock.get(f"{API}/crm/v8/org", json={"org": [{"id": "1", "license_details": {
            "paid": True, "paid_type": "Zoho One"}}]})
        assert zoho.edition() == "enterprise" and zoho.edition() == "enterprise"
    assert org.call_count == 1
    assert client(config(edition="Professional")).edition() == "professional"  # configured: no call at all


def test_given_proxy_variables_then_the_session_merges_them_as_requests_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from zoho_crm_client.transport import EnvironmentOnceSession

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", "accounts.zoho.eu")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/corp-ca.pem")
    ours, theirs = EnvironmentOnceSession(), requests.Session()
    for url in ("https://www.zohoapis.eu/crm/v8/Leads?page=2", "https://accounts.zoho.eu/oauth/v2/token"):
        for stream in (False, True):
            expected = theirs.merge_environment_settings(url, {}, stream, None, None)
            assert ours.merge_environment_settings(url, {}, stream, None, None) == expected
            assert ours.merge_environment_settings(url, {}, stream, None, None) == expected  # from the cache
    assert ours.merge_environment_settings("https://www.zohoapis.eu/x", {}, False, None, None)["proxies"][
        "https"] == "http://proxy.corp:3128"
    assert ours.merge_environment_settings("https://www.zohoapis.eu/x", {}, False, False, None)["verify"] is False
