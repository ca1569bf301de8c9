"""A criteria search read past Zoho's 2,000-row ceiling in Modified_Time ranges (zoho_crm_client/search.py
SearchRanges; docs/zoho-api.md section 4): splitting, splitting again, each row once, the datetime values as
Zoho writes them, the calls it costs, ranges side by side, and the searches it cannot split."""

from __future__ import annotations

import json
import random
import threading
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import requests_mock

from unit_tests.client.builders import API, FakeSearch, client, config, lead, token_ok, zoho_error
from zoho_crm_client import SearchCeilingReached, criterion
from zoho_crm_client.search import conditions, range_criteria

SEARCH = f"{API}/crm/v8/Leads/search"
LIST = f"{API}/crm/v8/Leads"
CRITERIA = "(Lead_Status:equals:New)"


def read(fake: FakeSearch, criteria: str = CRITERIA, fields: list[str] | None = None, **cfg: Any
         ) -> tuple[list[dict[str, Any]], int]:
    """Every row the client's search_pages yields, and the calls its pages say they cost."""
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, text=fake)
        mock.get(LIST, text=fake.oldest)
        zoho = client(config(**cfg)) if cfg else client()
        rows: list[dict[str, Any]] = []
        calls = 0
        for page in zoho.search_pages("Leads", criteria, fields or ["Last_Name", "Modified_Time"]):
            rows += page.records
            calls += page.calls
        zoho.close()
    return rows, calls


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(r["id"] for r in rows)


def test_a_search_under_the_ceiling_costs_its_pages_and_no_range() -> None:
    fake = FakeSearch([lead(n) for n in range(1500)])

    rows, calls = read(fake)

    assert ids(rows) == ids(fake.records)
    assert calls == len(fake.calls) == 8  # 1,500 rows: 8 pages, the floor
    assert all(criteria == CRITERIA for criteria, _ in fake.calls)


def test_past_the_ceiling_the_rows_read_cut_the_line_and_every_row_comes_once() -> None:
    # ids grow with Modified_Time, as when nobody edits: pages 1-10 hold the newest 2,000 rows (n 400..2399)
    fake = FakeSearch([lead(n) for n in range(2400)])

    rows, calls = read(fake)

    assert ids(rows) == ids(fake.records) and len(rows) == 2400
    asked = {criteria for criteria, _ in fake.calls[10:]}
    low, middle = "2024-05-01T00:06:40+00:00", "2024-05-01T00:23:20+00:00"  # T0+400 s, T0+1400 s
    assert asked >= {f"({CRITERIA}and(Modified_Time:less_than:{low}))",
                     f"({CRITERIA}and(Modified_Time:greater_equal:{low})and(Modified_Time:less_than:{middle}))",
                     f"({CRITERIA}and(Modified_Time:greater_equal:{middle}))"}
    # 10 pages show the ceiling; 1 call for the module's oldest Modified_Time (no piece below 400 s: the rows
    # read show 1 row a second, a piece is 1,000 rows); then 400 + 1,000 + 1,000 rows in 2 + 5 + 5 pages; 1 call
    # for rows edited since the read began (none: 204). The floor is 12.
    assert fake.oldest_asked == 1
    assert calls == len(fake.calls) + 1 == 10 + 1 + 2 + 5 + 5 + 1
    assert max(page for _, page in fake.calls) == 10


def test_a_range_that_reaches_the_ceiling_again_is_split_again_whatever_the_order_of_the_answers() -> None:
    moments = list(range(7000))
    random.Random(7).shuffle(moments)  # ids in no relation to Modified_Time: every range's sample is scattered
    fake = FakeSearch([lead(n, seconds=moments[n]) for n in range(7000)])

    rows, calls = read(fake)

    assert ids(rows) == ids(fake.records) and len(rows) == 7000
    assert sum(1 for _, page in fake.calls if page == 10) > 1  # a range split again
    assert max(page for _, page in fake.calls) == 10


