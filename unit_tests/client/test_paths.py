"""paths.py: the one place a value becomes part of a URL (issue 12), and the writes that rely on it."""

from __future__ import annotations

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok
from zoho_crm_client.errors import ConfigError
from zoho_crm_client.paths import InvalidIdentifier, expand, ids_value, is_safe_path, module_name, record_id

CLONE = "/crm/v8/{module}/{id}/actions/clone"


@pytest.mark.parametrize("value, text", [("554023000000527002", "554023000000527002"),
                                         (554023000000527002, "554023000000527002"),  # a JSON integer, exactly
                                         ("1", "1"), ("9" * 19, "9" * 19)])
def test_given_a_zoho_id_when_validated_then_it_is_the_same_digit_string(value, text) -> None:
    assert record_id(value) == text


@pytest.mark.parametrize("value", ["../Tasks/1", "1,2", "1 ", " 1", "", "1/2", "1?x=1", "1#a", "%31", "１２",
                                   "9" * 20, -1, 5.5402300000052704e17, True, None, [], {"id": "1"}])
def test_given_anything_else_when_validated_then_it_is_refused_naming_the_value(value) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        record_id(value)
    assert caught.value.code == "INVALID_ID" and "not a Zoho id" in str(caught.value)
    assert isinstance(caught.value, ConfigError)


@pytest.mark.parametrize("name", ["Leads", "Price_Books", "CustomModule1", "Leads_X_Contacts"])
def test_given_a_module_api_name_then_it_passes(name) -> None:
    assert module_name(name) == name


@pytest.mark.parametrize("name", ["Leads/deleted", "../settings", "Leads?x", "Le ads", "", "_x", "1Leads", None])
def test_given_a_name_that_is_not_an_api_name_then_it_is_refused(name) -> None:
    with pytest.raises(InvalidIdentifier, match="not a Zoho module API name"):
        module_name(name)


def test_expand_fills_each_placeholder_by_its_rule_and_refuses_a_missing_or_extra_one() -> None:
    assert expand(CLONE, module="Leads", id=7) == "/crm/v8/Leads/7/actions/clone"
    assert expand("/crm/bulk/v8/read/{job_id}/result", job_id="42") == "/crm/bulk/v8/read/42/result"
    with pytest.raises(InvalidIdentifier, match="bulk job id"):
        expand("/crm/bulk/v8/read/{job_id}", job_id="4/../5")
    with pytest.raises(ValueError):
        expand(CLONE, module="Leads")
    with pytest.raises(ValueError):
        expand(CLONE, module="Leads", id=1, extra=2)


def test_ids_value_joins_valid_ids_and_refuses_a_comma_inside_one() -> None:
    assert ids_value(["1", 2]) == "1,2"
    with pytest.raises(InvalidIdentifier):
        ids_value(["1,2"])


@pytest.mark.parametrize("path, safe", [("/crm/v8/Leads", True), ("/crm/bulk/v8/read/1/result", True),
                                        ("https://evil.example/x", False), ("//evil.example/x", False),
                                        ("/crm/v8/../x", False), ("/crm/v8/Leads?ids=1", False),
                                        ("/crm/v8/%2e%2e/x", False), ("crm/v8", False), ("/crm/v8/a b", False)])
def test_only_a_plain_absolute_path_is_safe(path, safe) -> None:
    assert is_safe_path(path) is safe


def test_a_download_url_that_leaves_the_api_host_is_never_called() -> None:
    from zoho_crm_client.errors import InvalidResponseError
    from zoho_crm_client.transport import Call

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        zoho = client()
        with pytest.raises(InvalidResponseError, match="not a plain path"):
            zoho._transport.request(Call("GET", "https://evil.example/steal", "GET /crm/bulk/v8/read/{job_id}/result"))
        assert [r.url for r in mock.request_history] == []


def test_a_delete_with_a_bad_id_sends_the_good_ones_and_rejects_that_record_at_its_own_index() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.delete(f"{API}/crm/v8/Leads", json={"data": [
            {"code": "SUCCESS", "status": "success", "message": "deleted", "details": {"id": "1"}},
            {"code": "SUCCESS", "status": "success", "message": "deleted", "details": {"id": "3"}}]})
        results = client().delete("Leads", ["1", "2,4", 3])
    assert hit.last_request.qs["ids"] == ["1,3"]
    assert [(r.index, r.ok, r.code) for r in results] == [(0, True, "SUCCESS"), (1, False, "INVALID_ID"),
                                                          (2, True, "SUCCESS")]
    assert results[1].field == "id"


def test_an_update_whose_body_id_is_not_an_id_is_rejected_alone() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.put(f"{API}/crm/v8/Leads", json={"data": [
            {"code": "SUCCESS", "status": "success", "message": "updated", "details": {"id": "5"}}]})
        results = client().update("Leads", [{"id": "../Tasks/1", "Last_Name": "x"}, {"id": "5", "Last_Name": "y"}])
    assert [r["id"] for r in hit.last_request.json()["data"]] == ["5"]
    assert [(r.index, r.code) for r in results] == [(0, "INVALID_ID"), (1, "SUCCESS")]


@pytest.mark.parametrize("call", [lambda z: z.clone("CustomModule1", "../Tasks/1"),
                                  lambda z: z.convert_lead("../Tasks/1/actions/clone?", {})])
def test_a_clone_or_convert_with_a_bad_id_sends_nothing(call) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        result = call(client())
        assert [r.method for r in mock.request_history] == []
    assert (result.ok, result.code) == (False, "INVALID_ID")


def test_a_module_name_that_is_a_sub_resource_fails_the_call_before_it_is_sent() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        zoho = client()
        with pytest.raises(InvalidIdentifier):
            next(zoho.iter_records("Leads/deleted", ["Last_Name"]))
        with pytest.raises(InvalidIdentifier):
            zoho.insert("../Tasks", [{"Subject": "x"}])
        assert [r.method for r in mock.request_history] == []
