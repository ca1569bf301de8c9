"""Reading Notes (zoho_crm_client/notes.py) against Zoho's published answer (docs/zoho-api/notes.md).

`zoho_samples/get_notes_v7.json` is the sample response of Zoho's Get Notes page,
https://www.zoho.com/crm/developer/docs/api/v7/get-notes.html (request `?fields=Parent_Id,Owner,Created_Time,
Note_Title`), cut to 4 of its 17 notes (the 1st to 3rd and the 6th, one per parent module); `info` is as
published: `sort_by: id`, `sort_order: asc`, `next_page_token: null`.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests_mock

from unit_tests.client.builders import API, client, config, token_ok, zoho_error
from zoho_crm_client import ZohoCRMError
from zoho_crm_client.models import parent_of_note

SAMPLE = json.loads((Path(__file__).parent / "zoho_samples" / "get_notes_v7.json").read_text())
NOTES = f"{API}/crm/v8/Notes"
DOCUMENTED = {"page", "per_page", "fields", "sort_by", "sort_order", "ids"}  # Get Notes + crm-oas notes.json


def with_times(sample: dict[str, Any], *, order: str = "desc", more: bool = False) -> dict[str, Any]:
    """The sample as Zoho would answer `sort_by=Modified_Time&sort_order=desc` (its Created_Time as the
    Modified_Time, newest first): an adaptation, the page publishes the id order only."""
    rows = [{**r, "Modified_Time": r["Created_Time"]} for r in sample["data"]]
    rows.sort(key=lambda r: r["Modified_Time"], reverse=order == "desc")
    info = {**sample["info"], "sort_by": "Modified_Time", "sort_order": order, "more_records": more}
    return {"data": rows, "info": info}


def test_given_zohos_published_page_in_id_order_then_it_is_not_taken_for_newest_first() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=SAMPLE)
        page = client().newest_notes(["Note_Title", "Parent_Id", "Modified_Time"])
        sent = mock.request_history[-1]

    assert page is None  # info says sort_by id, sort_order asc: where the page ends says nothing about time
    assert set(sent.qs) <= DOCUMENTED and sent.qs["sort_by"] == ["modified_time"] and sent.qs["sort_order"] == ["desc"]
    assert "If-Modified-Since" not in sent.headers and "page_token" not in sent.qs


def test_given_a_newest_first_answer_then_the_page_carries_each_rows_moment_and_whether_a_page_2_exists() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=with_times(SAMPLE, more=True))
        page = client().newest_notes(["Note_Title", "Parent_Id", "Modified_Time"])

    assert page is not None and page.more and page.calls == 1
    assert page.moments == sorted(page.moments, reverse=True) and len(page.records) == 4


def test_given_rows_out_of_the_order_info_names_then_the_page_is_not_trusted() -> None:
    answer = with_times(SAMPLE, order="asc")
    answer["info"]["sort_order"] = "desc"
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=answer)
        assert client().newest_notes(["Modified_Time"]) is None


def test_given_no_notes_then_204_is_an_empty_last_page() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, status_code=204)
        page = client().newest_notes(["Modified_Time"])

    assert page is not None and page.records == [] and not page.more


def test_given_zohos_published_rows_when_fetched_by_id_then_each_keeps_its_parent_module() -> None:
    ids = [str(1000 + i) for i in range(150)] + [r["id"] for r in SAMPLE["data"]]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=SAMPLE)
        found, calls = client().notes_by_ids(["Note_Title", "Parent_Id"], ids)
        sent = [r.qs for r in mock.request_history if r.method == "GET"]

    assert calls == 2 and [len(q["ids"][0].split(",")) for q in sent] == [100, 54]
    assert all(set(q) <= DOCUMENTED for q in sent)
    parents = {i: parent_of_note(row) for i, row in found.items()}  # the one reader of the shape (models.py)
    assert parents == {"2423488000000496148": ("Contacts", "2423488000000495515"),
                       "2423488000000496149": ("Contacts", "2423488000000495516"),
                       "2423488000000496150": ("Contacts", "2423488000000495517"),
                       "2423488000000551003": ("Leads", "2423488000000495872")}


@pytest.mark.parametrize(("row", "parent"), [
    # section 6's v8 shape: the parent's module is inside Parent_Id, which COQL's {name, id} would lose
    ({"Parent_Id": {"module": {"api_name": "Leads", "id": "9"}, "id": "77"}}, ("Leads", "77")),
    ({"Parent_Id": {"module": "Deals", "id": 78}}, ("Deals", "78")),  # an older string module, a numeric id
    ({"Parent_Id": {"name": "Chen", "id": "79"}, "$se_module": "Contacts"}, ("Contacts", "79")),  # v2
    ({"Parent_Id": "80", "se_module": "Accounts"}, ("Accounts", "80")),  # a warehouse's flattened v2 columns
    ({"Parent_Id": None}, (None, None)),
])
def test_given_a_note_parent_in_any_shape_zoho_used_when_read_then_module_and_id_come_out(row, parent) -> None:
    assert parent_of_note(row) == parent


def test_the_index_of_changes_is_a_coql_keyset_from_the_cursor() -> None:
    rows = [{"Modified_Time": "2024-05-01T10:00:00+05:30", "id": "2423488000000496148"}]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(f"{API}/crm/v8/coql", json={"data": rows, "info": {"count": 1, "more_records": False}})
        pages = list(client().iter_note_changes(datetime(2024, 5, 1, tzinfo=timezone.utc)))
        query = mock.request_history[-1].json()["select_query"]

    assert [p.records for p in pages] == [rows]
    assert query.startswith("select Modified_Time from Notes where ((id is not null) and (Modified_Time >= '2024-05-01")
    assert query.endswith("order by Modified_Time asc, id asc limit 2000")


# Calls side by side (issue 14 item 1): the `?ids=` calls of one index page, the index page read ahead.

def _notes_by_ids_answer(request: Any, context: Any) -> dict[str, Any]:
    """Zoho's list answer to `?ids=`: the notes asked, in the order asked, one id (…013) deleted meanwhile."""
    ids = [i for i in request.qs["ids"][0].split(",") if not i.endswith("013")]
    return {"data": [{"id": i, "Note_Title": f"note {i}"} for i in ids], "info": {"more_records": False}}