def test_below_the_rows_read_the_line_is_cut_in_pieces_at_their_density() -> None:
    # 10,000 rows, 1 a second, ids growing with time: the newest 2,000 span 2,000 s, so the 8,000 below are cut
    # every 1,000 s down to the module's oldest row, and no range reaches the ceiling again
    fake = FakeSearch([lead(n) for n in range(10_000)])

    rows, calls = read(fake)

    assert ids(rows) == ids(fake.records)
    assert sum(1 for _, page in fake.calls if page == 10) == 1
    assert calls <= 50 + 10 + 12  # the floor, the 10 pages that showed the ceiling, a part page per range


def test_a_row_edited_into_a_range_already_read_is_read_by_the_last_range() -> None:
    """One call in flight: ranges are read in order. The newest 2,000 rows are sparse (one every 100 s), the
    3,000 below dense (one a second), so the range below them reaches the ceiling too and its parts are read
    after the ranges above. Before the first part, its oldest row is edited: it moves above every range, into
    one already read, and only the last range (rows modified since the read began) finds it."""
    fake = FakeSearch([lead(n, seconds=n if n < 3000 else 3000 + (n - 3000) * 100) for n in range(5000)])
    oldest = fake.records[0]

    def edit(n: int) -> None:
        if n == 10 + 10 + 5 + 5 + 1:  # first range, the range below, the two above, then the oldest part
            oldest["Modified_Time"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            oldest["Last_Name"] = "edited"

    fake.before_call = edit

    rows, _ = read(fake, max_concurrent_requests=1)

    assert ids(rows) == ids(fake.records) and len(rows) == 5000
    assert next(r for r in rows if r["id"] == oldest["id"]).get("Last_Name") == "edited"


def test_ranges_are_read_side_by_side() -> None:
    """The three ranges' first pages are asked together: each waits (before its call) for the other two, which
    only happens when they run side by side on the client's pool."""
    fake = FakeSearch([lead(n) for n in range(2400)])
    together = threading.Barrier(3, timeout=30)
    asked: list[int] = []

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, text=fake)
        mock.get(LIST, text=fake.oldest)
        zoho = client(config(max_concurrent_requests=4))
        page = zoho._search.page

        def waiting(*args: Any) -> Any:
            asked.append(len(asked) + 1)
            if len(asked) in (11, 12, 13):
                together.wait()
            return page(*args)

        zoho._search.page = waiting  # type: ignore[method-assign]
        rows = [r for p in zoho.search_pages("Leads", CRITERIA, ["Last_Name", "Modified_Time"]) for r in p.records]
        zoho.close()

    assert len(rows) == 2400 and not together.broken


def test_the_datetime_values_are_written_as_zoho_writes_them_and_url_encoded() -> None:
    fake = FakeSearch([lead(n) for n in range(2400)])

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(SEARCH, text=fake)
        mock.get(LIST, text=fake.oldest)
        zoho = client()
        list(zoho.search_pages("Leads", CRITERIA, ["Last_Name", "Modified_Time"]))
        zoho.close()

    urls = [h.url for h in hit.request_history]
    assert any("Modified_Time%3Agreater_equal%3A2024-05-01T00%3A06%3A40%2B00%3A00" in u for u in urls)


def test_kaizen_82s_published_datetime_criterion_is_what_the_client_sends() -> None:
    """K#82: `Modified_Time:greater_equal:2023-04-19T05:58:06+05:30`, its `:` and `+` URL-encoded."""
    condition = criterion("Modified_Time", "greater_equal", "2023-04-19T05:58:06+05:30")
    url = requests.Request("GET", SEARCH, params={"criteria": condition}).prepare().url

    assert condition == "(Modified_Time:greater_equal:2023-04-19T05:58:06+05:30)"
    assert url is not None and "Modified_Time%3Agreater_equal%3A2023-04-19T05%3A58%3A06%2B05%3A30" in url


