"""Every row of errors.TABLE, driven through the real transport against requests-mock."""

from __future__ import annotations

import pytest
import requests_mock

from unit_tests.client.builders import API, FakeTime, client, config, token_ok, zoho_error
from zoho_crm_client import errors
from zoho_crm_client.errors import DATA_ITEMS, Action

URL = f"{API}/crm/v8/users"
LEADS = f"{API}/crm/v8/Leads"


def rows(action: Action) -> list[tuple[int, str | None]]:
    return [key for key, rule in errors.TABLE.items() if rule.action is action]


def answer(status: int, code: str | None) -> dict:
    if code == DATA_ITEMS:
        return {"data": [{"code": "SUCCESS", "status": "success", "message": "ok", "details": {"id": "1"}}]}
    return zoho_error(code or "SOME_CODE", "Zoho says no", api_name="Last_Name")


def test_the_table_covers_every_code_of_section_11_2_that_needs_its_own_action() -> None:
    codes = {code for _status, code in errors.TABLE}
    for code in ("INVALID_TOKEN", "AUTHENTICATION_FAILURE", "AUTHENTICATION_FAILED", "OAUTH_SCOPE_MISMATCH",
                 "NO_PERMISSION", "MAX_RECORDS_LIMIT_REACHED",
                 "INVALID_MODULE", "PAGINATION_LIMIT_EXCEEDED", "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                 "EXPIRED_VALUE", "TOKEN_BOUND_DATA_MISMATCH", "LIMIT_REACHED", "SYNTAX_ERROR", "INVALID_QUERY"):
        assert code in codes


@pytest.mark.parametrize(("status", "code"), rows(Action.FAIL))
def test_fail_rows_raise_their_typed_error_after_one_call(status: int, code: str | None) -> None:
    rule = errors.TABLE[(status, code)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(URL, status_code=status, json=answer(status, code))
        with pytest.raises(rule.error) as caught:
            client().current_user()
    assert hit.call_count == 1
    assert caught.value.status == status and (code is None or caught.value.code == code)
    assert "{zoho}" not in str(caught.value) and ("Zoho says no" in str(caught.value) or code is None)


@pytest.mark.parametrize(("status", "code"), rows(Action.RETRY))
def test_retry_rows_back_off_then_raise_their_typed_error(status: int, code: str | None) -> None:
    rule = errors.TABLE[(status, code)]
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(URL, status_code=status, json=zoho_error("TOO_MANY_REQUESTS" if status == 429 else "X"))
        with pytest.raises(rule.error):
            client(config(max_retries=3), time).current_user()
    assert hit.call_count == 4
    assert time.slept == [5.0, 10.0, 20.0]  # rand() = 1: the top of each full-jitter interval


@pytest.mark.parametrize(("status", "code"), rows(Action.RETRY))
def test_retry_rows_recover_when_the_next_answer_is_good(status: int, code: str | None) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(URL, [{"status_code": status, "json": zoho_error("X")},
                       {"status_code": 200, "json": {"users": [{"id": "1"}]}}])
        assert client().current_user() == {"id": "1"}


@pytest.mark.parametrize(("status", "code"), rows(Action.REFRESH))
def test_refresh_rows_refresh_once_and_retry_once(status: int, code: str) -> None:
    with requests_mock.Mocker() as mock:
        token = token_ok(mock)
        mock.get(URL, [{"status_code": status, "json": zoho_error(code)},
                       {"status_code": 200, "json": {"users": [{"id": "1"}]}}])
        client().current_user()
        assert token.call_count == 2


@pytest.mark.parametrize(("status", "code"), rows(Action.REFRESH))
def test_refresh_rows_fail_when_the_fresh_token_is_refused_too(status: int, code: str) -> None:
    with requests_mock.Mocker() as mock:
        token = token_ok(mock)
        hit = mock.get(URL, status_code=status, json=zoho_error(code, "invalid oauth token"))
        with pytest.raises(errors.AuthError, match="even after a refresh"):
            client().current_user()
        assert (token.call_count, hit.call_count) == (2, 2)


@pytest.mark.parametrize(("status", "code"), rows(Action.INSPECT_ITEMS))
def test_inspect_rows_hand_every_item_to_the_caller(status: int, code: str) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(LEADS, status_code=status, json={"data": [
            {"code": "SUCCESS", "status": "success", "message": "record added", "details": {"id": "7"}},
            {"code": "MANDATORY_NOT_FOUND", "status": "error", "message": "required field not found",
             "details": {"api_name": "Last_Name", "json_path": "$.data[1].Last_Name"}}]})
        results = client().insert("Leads", [{"Last_Name": "a"}, {}])
    assert [(r.index, r.ok, r.code, r.id, r.field) for r in results] == [
        (0, True, "SUCCESS", "7", None), (1, False, "MANDATORY_NOT_FOUND", None, "Last_Name")]


@pytest.mark.parametrize(("status", "code", "error"), [
    (400, "SOMETHING_NEW", errors.RequestError), (409, None, errors.RequestError), (501, None, errors.ServerError)])
def test_unlisted_answers_fall_back_to_their_status_class(status: int, code: str | None, error: type) -> None:
    assert errors.lookup(status, code).error is error


def test_a_200_carrying_an_error_body_is_classified_by_its_code() -> None:
    rule, code = errors.classify(200, zoho_error("INVALID_MODULE"))
    assert (rule.action, code) == (Action.FAIL, "INVALID_MODULE")


def test_a_success_envelope_with_a_code_is_not_an_error() -> None:
    rule, _ = errors.classify(202, {"code": "SCHEDULED", "status": "success", "details": {"job_id": "1"}})
    assert rule.action is Action.OK
