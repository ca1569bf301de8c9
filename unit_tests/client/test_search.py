from __future__ import annotations

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok, zoho_error
from zoho_crm_client import SearchCeilingReached, criterion, escape_criteria_value

SEARCH = f"{API}/crm/v8/Leads/search"


@pytest.mark.parametrize(("value", "escaped"), [
    ("Burns,B", "Burns\\,B"), ("(a)", "\\(a\\)"), ("ends\\", "ends\\\\"), ("plain", "plain"), (42, "42")])
def test_escaping_follows_section_4(value: object, escaped: str) -> None:
    assert escape_criteria_value(value) == escaped


def test_the_criteria_is_url_encoded_on_the_wire() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(SEARCH, status_code=204, text="")
        list(client().iter_search("Leads", f"({criterion('Last_Name', 'equals', 'Burns,B')})", ["Last_Name"]))
    assert "criteria=%28%28Last_Name%3Aequals%3ABurns%5C%2CB%29%29" in hit.last_request.url


def test_search_pages_until_more_records_is_false() -> None:
    rows = [{"id": str(i)} for i in range(200)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(SEARCH, [{"json": {"data": rows, "info": {"more_records": True}}},
                                {"json": {"data": rows[:5], "info": {"more_records": False}}}])
        pages = list(client().iter_search("Leads", "(Email:equals:a@b.c)"))
    assert [len(p.records) for p in pages] == [200, 5]
    assert [h.qs["page"] for h in hit.request_history] == [["1"], ["2"]]


def test_at_the_2000_ceiling_a_typed_error_suggests_coql_after_yielding_every_page() -> None:
    rows = [{"id": str(i)} for i in range(200)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(SEARCH, json={"data": rows, "info": {"more_records": True}})
        pages = []
        with pytest.raises(SearchCeilingReached, match="COQL stream"):
            for page in client().iter_search("Leads", "(Lead_Status:equals:New)"):
                pages.append(page)
    assert len(pages) == 10 and hit.call_count == 10


def test_zohos_limit_reached_is_the_same_typed_error() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(SEARCH, status_code=400, json=zoho_error("LIMIT_REACHED", "Maximum response iteration limit"))
        with pytest.raises(SearchCeilingReached, match="COQL"):
            list(client().iter_search("Leads", "(Lead_Status:equals:New)"))
