"""Section 3.1/3.2/5: every rule of get records, single record and deleted records, over real HTTP."""

from __future__ import annotations

from datetime import datetime

import pytest

from integration_tests.emulator.api import error_of

FIELDS = "Last_Name,Email,Modified_Time,Created_Time,Converted__s"


@pytest.fixture(scope="module")
def truth(emulator):
    return emulator.records("Leads")


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.mark.parametrize("params, status, code, details", [
    ({}, 400, "REQUIRED_PARAM_MISSING", {"param_name": "fields"}),
    ({"fields": ",".join(f"F{i}" for i in range(51))}, 400, "LIMIT_EXCEEDED", {"limit": 50, "param_name": "fields"}),
    ({"fields": "Last_Name", "per_page": 201}, 400, "INVALID_DATA", {"param_name": "per_page"}),
    ({"fields": "Last_Name", "page": 11}, 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", {"limit": 2000}),
    ({"fields": "Last_Name", "page": 21, "per_page": 100}, 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", {"limit": 2000}),
    ({"fields": "Last_Name", "page": 1, "page_token": "x"}, 400, "AMBIGUITY_DURING_PROCESSING",
     {"ambiguity_due_to": [{"param_name": "page"}, {"param_name": "page_token"}]}),
    ({"fields": "Last_Name", "page_token": "nope"}, 400, "INVALID_DATA", {"param_name": "page_token"}),
    ({"fields": "Not_A_Field"}, 400, "INVALID_DATA", {"api_name": "Not_A_Field", "param_name": "fields"}),
    ({"fields": "Last_Name", "sort_by": "Email"}, 400, "INVALID_DATA", {"param_name": "sort_by"}),
    ({"fields": "Last_Name", "ids": ",".join(str(10**18 + i) for i in range(101))}, 400, "LIMIT_EXCEEDED",
     {"limit": 100, "param_name": "ids"}),
])
def test_list_parameter_errors(api, params, status, code, details):
    assert error_of(api.get("Leads", **params)) == (status, code, details)


def test_only_requested_fields_and_id_come_back(api):
    body = api.get("Leads", fields="Last_Name,Email", per_page=5).json()
    assert all(set(r) == {"id", "Last_Name", "Email"} for r in body["data"])
    info = body["info"]
    assert info["count"] == 5 and info["per_page"] == 5 and info["page"] == 1 and info["more_records"] is True
    assert info["next_page_token"] and info["page_token_expiry"]


def test_default_sort_is_id_desc_and_sort_by_modified_time_asc_is_ordered(api):
    by_id = [r["id"] for r in api.get("Leads", fields="Last_Name").json()["data"]]
    assert by_id == sorted(by_id, reverse=True)
    rows = api.get("Leads", fields="Modified_Time", sort_by="Modified_Time", sort_order="asc").json()["data"]
    keys = [(_epoch(r["Modified_Time"]), r["id"]) for r in rows]
    assert keys == sorted(keys)


def test_datetimes_carry_the_user_offset_and_never_z(api):
    rows = api.get("Leads", fields="Modified_Time,Created_Time", per_page=50).json()["data"]
    assert all(r["Modified_Time"].endswith("+05:30") and r["Created_Time"].endswith("+05:30") for r in rows)


@pytest.mark.parametrize("converted, expect", [(None, {False}), ("false", {False}), ("true", {True}),
                                               ("both", {True, False})])
def test_converted_leads_only_with_converted_true_or_both(api, truth, converted, expect):
    params = {"fields": FIELDS} | ({"converted": converted} if converted else {})
    rows = api.get("Leads", **params).json()["data"]
    assert {r["Converted__s"] for r in rows} == expect
    wanted = [r for r in truth["live"] if r["Converted__s"] in expect]
    assert len(rows) == min(200, len(wanted))


@pytest.mark.parametrize("sort_by, order", [("Modified_Time", "asc"), ("Modified_Time", "desc"), ("id", "desc"),
                                            ("Created_Time", "asc")])
def test_page_tokens_walk_every_record_once_in_order(api, truth, sort_by, order):
    seen, token, pages = [], None, 0
    while True:
        params = {"fields": "Modified_Time", "sort_by": sort_by, "sort_order": order, "per_page": 7,
                  "converted": "both"}
        params |= {"page_token": token} if token else {}
        body = api.get("Leads", **params).json()
        seen += [r["id"] for r in body["data"]]
        pages += 1
        assert body["info"]["previous_page_token"] == token
        token = body["info"]["next_page_token"]
        if not body["info"]["more_records"]:
            assert token is None
            break
    assert sorted(seen) == sorted(r["id"] for r in truth["live"]) and len(seen) == len(set(seen))
    assert pages == -(-len(seen) // 7)
    by_id = {r["id"]: r for r in truth["live"]}
    keys = [(_epoch(by_id[i][sort_by]), i) if sort_by != "id" else i for i in seen]
    assert keys == sorted(keys, reverse=order == "desc")


def test_a_page_token_read_twice_gives_the_same_page(api):
    first = api.get("Leads", fields="Last_Name", per_page=5).json()
    token = first["info"]["next_page_token"]
    again = [api.get("Leads", fields="Last_Name", per_page=5, page_token=token).json()["data"] for _ in range(2)]
    assert again[0] == again[1] and {r["id"] for r in again[0]}.isdisjoint(r["id"] for r in first["data"])


@pytest.mark.parametrize("change", [{"sort_order": "asc"}, {"fields": "Email"}, {"converted": "both"}])
def test_a_page_token_is_bound_to_the_other_parameters(api, change):
    token = api.get("Leads", fields="Last_Name", per_page=5).json()["info"]["next_page_token"]
    resp = api.get("Leads", **({"fields": "Last_Name", "per_page": 5, "page_token": token} | change))
    assert error_of(resp) == (400, "TOKEN_BOUND_DATA_MISMATCH", {"param_name": "page_token"})


def test_an_expired_page_token_is_refused(emulator, api):
    token = api.get("Leads", fields="Last_Name", per_page=5).json()["info"]["next_page_token"]
    emulator.faults([{"route": "GET /crm/v8/{module}", "expire_page_token": True, "times": 1}])
    try:
        resp = api.get("Leads", fields="Last_Name", per_page=5, page_token=token)
    finally:
        emulator.faults([])
    assert error_of(resp) == (400, "EXPIRED_VALUE", {"api_name": "page_token", "json_path": "$.query.page_token"})


def test_the_token_ceiling_ends_paging(emulator, api):
    emulator.limits(page_token_ceiling=10)
    try:
        token = api.get("Leads", fields="Last_Name", per_page=5, page=2).json()["info"]["next_page_token"]
        resp = api.get("Leads", fields="Last_Name", per_page=5, page_token=token)
    finally:
        emulator.limits(page_token_ceiling=100_000)
    assert error_of(resp) == (400, "PAGINATION_LIMIT_EXCEEDED", {"param_name": "page_token"})


def test_if_modified_since_is_inclusive(api, truth):
    pivot = sorted(truth["live"], key=lambda r: _epoch(r["Modified_Time"]))[len(truth["live"]) // 2]
    rows = api.get("Leads", fields="Modified_Time", converted="both",
                   headers={"If-Modified-Since": pivot["Modified_Time"]}).json()["data"]
    expected = {r["id"] for r in truth["live"] if _epoch(r["Modified_Time"]) >= _epoch(pivot["Modified_Time"])}
    assert {r["id"] for r in rows} == expected and pivot["id"] in expected


def test_if_modified_since_in_the_future_is_304_and_a_page_past_the_end_is_204(api):
    future = api.get("Leads", fields="Last_Name", headers={"If-Modified-Since": "2099-01-01T00:00:00+00:00"})
    past_end = api.get("Leads", fields="Last_Name", page=10)
    assert (future.status_code, future.content) == (304, b"")
    assert (past_end.status_code, past_end.content) == (204, b"")


def test_ids_returns_only_those_records(api, truth):
    wanted = [r["id"] for r in truth["live"][:3]] + ["5725767999999999999"]
    rows = api.get("Leads", fields="Last_Name", ids=",".join(wanted)).json()["data"]
    assert [r["id"] for r in rows] == sorted(wanted[:3])


def test_single_record_has_single_only_fields_and_unknown_id_is_204(api, truth):
    rid = truth["live"][0]["id"]
    record = api.get(f"Leads/{rid}").json()["data"][0]
    assert record["id"] == rid and "Line_Items" in record and "Linked_Contacts" in record
    assert api.get("Leads/5725767999999999999").status_code == 204
    assert error_of(api.get("Leads/abc")) == (400, "INVALID_DATA", {"resource_path_index": 1})


def test_list_never_returns_single_record_only_fields(api):
    rows = api.get("Leads", fields="Last_Name,Line_Items,Linked_Contacts,Team_Members").json()["data"]
    assert all(set(r) == {"id", "Last_Name"} for r in rows)


@pytest.mark.parametrize("kind", ["all", "recycle", "permanent"])
def test_deleted_records_by_type_newest_first(api, truth, kind):
    body = api.get("Leads/deleted", type=kind).json()
    rows = body["data"]
    assert kind == "all" or {r["type"] for r in rows} == {kind}
    assert [_epoch(r["deleted_time"]) for r in rows] == sorted((_epoch(r["deleted_time"]) for r in rows),
                                                               reverse=True)
    expected = [d for d in truth["deleted"] if kind == "all" or d["type"] == kind]
    assert body["info"]["count"] == len(expected)


def test_deleted_records_errors_and_if_modified_since(api):
    assert error_of(api.get("Leads/deleted", type="gone"))[:2] == (400, "PATTERN_NOT_MATCHED")
    resp = api.get("Leads/deleted", headers={"If-Modified-Since": "2099-01-01T00:00:00+00:00"})
    assert resp.status_code == 204
