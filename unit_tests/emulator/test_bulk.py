"""Bulk Read (docs/zoho-api.md section 12.1) against a small in-memory org whose job store runs on a frozen clock."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest

from unit_tests.emulator.builders import Org, sample_org
from zoho_crm_emulator import bulk, handlers_queries, jobs
from zoho_crm_emulator.exceptions import ZohoError


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def org(clock: FrozenClock) -> Org:
    return sample_org(clock)


def create(org: Org, **query: Any) -> str:
    body = handlers_queries.read_job_created(bulk.create_read_job(org, {"query": {"module": {"api_name": "Contacts"},
                                                                               **query}}))
    return body["data"][0]["details"]["id"]


def status(org: Org, job_id: str) -> dict[str, Any]:
    """The job as GET /crm/bulk/v8/read/{job_id} shows it (handlers_queries makes the answer)."""
    return handlers_queries.read_job_status(*bulk.read_job(org, job_id))["data"][0]


def finished(org: Org, clock: FrozenClock, job_id: str) -> dict[str, Any]:
    clock.now += org.jobs.job_seconds
    return status(org, job_id)


def rows(org: Org, clock: FrozenClock, **query: Any) -> list[dict[str, str]]:
    job_id = create(org, **query)
    finished(org, clock, job_id)
    payload = bulk.export(org, job_id)
    archive = zipfile.ZipFile(io.BytesIO(payload))
    assert archive.namelist() == [f"{job_id}.csv"]
    return list(csv.DictReader(io.StringIO(archive.read(f"{job_id}.csv").decode("utf-8"))))


def names(org: Org, clock: FrozenClock, criteria: dict[str, Any]) -> list[str]:
    return [r["Last_Name"] for r in rows(org, clock, fields=["Last_Name"], criteria=criteria)]


def test_given_a_job_when_polled_then_it_goes_added_in_progress_completed(org, clock):
    body = handlers_queries.read_job_created(bulk.create_read_job(org, {"query": {"module": {"api_name": "Contacts"}}}))
    details = body["data"][0]["details"]
    assert (body["data"][0]["code"], body["data"][0]["message"], body["info"]) == (
        "ADDED_SUCCESSFULLY", "Added successfully.", {})
    assert details["state"] == "ADDED" and len(details["id"]) == 19 and details["operation"] == "read"
    assert details["created_by"] == {"id": org.current_user["id"], "name": org.current_user["name"]}
    states = []
    for step in (0.0, 0.6, 0.4):
        clock.now += step
        states.append(status(org, details["id"]))
    assert [s["state"] for s in states] == ["ADDED", "IN PROGRESS", "COMPLETED"]
    assert "result" not in states[1]
    assert states[2]["result"] == {"page": 1, "per_page": 200_000, "count": 5, "more_records": False,
                                   "next_page_token": None,
                                   "download_url": f"/crm/bulk/v8/read/{details['id']}/result"}
    assert states[2]["query"]["module"]["api_name"] == "Contacts" and states[2]["file_type"] == "csv"


def test_given_fields_when_downloaded_then_one_csv_with_id_first_lookups_as_ids_and_parent_columns(org, clock):
    fields = ["Last_Name", "Account_Name", "Account_Name.Account_Name", "Owner.last_name", "Languages_Known",
              "Modified_Time", "Email_Opt_Out", "Annual_Revenue", "First_Name", "id"]
    table = rows(org, clock, fields=fields)
    zylker = next(r["id"] for r in org.modules["Accounts"].records.values() if r["Account_Name"] == "Zylker")
    assert list(table[0]) == ["id"] + fields[:-1]
    assert table[0] == {"id": table[0]["id"], "Last_Name": "Boyle", "Account_Name": zylker,
                        "Account_Name.Account_Name": "Zylker", "Owner.last_name": "Boyle",
                        "Languages_Known": "English;German", "Modified_Time": "2024-05-02T08:00:00+05:30",
                        "Email_Opt_Out": "false", "Annual_Revenue": "1500.5", "First_Name": "Paul"}
    assert table[2]["First_Name"] == "" and table[2]["Account_Name"] == ""
    assert [r["Last_Name"] for r in table] == ["Boyle", "Burns,B (Jr)", "Chen", "Daly\\", "Evans"]  # id order


def test_given_no_fields_when_downloaded_then_every_exportable_field_comes(org, clock):
    header = list(rows(org, clock)[0])
    exportable = [f["api_name"] for f in org.modules["Contacts"].fields if f["data_type"] != "multiselectlookup"]
    assert header == ["id", *exportable]


def _leaf(api_name: str, comparator: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": api_name}, "comparator": comparator, "value": value}


@pytest.mark.parametrize(("criteria", "expected"), [
    (_leaf("Last_Name", "equal", "chen"), ["Chen"]),
    (_leaf("Last_Name", "not_equal", "Chen"), ["Boyle", "Burns,B (Jr)", "Daly\\", "Evans"]),
    (_leaf("Last_Name", "starts_with", "B"), ["Boyle", "Burns,B (Jr)"]),
    (_leaf("Last_Name", "ends_with", "S"), ["Evans"]),
    (_leaf("Last_Name", "contains", "ur"), ["Burns,B (Jr)"]),
    (_leaf("Last_Name", "not_contains", "o"), ["Burns,B (Jr)", "Chen", "Daly\\", "Evans"]),
    (_leaf("Last_Name", "in", ["Chen", "evans"]), ["Chen", "Evans"]),
    (_leaf("Last_Name", "not_in", ["Chen"]), ["Boyle", "Burns,B (Jr)", "Daly\\", "Evans"]),
    (_leaf("First_Name", "equal", "${EMPTY}"), ["Chen"]),
    (_leaf("First_Name", "not_equal", "${EMPTY}"), ["Boyle", "Burns,B (Jr)", "Daly\\", "Evans"]),
    (_leaf("No_of_Employees", "greater_than", 5), ["Boyle", "Burns,B (Jr)", "Daly\\"]),
    (_leaf("No_of_Employees", "less_equal", "10"), ["Boyle", "Daly\\", "Evans"]),
    (_leaf("Modified_Time", "between", ["2024-05-31T18:30:00+00:00", "2024-07-01T07:00:00+00:00"]),
     ["Chen", "Daly\\"]),
    (_leaf("Modified_Time", "not_between", ["2024-05-31T18:30:00+00:00", "2024-07-01T07:00:00+00:00"]),
     ["Boyle", "Burns,B (Jr)", "Evans"]),
    (_leaf("Modified_Time", "greater_equal", "2024-05-02T02:30:00+00:00"), ["Boyle", "Burns,B (Jr)", "Chen",
                                                                           "Daly\\", "Evans"]),
    (_leaf("Date_of_Birth", "less_than", "1986-01-01"), ["Burns,B (Jr)", "Evans"]),
    (_leaf("Email_Opt_Out", "equal", True), ["Burns,B (Jr)"]),
    (_leaf("Languages_Known", "equal", "German"), ["Boyle", "Daly\\"]),
    ({"group_operator": "or", "group": [_leaf("Last_Name", "equal", "Chen"),
                                        {"group_operator": "AND", "group": [_leaf("Lead_Source", "equal", "Web"),
                                                                            _leaf("No_of_Employees", "less_than",
                                                                                  5)]}]},
     ["Chen", "Evans"]),
])
def test_given_criteria_when_the_job_completes_then_only_matching_rows_are_exported(org, clock, criteria, expected):
    assert names(org, clock, criteria) == expected


def test_given_lookup_criteria_when_the_job_completes_then_lookups_match_by_id(org, clock):
    zylker = next(r["id"] for r in org.modules["Accounts"].records.values() if r["Account_Name"] == "Zylker")
    assert names(org, clock, _leaf("Account_Name", "equal", zylker)) == ["Boyle", "Daly\\"]
    assert names(org, clock, _leaf("Account_Name", "equal", "${EMPTY}")) == ["Chen", "Evans"]


def test_given_more_rows_than_a_page_when_read_then_page_token_and_page_both_reach_the_rest(org, clock, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_PAGE", 2)
    first = finished(org, clock, create(org, fields=["Last_Name"]))["result"]
    assert (first["count"], first["more_records"], first["per_page"]) == (2, True, 2)
    by_token = create(org, page_token=first["next_page_token"])
    second = finished(org, clock, by_token)
    assert (second["query"]["page"], second["result"]["count"], second["result"]["more_records"]) == (2, 2, True)
    third = finished(org, clock, create(org, page_token=second["result"]["next_page_token"]))["result"]
    assert (third["count"], third["more_records"], third["next_page_token"]) == (1, False, None)
    by_page = finished(org, clock, create(org, fields=["Last_Name"], page=3))["result"]
    assert by_page["count"] == 1
    table = zipfile.ZipFile(io.BytesIO(bulk.export(org, by_token))).read(f"{by_token}.csv").decode()
    assert [row["Last_Name"] for row in csv.DictReader(io.StringIO(table))] == ["Chen", "Daly\\"]


def test_given_a_completed_job_when_records_change_then_the_download_keeps_its_ids_and_skips_deleted(org, clock):
    job_id = create(org, fields=["Last_Name"])
    finished(org, clock, job_id)
    contacts = org.modules["Contacts"]
    del contacts.records[next(i for i, r in contacts.records.items() if r["Last_Name"] == "Chen")]
    contacts.add(Last_Name="Late")
    csv_text = zipfile.ZipFile(io.BytesIO(bulk.export(org, job_id))).read(f"{job_id}.csv").decode()
    assert [row["Last_Name"] for row in csv.DictReader(io.StringIO(csv_text))] == [
        "Boyle", "Burns,B (Jr)", "Daly\\", "Evans"]


def test_given_two_orgs_when_a_job_is_made_in_one_then_the_other_does_not_know_it(org, clock):
    job_id = create(org)
    with pytest.raises(ZohoError) as caught:
        bulk.read_job(sample_org(), job_id)
    assert caught.value.status == 404


def _error(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "details": details, "message": message, "status": "error"}


def _bad(api_name: str | None, message: str = "the criteria field is invalid") -> dict[str, Any]:
    return _error("INVALID_CRITERIA", message, api_name=api_name)


CONTACTS = {"module": {"api_name": "Contacts"}}


@pytest.mark.parametrize(("body", "expected"), [
    ({}, _error("REQUEST_BODY_IS_EMPTY", "request body is empty")),
    ({"callback": {"url": "https://x.example/cb", "method": "post"}},
     _error("INVALID_REQUEST", "query is missing or invalid", api_name="query")),
    ({"query": {}}, _error("INVALID_REQUEST", "query.module is missing", api_name="module")),
    ({"query": {"module": {"api_name": "Nowhere"}}},
     _error("MODULE_NOT_SUPPORTED", "the module is not supported for bulk read", api_name="Nowhere")),
    ({"query": {"module": {"api_name": "Home"}}},
     _error("MODULE_NOT_SUPPORTED", "the module is not supported for bulk read", api_name="Home")),
    ({"query": {**CONTACTS, "cvid": "123"}}, _error("CVID_NOT_SUPPORTED", "custom views are not supported",
                                                    api_name="cvid")),
    ({"query": {**CONTACTS, "file_type": "ics"}},
     _error("NOT_SUPPORTED_FEATURE", "only csv files can be exported from this module", api_name="file_type")),
    ({"query": {**CONTACTS, "fields": ["Last_Name", "Nope"]},
      }, _error("FIELD_NOT_SUPPORTED", "the field is not supported", api_name="Nope")),
    ({"query": {**CONTACTS, "fields": ["Linked"]}},
     _error("FIELD_NOT_SUPPORTED", "the field is not supported", api_name="Linked")),
    ({"query": {**CONTACTS, "fields": ["Account_Name.Parent_Account.Account_Name"]}},
     _error("FIELD_NOT_SUPPORTED", "the field is not supported", api_name="Account_Name.Parent_Account.Account_Name")),
    ({"query": {**CONTACTS, "fields": "Last_Name"}},
     _error("INVALID_REQUEST", "fields must be a list of api names", api_name="fields")),
    ({"query": {**CONTACTS, "page": 0}}, _error("INVALID_REQUEST", "page must be a positive integer",
                                                api_name="page")),
    ({"query": {**CONTACTS, "page": 51}}, _error("PAGE_RANGE_EXCEEDED", "the page is out of range", max_limit=50)),
    ({"query": {"page_token": "nope"}},
     _error("INVALID_REQUEST", "the page_token is invalid or expired", api_name="page_token")),
    ({"query": CONTACTS, "callback": {"url": "ftp://x", "method": "post"}},
     _error("INVALID_CALLBACK_URL", "the callback url is invalid", api_name="url")),
    ({"query": CONTACTS, "callback": {"url": "https://x.example/cb", "method": "get"}},
     _error("INVALID_CALLBACK_METHOD", "the callback method must be post", api_name="method")),
    ({"query": {**CONTACTS, "criteria": []}}, _error("INVALID_CRITERIA", "criteria must be an object")),
    ({"query": {**CONTACTS, "criteria": {"group_operator": "xor", "group": [_leaf("Last_Name", "equal", "x")]}}},
     _error("INVALID_CRITERIA", "a group needs group_operator and/or and a non-empty group", group_operator="xor")),
    ({"query": {**CONTACTS, "criteria": {"group_operator": "and", "group": []}}},
     _error("INVALID_CRITERIA", "a group needs group_operator and/or and a non-empty group", group_operator="and")),
    ({"query": {**CONTACTS, "criteria": _leaf("Nope", "equal", "x")}}, _bad("Nope")),
    ({"query": {**CONTACTS, "criteria": {"comparator": "equal", "value": "x"}}}, _bad(None)),
    ({"query": {**CONTACTS, "criteria": _leaf("Email_Opt_Out", "contains", "t")}},
     _error("INVALID_CRITERIA", "the comparator is not supported for the field", api_name="Email_Opt_Out",
            comparator="contains", supported=["equal", "not_equal"])),
    ({"query": {**CONTACTS, "criteria": _leaf("Last_Name", "like", "x")}},
     _error("INVALID_CRITERIA", "the comparator is not supported for the field", api_name="Last_Name",
            comparator="like", supported=["contains", "ends_with", "equal", "in", "not_contains", "not_equal",
                                          "not_in", "starts_with"])),
    ({"query": {**CONTACTS, "criteria": _leaf("Modified_Time", "between", ["2024-01-01T00:00:00+00:00"])}},
     _error("INVALID_CRITERIA", "the value does not fit the comparator", api_name="Modified_Time",
            comparator="between")),
    ({"query": {**CONTACTS, "criteria": _leaf("Last_Name", "in", "Chen")}},
     _error("INVALID_CRITERIA", "the value does not fit the comparator", api_name="Last_Name", comparator="in")),
    ({"query": {**CONTACTS, "criteria": _leaf("Modified_Time", "greater_than", "2024-01-01T00:00:00.123+00:00")}},
     _bad("Modified_Time", "the value does not fit the field")),  # no millis in datetime criteria
    ({"query": {**CONTACTS, "criteria": _leaf("No_of_Employees", "equal", "ten")}},
     _bad("No_of_Employees", "the value does not fit the field")),
    ({"query": {**CONTACTS, "criteria": _leaf("Last_Name", "contains", "${EMPTY}")}},
     _bad("Last_Name", "${EMPTY} goes with equal or not_equal")),
])
def test_given_a_bad_job_when_created_then_400_with_a_zoho_error_body(org, clock, body, expected):
    with pytest.raises(ZohoError) as caught:
        bulk.create_read_job(org, body)
    assert (caught.value.status, caught.value.body()) == (400, expected)


def test_given_an_expired_page_token_when_used_then_it_is_refused(org, clock, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_PAGE", 2)
    token = finished(org, clock, create(org))["result"]["next_page_token"]
    clock.now += jobs.PAGE_TOKEN_TTL_S + 1
    with pytest.raises(ZohoError) as caught:
        create(org, page_token=token)
    assert caught.value.details == {"api_name": "page_token"}


def test_given_unknown_or_unfinished_jobs_when_read_then_resource_not_found(org, clock):
    expected = _error("RESOURCE_NOT_FOUND", "the requested resource could not be found", resource="123")
    for call in (bulk.read_job, bulk.export):
        with pytest.raises(ZohoError) as caught:
            call(org, "123")
        assert (caught.value.status, caught.value.body()) == (404, expected)
    job_id = create(org)
    with pytest.raises(ZohoError) as caught:
        bulk.export(org, job_id)
    assert caught.value.status == 400 and caught.value.code == "RESOURCE_NOT_FOUND"