def test_given_250_ids_when_fetched_side_by_side_then_the_same_three_calls_and_the_same_rows_in_order() -> None:
    ids = [str(5000 + i) for i in range(250)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=_notes_by_ids_answer)
        found, calls = client().notes_by_ids(["Note_Title"], ids)
        sent = sorted(r.qs["ids"][0] for r in mock.request_history if r.method == "GET")

    # exactly the calls one at a time made: ids 0-99, 100-199, 200-249, each once
    assert calls == 3 and sent == sorted(",".join(ids[s:s + 100]) for s in (0, 100, 200))
    assert list(found) == [i for i in ids if not i.endswith("013")]  # merged in the order of ids
    assert found["5100"] == {"id": "5100", "Note_Title": "note 5100"}


def test_given_300_ids_then_the_calls_are_in_flight_together() -> None:
    # requests-mock answers one request at a time, so the three calls meet before they reach it: the barrier
    # breaks (and the test fails) if they were sent one by one
    together = threading.Barrier(3, timeout=10)
    zoho = client(config(max_concurrent_requests=5))
    send = zoho._transport.request

    def request(call: Any) -> Any:
        together.wait()
        return send(call)

    zoho._transport.request = request  # type: ignore[method-assign]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=_notes_by_ids_answer)
        found, calls = zoho.notes_by_ids(["Note_Title"], [str(i) for i in range(300)])

    assert calls == 3 and len(found) == 300


def test_given_one_ids_call_refused_then_the_page_fails_whole_and_no_call_is_left_running() -> None:
    ids = [str(7000 + i) for i in range(500)]
    answered: list[str] = []

    def answer(request: Any, context: Any) -> dict[str, Any]:
        first = request.qs["ids"][0].split(",")[0]
        if first == "7200":  # the 3rd call of 5: a refusal the transport does not retry
            context.status_code = 400
            return zoho_error("INVALID_DATA", "invalid data")
        answered.append(first)
        return _notes_by_ids_answer(request, context)

    reader_client = client()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(NOTES, json=answer)
        with pytest.raises(ZohoCRMError) as raised:
            reader_client.notes_by_ids(["Note_Title"], ids)
        running = reader_client._transport.limiter._in_flight  # read while the mock is still installed

    assert raised.value.code == "INVALID_DATA"
    assert running == 0  # every call of the page answered or cancelled before the error reached the caller
    assert "7200" not in answered and len(answered) <= 4


def test_given_an_index_of_two_pages_then_page_2_is_asked_while_the_caller_works_on_page_1() -> None:
    asked_page_2 = threading.Event()
    pages = [
        {"data": [{"id": str(i), "Modified_Time": "2024-05-01T10:00:00+05:30"} for i in range(1, 2001)],
         "info": {"count": 2000, "more_records": True}},
        {"data": [{"id": "2001", "Modified_Time": "2024-05-01T10:00:01+05:30"}],
         "info": {"count": 1, "more_records": False}},
    ]

    def answer(request: Any, context: Any) -> dict[str, Any]:
        second = "id > '2000'" in request.json()["select_query"]
        if second:
            asked_page_2.set()
        return pages[1] if second else pages[0]

    seen_while_working = []
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        coql = mock.post(f"{API}/crm/v8/coql", json=answer)
        for page in client().iter_note_changes(datetime(2024, 5, 1, tzinfo=timezone.utc)):
            # the caller's work on this page (its `?ids=` calls); page 2's call runs meanwhile
            seen_while_working.append(asked_page_2.wait(timeout=10) if page.more else None)
        calls = coql.call_count

    assert seen_while_working == [True, None]
    assert calls == 2  # no call past the page that said more_records false


def test_given_a_caller_that_stops_after_page_1_then_the_page_read_ahead_is_waited_for() -> None:
    answer = {"data": [{"id": str(i), "Modified_Time": "2024-05-01T10:00:00+05:30"} for i in range(1, 2001)],
              "info": {"count": 2000, "more_records": True}}
    zoho = client()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        coql = mock.post(f"{API}/crm/v8/coql", json=answer)
        pages = zoho.iter_note_changes(None)
        next(pages)
        pages.close()
        running = zoho._transport.limiter._in_flight

    assert running == 0 and coql.call_count <= 2  # page 1, and at most the one page asked ahead
