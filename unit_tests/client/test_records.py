from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import requests_mock

from unit_tests.client.builders import API, T0, FakeRecords, client, config, lead, token_ok, zoho_error
from zoho_crm_client import ZohoCRMError
from zoho_crm_client import records as records_module
from zoho_crm_client.records import field_groups

FIELDS = ["Last_Name", "Email"]


def read_all(fake: FakeRecords, fields: list[str] = FIELDS, **kwargs) -> tuple[list[dict], list]:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        fake.install(mock)
        pages = list(client().iter_records("Leads", fields, **kwargs))
    return [r for p in pages for r in p.records], pages


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def test_the_query_is_sorted_ascending_with_converted_both_and_200_per_page() -> None:
    fake = FakeRecords([lead(1, Last_Name="a")])
    rows, pages = read_all(fake)
    qs = fake.calls[0]["qs"]
    assert (qs["sort_by"], qs["sort_order"], qs["per_page"], qs["converted"], qs["page"]) == (
        "Modified_Time", "asc", "200", "both", "1")
    assert qs["fields"] == "Modified_Time,Last_Name,Email"
    assert rows[0]["Last_Name"] == "a" and pages[0].cursor_max == T0 + timedelta(seconds=1)


def test_given_2001_records_then_pages_1_to_10_by_number_and_the_11th_by_page_token() -> None:
    fake = FakeRecords([lead(n) for n in range(2001)])
    rows, pages = read_all(fake)
    assert ids(rows) == [lead(n)["id"] for n in range(2001)]
    assert [c["qs"].get("page") for c in fake.calls] == [str(p) for p in range(1, 11)] + [None]
    assert fake.calls[10]["qs"]["page_token"] == "tok9"
    assert [len(p.records) for p in pages] == [200] * 10 + [1]


