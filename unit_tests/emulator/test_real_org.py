"""The query modules on the emulator's real org (models.Org seeded by seed.py), whose records are compact rows.

Filtering reads those rows directly (criteria.RowTable); every answer must equal the one computed from the
rendered API records (criteria.Table), and keyset paging must walk the module exactly once.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest

from unit_tests.emulator import builders
from zoho_crm_emulator import bulk, criteria, seed, timeutil
from zoho_crm_emulator.models import Org


@pytest.fixture(scope="module")
def org() -> Org:
    return seed.build_org(7, 300, timeutil.DEFAULT_TZ)


def both_ways(monkeypatch: pytest.MonkeyPatch, call: Any) -> tuple[Any, Any]:
    fast = call()
    with monkeypatch.context() as patch:
        patch.setattr(criteria, "table_of", criteria.Table)
        slow = call()
    return fast, slow


@pytest.mark.parametrize("query", [
    "select Last_Name, Email, Owner, Modified_Time from Leads where Modified_Time >= '2024-06-01T00:00:00Z' "
    "order by Modified_Time desc limit 50",
    "select Full_Name, Account_Name, Account_Name.Account_Name, Account_Name.Owner.email from Contacts "
    "where (Account_Name.Account_Name like 'Zylker%' or Lead_Source in ('Web Download', 'Cold Call')) limit 300",
    "select Deal_Name, Amount, Stage from Deals where (Amount between 1000 and 50000 and Stage != 'Closed Lost') "
    "order by Amount desc, Deal_Name limit 2, 40",
    "select Last_Name, Converted__s, Languages_Known from Leads where ((Converted__s = true) and "
    "(Languages_Known = 'German')) or (Last_Name is null)",
    "select Lead_Source, COUNT(id) as n, MAX(Modified_Time) as latest from Leads where id is not null "
    "group by Lead_Source order by n desc",
    "select Subject, What_Id.Deal_Name, Who_Id.Account_Name.Account_Name from Tasks where Who_Id is not null "
    "order by Who_Id.Account_Name.Account_Name, id desc limit 100",
])
def test_given_the_real_org_when_queried_then_compact_rows_answer_like_rendered_records(org, monkeypatch, query):
    fast, slow = both_ways(monkeypatch, lambda: builders.coql(org, {"select_query": query}, "v8"))
    assert fast[0] == 200 and fast == slow


def test_given_the_real_org_when_keyset_paging_then_every_lead_comes_once_in_cursor_order(org):
    seen: list[dict[str, Any]] = []
    cursor, last_id = "2000-01-01T00:00:00+00:00", "0"
    while True:
        query = (f"select Modified_Time from Leads where ((Modified_Time > '{cursor}') or ((Modified_Time = "
                 f"'{cursor}') and (id > '{last_id}'))) order by Modified_Time asc, id asc limit 37")
        status, body = builders.coql(org, {"select_query": query}, "v8")
        if status == 204:
            break
        seen += body["data"]
        cursor, last_id = seen[-1]["Modified_Time"], seen[-1]["id"]
    truth = sorted(org.module("Leads").live_records(),
                   key=lambda r: (timeutil.parse_datetime(r["Modified_Time"]), int(r["id"])))
    assert [r["id"] for r in seen] == [r["id"] for r in truth]
    assert len({r["Modified_Time"] for r in truth}) < len(truth)  # the seed has ties: the id tiebreak matters


@pytest.mark.parametrize("params", [
    {"criteria": "((Lead_Status:equals:Contacted)or(No_of_Employees:greater_than:4000))", "converted": "both"},
    {"criteria": "(Modified_Time:between:2024-01-01T00:00:00+00:00,2024-12-31T23:59:59-05:00)"},
    {"word": "stark"},
])
def test_given_the_real_org_when_searched_then_compact_rows_answer_like_rendered_records(org, monkeypatch, params):
    def call() -> Any:
        return builders.search(org, "Leads", {"fields": "Last_Name,Email,Modified_Time", **params}, "v8")

    fast, slow = both_ways(monkeypatch, call)
    assert fast[0] == 200 and fast == slow


def test_given_the_real_org_when_bulk_read_then_the_csv_holds_the_matching_records(org):
    org.jobs.set_job_seconds(0)  # COMPLETED as soon as the file is written
    criteria_json = {"group_operator": "and", "group": [
        {"field": {"api_name": "Modified_Time"}, "comparator": "greater_equal", "value": "2024-06-01T00:00:00+00:00"},
        {"field": {"api_name": "Account_Name"}, "comparator": "not_equal", "value": "${EMPTY}"}]}
    body = {"query": {"module": {"api_name": "Contacts"}, "criteria": criteria_json,
                      "fields": ["Last_Name", "Account_Name", "Account_Name.Account_Name", "Modified_Time"]}}
    job_id = bulk.create_read_job(org, body).id
    assert bulk.read_job(org, job_id)[1] == "COMPLETED"
    archive = zipfile.ZipFile(io.BytesIO(bulk.export(org, job_id)))
    rows = list(csv.DictReader(io.StringIO(archive.read(f"{job_id}.csv").decode())))
    since = timeutil.parse_datetime("2024-06-01T00:00:00+00:00")
    truth = [r for r in org.module("Contacts").live_records()
             if r["Account_Name"] and timeutil.parse_datetime(r["Modified_Time"]) >= since]
    assert [r["id"] for r in rows] == sorted((r["id"] for r in truth), key=int) and rows
    first = next(r for r in truth if r["id"] == rows[0]["id"])
    assert rows[0] == {"id": first["id"], "Last_Name": first["Last_Name"], "Account_Name": first["Account_Name"]["id"],
                       "Account_Name.Account_Name": first["Account_Name"]["name"],
                       "Modified_Time": first["Modified_Time"]}
