"""The client against servers that misbehave (issue 12): repeated pages, rows out of order, redirects, echoes of
the request, and bodies that trickle. Each replays one scripted answer against the real client."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
import requests_mock

from unit_tests.client.builders import (
    ACCESS,
    API,
    REFRESH,
    SECRET,
    TOKEN_URL,
    FakeTime,
    client,
    lead,
    token_ok,
)
from zoho_crm_client import redact
from zoho_crm_client.deadline import DeadlineExceeded, read_within
from zoho_crm_client.errors import AuthError, InvalidResponseError, RedirectRefused, ZohoCRMError
from zoho_crm_client.records import OutOfOrder

DELETED = f"{API}/crm/v8/Leads/deleted"
COQL = f"{API}/crm/v8/coql"


def deleted_page(ids: list[int], more: bool) -> dict[str, Any]:
    return {"data": [{"id": str(i), "deleted_time": "2024-05-01T10:00:00+05:30", "type": "recycle"} for i in ids],
            "info": {"per_page": 200, "more_records": more, "page": 1}}


def test_a_deleted_listing_that_repeats_its_page_stops_at_the_repeat() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        answers = {1: deleted_page([1, 2], True), 2: deleted_page([3], True), 3: deleted_page([3], True),
                   4: deleted_page([4], False)}
        # by page number: pages are asked two ahead (records.py iter_deleted), so not in the order answered
        hit = mock.get(DELETED, json=lambda request, context: answers[int(request.qs["page"][0])])
        pages = client().iter_deleted("Leads")
        assert [r["id"] for r in next(pages).records] == ["1", "2"]
        assert [r["id"] for r in next(pages).records] == ["3"]
        with pytest.raises(InvalidResponseError, match="page 3 brought no row not already read") as caught:
            next(pages)
    # pages 1-3, and page 4 when it was sent ahead before the repeat was seen: never a call after the repeat
    assert caught.value.code == "REPEATED_PAGE" and hit.call_count in (3, 4)


def test_an_empty_deleted_page_that_still_says_more_records_stops() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(DELETED, [{"json": deleted_page([1], True)}, {"json": deleted_page([], True)}])
        with pytest.raises(InvalidResponseError, match="more_records"):
            list(client().iter_deleted("Leads"))


def test_a_coql_answer_repeated_with_more_records_stops_at_the_second_call() -> None:
    answer = {"data": [{"id": "1", "Modified_Time": "2024-05-01T10:00:00+05:30"}],
              "info": {"count": 1, "more_records": True}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(COQL, json=answer)
        with pytest.raises(InvalidResponseError, match="COQL query on Leads"):
            list(client().iter_coql("select Last_Name from Leads where Last_Name is not null",
                                    cursor_field="Modified_Time"))
    assert hit.call_count == 2


def test_rows_out_of_modified_time_order_fail_the_scan_before_the_cursor_can_skip() -> None:
    rows = [lead(3), lead(1), lead(2)]  # what a gateway that drops sort_by sends back
    body = {"data": rows, "info": {"per_page": 200, "more_records": False}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads", json=body)
        with pytest.raises(OutOfOrder, match="not in Modified_Time order.*bulk_read") as caught:
            list(client().iter_records("Leads", ["Last_Name"]))
    assert caught.value.code == "OUT_OF_ORDER"


def test_rows_out_of_order_are_fine_when_another_sort_was_asked() -> None:
    body = {"data": [lead(3), lead(1)], "info": {"per_page": 200, "more_records": False}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads", json=body)
        [page] = list(client().iter_records("Leads", ["Last_Name"], sort_by="id"))
    assert len(page.records) == 2


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_the_token_endpoint_never_follows_a_redirect(status: int) -> None:
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, status_code=status, headers={"Location": "https://evil.example/oauth/v2/token"})
        trap = mock.post("https://evil.example/oauth/v2/token", json={"access_token": "x" * 20})
        with pytest.raises(AuthError, match="https://evil.example.*accounts_url") as caught:
            client().current_user()
    assert trap.call_count == 0 and caught.value.code == "REDIRECT_REFUSED"


def test_an_api_redirect_to_another_origin_is_refused_and_a_same_origin_one_followed() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/users", status_code=302, headers={"Location": f"{API}/crm/v8/users2"})
        mock.get(f"{API}/crm/v8/users2", json={"users": [{"id": "1"}]})
        assert client().current_user() == {"id": "1"}
        mock.get(f"{API}/crm/v8/org", status_code=307, headers={"Location": "https://evil.example/crm/v8/org"})
        trap = mock.get("https://evil.example/crm/v8/org", json={"org": [{}]})
        with pytest.raises(RedirectRefused, match="api_url"):
            client().org()
    assert trap.call_count == 0


def test_an_error_that_echoes_the_token_and_the_form_is_masked_in_the_exception_and_the_log(
        caplog: pytest.LogCaptureFixture) -> None:
    served = "1000.served-at-run-time-7777777"
    with caplog.at_level(logging.DEBUG), requests_mock.Mocker() as mock:
        token_ok(mock, access=served)
        mock.get(f"{API}/crm/v8/users", status_code=400, json={
            "code": "INVALID_REQUEST", "status": "error", "details": {"echo": f"Zoho-oauthtoken {served}"},
            "message": f"bad request Authorization: Zoho-oauthtoken {served} client_secret={SECRET}"})
        with pytest.raises(ZohoCRMError) as caught:
            client(logger=logging.getLogger("test.hostile")).current_user()
        logging.getLogger("test.hostile").error("echo %s", served)
    text = f"{caught.value} {caught.value!r} {caught.value.details} {caplog.text}"
    assert all(s not in text for s in (served, SECRET, REFRESH, ACCESS)), text
    assert "****" in str(caught.value)


def test_a_secret_is_masked_in_its_url_encoded_and_json_escaped_forms() -> None:
    odd = "se/cret+with&odd=chars\"x"
    redact.remember(odd)
    from urllib.parse import quote_plus
    assert redact.mask(f"a={quote_plus(odd)} b={odd} c={odd.replace(chr(34), chr(92) + chr(34))}") == \
        "a=**** b=**** c=****"


class Trickle:
    """A urllib3-like body that yields one byte per read1 and moves the fake clock 0.5 s each time."""

    def __init__(self, time: FakeTime):
        self.time = time
        self.closed = False

    def close(self) -> None:
        self.closed = True

    def read1(self, amt: int, decode_content: bool = True) -> bytes:
        self.time.now += 0.5
        return b" "


def test_a_body_that_never_ends_is_cut_at_the_deadline_not_per_read() -> None:
    time = FakeTime()
    resp = requests.Response()
    resp.raw = body = Trickle(time)
    with pytest.raises(DeadlineExceeded, match="not complete after 3 s"):
        read_within(resp, 3, time.clock, time.now)
    assert 3 <= time.now - 1000.0 <= 4 and body.closed  # the connection is given up, not left reading


def test_a_body_that_arrives_in_pieces_within_the_deadline_is_whole() -> None:
    time = FakeTime()
    parts = [b'{"a"', b": 1}", b""]

    class Pieces:
        def read1(self, amt: int, decode_content: bool = True) -> bytes:
            time.now += 0.1
            return parts.pop(0)

    resp = requests.Response()
    resp.raw = Pieces()
    read_within(resp, 3, time.clock, time.now)
    assert resp.json() == {"a": 1}