def test_given_more_rows_than_the_token_ceiling_then_a_new_window_starts_and_nothing_is_lost(monkeypatch) -> None:
    # the real ceiling (100,000) with the arithmetic scaled down: 1,000 rows per token chain
    monkeypatch.setattr(records_module, "TOKEN_LIMIT", 1000)
    fake = FakeRecords([lead(n, seconds=n // 3) for n in range(2500)], token_limit=1000)
    rows, _ = read_all(fake)
    assert sorted(ids(rows)) == sorted(r["id"] for r in fake.records)
    assert len(rows) == 2500  # de-duplicated at each window boundary
    windows = [c["ims"] for c in fake.calls if c["qs"].get("page") == "1"]
    assert windows[0] is None and len(windows) == 3
    # each window starts one second before the last Modified_Time yielded (overlap, never a gap)
    assert windows[1] == "2024-05-01T00:05:32+00:00"


def test_given_the_ceiling_error_itself_then_a_new_window_starts() -> None:
    fake = FakeRecords([lead(n, seconds=n // 2) for n in range(2600)], token_limit=2200)
    rows, _ = read_all(fake)
    assert len(rows) == 2600 and len(set(ids(rows))) == 2600
    refused = [i for i, c in enumerate(fake.calls) if c["qs"].get("page_token") and i + 1 < len(fake.calls)
               and fake.calls[i + 1]["ims"] and fake.calls[i + 1]["qs"].get("page") == "1"]
    assert len(refused) == 1


def test_the_real_100000_ceiling_is_predicted_without_an_error() -> None:
    fake = FakeRecords([lead(n, seconds=n // 7) for n in range(100_050)])
    rows, _ = read_all(fake, fields=["Last_Name"])
    assert len(rows) == 100_050 and len(set(ids(rows))) == 100_050
    page_token_calls = [c for c in fake.calls if "page_token" in c["qs"]]
    assert len(page_token_calls) == 490  # 500 pages in the first window, none refused
    assert fake.calls[500]["ims"] is not None and fake.calls[500]["qs"]["page"] == "1"


def test_given_an_expired_page_token_then_the_scan_resumes_from_the_last_modified_time() -> None:
    fake = FakeRecords([lead(n, seconds=n // 4) for n in range(3000)])
    fake.expire_tokens = {2400}
    rows, _ = read_all(fake)
    assert len(rows) == 3000 and len(set(ids(rows))) == 3000


def test_given_a_token_that_keeps_expiring_without_progress_then_a_typed_error() -> None:
    from zoho_crm_client import PageTokenExpired

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads", status_code=400, json=zoho_error("TOKEN_BOUND_DATA_MISMATCH"))
        with pytest.raises(PageTokenExpired, match="without progress"):
            list(client().iter_records("Leads", FIELDS))


def test_since_is_inclusive_and_sent_one_second_early() -> None:
    fake = FakeRecords([lead(n) for n in range(10)])
    rows, _ = read_all(fake, since=T0 + timedelta(seconds=5))
    assert ids(rows) == [lead(n)["id"] for n in range(5, 10)]
    assert fake.calls[0]["ims"] == "2024-05-01T00:00:04+00:00"


@pytest.mark.parametrize("status", [204, 304])
def test_204_and_304_mean_no_rows(status: int) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads", status_code=status, text="")
        assert list(client().iter_records("Leads", FIELDS, since=T0)) == []


def test_field_groups_hold_at_most_50_and_group_1_leads_with_modified_time() -> None:
    names = [f"F{i}" for i in range(120)] + ["id", "Modified_Time", "F3"]
    groups = field_groups(names, "Modified_Time")
    assert [len(g) for g in groups] == [50, 50, 21]
    assert groups[0][0] == "Modified_Time" and "id" not in sum(groups, [])
    assert sorted(sum(groups, [])) == sorted({*names} - {"id"})


def test_given_60_fields_then_two_calls_per_page_merged_on_id() -> None:
    names = [f"F{i}" for i in range(60)]
    fake = FakeRecords([lead(n, **{f: f"{f}-{n}" for f in names}) for n in range(450)])
    rows, pages = read_all(fake, fields=names)
    assert len(fake.calls) == 6 and [(p.calls, p.credits) for p in pages] == [(2, 2)] * 3
    assert all(r[f] == f"{f}-{r['id'][-3:].lstrip('0') or '0'}" for r in rows for f in names)


def test_given_a_later_group_that_writes_the_id_as_a_number_then_group_1s_id_is_kept() -> None:
    # the merge takes each later group's row as decoded (no copy); its `id` must not replace group 1's text
    names = [f"F{i}" for i in range(60)]
    fake = FakeRecords([lead(n, **{f: f"{f}-{n}" for f in names}) for n in range(3)])
    original = fake.answer

    def answer(request, context):
        body = original(request, context)
        if "F59" in request.url:
            body["data"] = [{**r, "id": int(r["id"])} for r in body["data"]]
        return body

    fake.answer = answer
    rows, _ = read_all(fake, fields=names)
    assert [r["id"] for r in rows] == [r["id"] for r in fake.records] and all(type(r["id"]) is str for r in rows)
    assert [r["F59"] for r in rows] == ["F59-0", "F59-1", "F59-2"]


def test_given_only_known_rows_at_the_boundary_then_one_call_and_nothing_yielded() -> None:
    # a no-change incremental sync of a wide module: the later field groups are not asked for (issue 4 goal)
    names = [f"F{i}" for i in range(60)]
    fake = FakeRecords([lead(n, seconds=5, **{f: n for f in names}) for n in range(3)])
    known = [r["id"] for r in fake.records]
    rows, pages = read_all(fake, fields=names, since=T0 + timedelta(seconds=5), ids_at_cursor=known, probe_known=True)
    assert rows == [] and len(fake.calls) == 1 and [p.calls for p in pages] == [1]


def test_given_known_rows_without_a_probe_then_every_group_is_asked_at_once() -> None:
    # a restart mid-sync: the page nearly always has new rows, so no sequential probe of group 1 first
    names = [f"F{i}" for i in range(60)]
    fake = FakeRecords([lead(n, seconds=5, **{f: n for f in names}) for n in range(3)])
    known = [r["id"] for r in fake.records]
    rows, pages = read_all(fake, fields=names, since=T0 + timedelta(seconds=5), ids_at_cursor=known)
    assert rows == [] and len(fake.calls) == 2 and [p.calls for p in pages] == [2]


def test_given_a_new_row_beside_known_ones_then_every_group_is_read_and_merged() -> None:
    names = [f"F{i}" for i in range(60)]
    fake = FakeRecords([lead(n, seconds=5, **{f: n for f in names}) for n in range(3)])
    known = [r["id"] for r in fake.records[:2]]
    rows, pages = read_all(fake, fields=names, since=T0 + timedelta(seconds=5), ids_at_cursor=known, probe_known=True)
    assert ids(rows) == [fake.records[2]["id"]] and rows[0]["F59"] == 2
    assert len(fake.calls) == 2 and [p.calls for p in pages] == [2]


def test_given_a_record_that_moved_between_group_calls_then_it_is_fetched_by_id() -> None:
    names = [f"F{i}" for i in range(60)]
    fake = FakeRecords([lead(n, **{f: n for f in names}) for n in range(5)])
    moved = fake.records[2]
    original = fake.answer

    def answer(request, context):
        body = original(request, context)
        if "F59" in request.url and "ids=" not in request.url:
            body["data"] = [r for r in body["data"] if r["id"] != moved["id"]]  # record 2 changed in between
        return body

    fake.answer = answer
    rows, pages = read_all(fake, fields=names)
    by_ids = [c for c in fake.calls if "ids" in c["qs"]]
    assert [c["qs"]["ids"] for c in by_ids] == [moved["id"]]
    assert all(r["F59"] == int(r["id"][-1]) for r in rows) and pages[0].calls == 3


def test_deleted_records_read_every_page_and_filter_since() -> None:
    rows = [{"id": str(n), "deleted_time": (T0 + timedelta(seconds=n)).isoformat()} for n in range(250)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{API}/crm/v8/Leads/deleted", [
            {"json": {"data": rows[:200][::-1], "info": {"more_records": True}}},
            {"json": {"data": rows[200:][::-1], "info": {"more_records": False}}}])
        pages = list(client().iter_deleted("Leads", since=T0 + timedelta(seconds=100)))
    assert sum(len(p.records) for p in pages) == 150
    assert pages[-1].cursor_max == T0 + timedelta(seconds=249)
    # page 3 is the one guessed ahead past the last: asked (unless cancelled before it was sent), never used
    assert sorted(h.qs["page"][0] for h in hit.request_history) in (["1", "2"], ["1", "2", "3"])
    assert hit.request_history[0].qs["type"] == ["all"]


def _deleted_listing(total: int, *, refuse_past_last: bool = False) -> Any:
    """Zoho's deleted listing by page number, newest first, 200 a page (section 5); 204 past the last page, or a
    400 when `refuse_past_last` (the 2,000-row ceiling of other listings, should this one have it)."""
    rows = [{"id": str(9000 + n), "type": "recycle",
             "deleted_time": (T0 + timedelta(seconds=total - n)).isoformat()} for n in range(total)]

    def answer(request: Any, context: Any) -> dict[str, Any] | None:
        number = int(request.qs["page"][0])
        chunk = rows[(number - 1) * 200:number * 200]
        if not chunk:
            context.status_code = 400 if refuse_past_last else 204
            return zoho_error("DISCRETE_PAGINATION_LIMIT_EXCEEDED", limit=2000) if refuse_past_last else None
        return {"data": chunk, "info": {"per_page": 200, "count": len(chunk), "page": number,
                                        "more_records": number * 200 < total}}
    return rows, answer


@pytest.mark.parametrize(("total", "pages"), [
    (150, 1),      # page 1 says more_records false: nothing asked ahead
    (400, 2),      # pages 1, 2 and the guessed page 3
    (10_000, 50),  # 50 pages and the one guessed past the last
])
def test_deleted_pages_asked_ahead_bring_the_same_rows_in_the_same_order_with_one_call_wasted_at_most(
        total: int, pages: int) -> None:
    rows, answer = _deleted_listing(total)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{API}/crm/v8/Leads/deleted", json=answer)
        read = list(client().iter_deleted("Leads"))
        numbers = sorted(int(h.qs["page"][0]) for h in hit.request_history)

    assert [r for p in read for r in p.records] == rows  # every row once, in Zoho's order
    assert [p.more for p in read] == [True] * (pages - 1) + [False]
    # each page once; past the last, only the one guessed (sent unless cancelled first), and none after page 1
    exact = list(range(1, pages + 1))
    assert numbers in ((exact,) if pages == 1 else (exact, [*exact, pages + 1]))


def test_given_a_refusal_of_the_page_guessed_past_the_last_then_it_is_not_used() -> None:
    rows, answer = _deleted_listing(2_000, refuse_past_last=True)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads/deleted", json=answer)
        read = [r for p in client().iter_deleted("Leads") for r in p.records]
    assert read == rows


def test_given_a_failure_of_a_page_that_exists_then_the_listing_raises_after_the_pages_before_it() -> None:
    rows, answer = _deleted_listing(1_000)

    def failing(request: Any, context: Any) -> dict[str, Any] | None:
        if request.qs["page"] == ["3"]:
            context.status_code = 400
            return zoho_error("INVALID_DATA")
        return answer(request, context)

    read: list[dict[str, Any]] = []
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads/deleted", json=failing)
        with pytest.raises(ZohoCRMError):
            for page in client().iter_deleted("Leads"):
                read += page.records
    assert read == rows[:400]  # pages 1 and 2, then the error: never a later page in place of page 3


def test_deleted_pages_2_and_3_are_in_flight_together() -> None:
    together = threading.Barrier(2, timeout=10)  # broken (the test fails) if pages 2 and 3 went one by one
    zoho = client(config(max_concurrent_requests=5))
    send = zoho._transport.request

    def request(call: Any) -> Any:
        if call.params["page"] in (2, 3):
            together.wait()
        return send(call)

    zoho._transport.request = request  # type: ignore[method-assign]
    rows, answer = _deleted_listing(500)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads/deleted", json=answer)
        assert [r for p in zoho.iter_deleted("Leads") for r in p.records] == rows


def test_given_more_rows_in_one_second_than_a_window_holds_then_a_typed_error_not_a_loop(monkeypatch) -> None:
    from zoho_crm_client import PaginationLimitExceeded

    monkeypatch.setattr(records_module, "TOKEN_LIMIT", 1000)
    fake = FakeRecords([lead(n, seconds=7) for n in range(2500)], token_limit=1000)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        fake.install(mock)
        seen = []
        with pytest.raises(PaginationLimitExceeded, match="Bulk Read"):
            for page in client().iter_records("Leads", FIELDS):
                seen += page.records
    assert len(seen) == len({r["id"] for r in seen}) == 1000  # every row yielded once before stopping
    assert len(fake.calls) <= 5 + 5 + 1  # one window, one restart that made no progress, no loop