def test_a_criteria_of_several_conditions_is_grouped_before_the_range_is_added() -> None:
    either = "(Lead_Status:equals:New)or(Company:equals:Burns\\,B \\(UK\\))"
    low = datetime(2024, 1, 1, tzinfo=timezone.utc)

    assert range_criteria(either, low, None) == (
        f"(({either})and(Modified_Time:greater_equal:2024-01-01T00:00:00+00:00))")
    assert conditions(either) == 2 and conditions(f"({either})") == 2


def test_modified_time_is_asked_to_place_the_rows_and_left_out_when_not_selected() -> None:
    fake = FakeSearch([lead(n, Last_Name=f"L{n}") for n in range(2400)])

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(SEARCH, text=fake)
        mock.get(LIST, text=fake.oldest)
        zoho = client()
        rows = [r for p in zoho.search_pages("Leads", CRITERIA, ["Last_Name"]) for r in p.records]
        zoho.close()

    assert parse_qs(urlsplit(hit.request_history[0].url).query)["fields"] == ["Last_Name,Modified_Time"]
    assert len(rows) == 2400 and all("Modified_Time" not in r for r in rows)


def test_a_criteria_with_no_room_for_two_more_conditions_keeps_the_ceiling_with_the_reason() -> None:
    nine = "(" + "and".join(f"(Field{i}:equals:{i})" for i in range(9)) + ")"
    fake = FakeSearch([lead(n) for n in range(2400)])

    rows: list[dict[str, Any]] = []
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, text=fake)
        zoho = client()
        with pytest.raises(SearchCeilingReached, match="two Modified_Time conditions to the criteria's 9"):
            for page in zoho.search_pages("Leads", nine, ["Last_Name", "Modified_Time"]):
                rows += page.records
        zoho.close()
    assert len(fake.calls) == 10 and len(rows) == 2000  # the 10 pages read are out before the reason


def test_more_than_2000_rows_in_one_second_keep_the_ceiling_with_the_reason() -> None:
    fake = FakeSearch([lead(n, seconds=5) for n in range(2100)])

    with pytest.raises(SearchCeilingReached, match="same second"):
        read(fake)


@pytest.mark.parametrize("by", [{"email": "a@b.c"}, {"phone": "555"}, {"word": "Burns"}])
def test_email_phone_and_word_searches_keep_the_ceiling(by: dict[str, str]) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, json={"data": [{"id": str(i)} for i in range(200)], "info": {"more_records": True}})
        zoho = client()
        with pytest.raises(SearchCeilingReached, match="COQL"):
            list(zoho.iter_search("Leads", None, **by))
        zoho.close()


def test_a_refused_oldest_row_call_only_costs_the_guide_and_every_row_still_comes() -> None:
    fake = FakeSearch([lead(n) for n in range(4000)])

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, text=fake)
        mock.get(LIST, status_code=403, json=zoho_error("NO_PERMISSION", "permission denied"))
        zoho = client()
        rows = [r for p in zoho.search_pages("Leads", CRITERIA, ["Last_Name", "Modified_Time"]) for r in p.records]
        zoho.close()

    assert ids(rows) == ids(fake.records)


def test_rows_without_modified_time_keep_the_ceiling_with_the_reason() -> None:
    fake = FakeSearch([{"id": f"{n:019d}", "Modified_Time": None} for n in range(2100)])

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, text=lambda request, context: _without_moments(fake, request, context))
        zoho = client()
        with pytest.raises(SearchCeilingReached, match="no Modified_Time"):
            list(zoho.search_pages("Leads", CRITERIA, ["Last_Name", "Modified_Time"]))
        zoho.close()


def _without_moments(fake: FakeSearch, request: Any, context: Any) -> Any:
    page = int(parse_qs(urlsplit(request.url).query)["page"][0])
    rows = fake.records[(page - 1) * 200: page * 200]
    return json.dumps({"data": rows, "info": {"more_records": page * 200 < len(fake.records)}})
