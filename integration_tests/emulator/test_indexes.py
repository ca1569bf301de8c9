"""The emulator's sorted indexes (zoho_crm_emulator/views.py) stay exact while records are written between pages.

List calls, `/deleted` and COQL keyset pages read indexes that every write updates in place (issue 8). Each test
changes the org between calls (control-plane mutate, API writes, a lead conversion) and compares every answer
with the ground truth of `GET /__emulator__/records/{module}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from integration_tests.emulator.api import Api

FIELDS = "Last_Name,Modified_Time,Created_Time,Converted__s"
WRITING_PAGES = 3
SINCE_INDEX = 70  # If-Modified-Since = the Modified_Time of this row of the truth in Modified_Time order


@pytest.fixture
def org(emulator):
    emulator.reset()
    return emulator


@pytest.fixture
def api(org):
    return Api(org)


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _live(emulator, module: str = "Leads") -> list[dict[str, Any]]:
    return emulator.records(module)["live"]


def _expected(live: list[dict[str, Any]], sort_by: str, desc: bool, converted: str, since: str | None) -> list[str]:
    rows = [r for r in live if converted == "both" or r["Converted__s"] == (converted == "true")]
    if since is not None:
        rows = [r for r in rows if _epoch(r["Modified_Time"]) >= _epoch(since)]
    key = (lambda r: r["id"]) if sort_by == "id" else (lambda r: (_epoch(r[sort_by]), r["id"]))
    return [r["id"] for r in sorted(rows, key=key, reverse=desc)]


def _listed(api: Api, sort_by: str, desc: bool, converted: str, since: str | None) -> list[str]:
    """Every id of the listing: page 1, then page tokens (nothing is written while it walks)."""
    params = {"fields": FIELDS, "sort_by": sort_by, "sort_order": "desc" if desc else "asc", "converted": converted,
              "per_page": 60, "headers": {"If-Modified-Since": since} if since else None}
    ids, token = [], None
    while True:
        resp = api.get("Leads", **params, **({"page_token": token} if token else {}))
        if resp.status_code in (204, 304):
            return ids
        body = resp.json()
        ids += [r["id"] for r in body["data"]]
        token = body["info"]["next_page_token"]
        if token is None:
            return ids


def _write_a_little_of_everything(org, api: Api, round_: int) -> None:
    org.mutate(module="Leads", create=3, update=4, delete=2, same_second=round_ % 2 == 0)
    live = _live(org)
    open_leads = [r["id"] for r in live if not r["Converted__s"]]
    assert api.put("Leads", {"data": [{"id": live[round_]["id"], "City": f"Pune {round_}"}]}).status_code == 200
    assert api.post(f"Leads/{open_leads[round_]}/actions/convert", {"data": [{}]}).status_code == 200
    assert api.delete("Leads", ids=live[-1 - round_]["id"]).status_code == 200


def test_given_writes_between_reads_then_every_listing_equals_the_ground_truth(org, api):
    for round_ in range(2):
        _write_a_little_of_everything(org, api, round_)
        live = _live(org)
        since = sorted(r["Modified_Time"] for r in live)[SINCE_INDEX]
        for sort_by in ("id", "Created_Time", "Modified_Time"):
            for converted in ("true", "false", "both"):
                for desc in (False, True):
                    for moment in (None, since):
                        assert _listed(api, sort_by, desc, converted, moment) == \
                            _expected(live, sort_by, desc, converted, moment), (round_, sort_by, converted, desc, moment)


def test_given_writes_between_token_pages_when_walking_by_modified_time_then_no_untouched_row_is_missed(org, api):
    live = _live(org)
    since = sorted(r["Modified_Time"] for r in live)[SINCE_INDEX]
    params = {"fields": FIELDS, "sort_by": "Modified_Time", "sort_order": "asc", "converted": "both",
              "per_page": 10, "headers": {"If-Modified-Since": since}}
    seen: list[dict[str, Any]] = []
    touched: set[str] = set()
    resp = api.get("Leads", **params)
    while True:
        body = resp.json()
        seen += body["data"]
        if not body["info"]["next_page_token"]:
            break
        if len(seen) < WRITING_PAGES * 10:  # then stop writing: rows written now would keep the walk going
            changes = org.mutate(module="Leads", create=1, update=2, delete=1)
            touched.update(changes["created"], changes["updated"], changes["deleted"])
        resp = api.get("Leads", **params, page_token=body["info"]["next_page_token"])
    keys = [(_epoch(r["Modified_Time"]), r["id"]) for r in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # ascending, no row served twice as it was
    untouched = {r["id"] for r in live if _epoch(r["Modified_Time"]) >= _epoch(since)} - touched
    ids = [r["id"] for r in seen]
    assert untouched <= set(ids) and all(ids.count(i) == 1 for i in untouched)


def test_given_deletes_between_pages_then_deleted_records_equal_the_recycle_bin(org, api):
    for _ in range(3):
        org.mutate(module="Leads", delete=7)
        truth = org.records("Leads")["deleted"]
        for kind in ("all", "recycle", "permanent"):
            expected = sorted((e for e in truth if kind == "all" or e["type"] == kind),
                              key=lambda e: (_epoch(e["deleted_time"]), e["id"]), reverse=True)
            ids, page = [], 1
            while (resp := api.get("Leads/deleted", type=kind, per_page=3, page=page)).status_code == 200:
                ids += [e["id"] for e in resp.json()["data"]]
                page += 1
            assert ids == [e["id"] for e in expected], kind


def test_given_writes_between_coql_keyset_pages_then_every_untouched_row_comes_once_in_order(org, api):
    live = _live(org)
    since = sorted(r["Modified_Time"] for r in live)[SINCE_INDEX]
    where, seen, touched = f"Modified_Time >= '{since}'", [], set()
    while True:
        query = f"select Last_Name, Modified_Time from Leads where {where} order by Modified_Time asc, id asc limit 15"
        resp = api.post("coql", {"select_query": query})
        if resp.status_code == 204:
            break
        page = resp.json()["data"]
        seen += page
        last_time, last_id = page[-1]["Modified_Time"], page[-1]["id"]
        where = (f"((Modified_Time > '{last_time}') or ((Modified_Time = '{last_time}') and (id > '{last_id}')))")
        if len(seen) < WRITING_PAGES * 15:  # then stop writing: rows written now would keep the walk going
            changes = org.mutate(module="Leads", create=1, update=2, delete=1)
            touched.update(changes["created"], changes["updated"], changes["deleted"])
    keys = [(_epoch(r["Modified_Time"]), int(r["id"])) for r in seen]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    untouched = {r["id"] for r in live if _epoch(r["Modified_Time"]) >= _epoch(since)} - touched
    ids = [r["id"] for r in seen]
    assert untouched <= set(ids) and all(ids.count(i) == 1 for i in untouched)


@pytest.mark.parametrize("query, expected", [
    ("select Last_Name from Leads where Modified_Time >= '{since}' order by Modified_Time, id limit 2000",
     lambda rows, since: [r["id"] for r in sorted(rows, key=lambda r: (_epoch(r["Modified_Time"]), r["id"]))
                          if _epoch(r["Modified_Time"]) >= since]),
    ("select Last_Name from Leads where Last_Name is not null limit 30 offset 20",
     lambda rows, since: sorted(r["id"] for r in rows)[20:50]),
    ("select Last_Name from Leads where Modified_Time >= '{since}' order by id desc limit 2000",
     lambda rows, since: sorted((r["id"] for r in rows if _epoch(r["Modified_Time"]) >= since), reverse=True)),
])
def test_given_writes_then_coql_pages_read_through_indexes_equal_the_ground_truth(org, api, query, expected):
    for _ in range(2):  # the first query builds the indexes, the writes after it must keep them exact
        live = _live(org)
        since = sorted(r["Modified_Time"] for r in live)[SINCE_INDEX]
        body = api.post("coql", {"select_query": query.format(since=since)}).json()
        assert [r["id"] for r in body["data"]] == expected(live, _epoch(since))
        org.mutate(module="Leads", create=5, update=10, delete=5, same_second=True)
