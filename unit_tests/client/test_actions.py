"""`ZohoCRM` (zoho_crm_client/actions.py): checks before any call, sorting, write chunks, and Zoho's published answers
replayed through the real client over requests-mock."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok, zoho_error
from zoho_crm_client import PaginationLimitExceeded, UsageError, ZohoCRM, converted_ids
from zoho_crm_client.actions import check_criteria, check_id, check_parent, sort_rows

LEADS = f"{API}/crm/v8/Leads"
LEAD_ID = "5725767000000524157"


def crm() -> ZohoCRM:
    return ZohoCRM(client())


def query(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


@pytest.mark.parametrize("value", ["12a", "", "1" * 20, "../org", "12?fields=x", "1 2", True, None, -5])
def test_an_id_that_is_not_a_zoho_id_is_refused_naming_the_argument(value: object) -> None:
    with pytest.raises(UsageError, match="record_id: .* is not a Zoho record id") as caught:
        check_id(value, "record_id")
    assert caught.value.argument == "record_id"


@pytest.mark.parametrize("module", ["Leads/../org", "Leads?x=1", "", "Le ads", "1Leads", "Léads"])
def test_a_module_that_is_not_an_api_name_never_reaches_a_url(module: str) -> None:
    with requests_mock.Mocker() as mock:  # no route: any call would fail the test
        with pytest.raises(UsageError, match="module"):
            crm().get_record(module, LEAD_ID)
        assert mock.request_history == []


@pytest.mark.parametrize("criteria", ["(Email:equals:a@b.com", "Email:equals:a", "((Email:equals:a)))(",
                                      "(Email)", "(Last_Name:equals:Burns(B)"])
def test_criteria_that_zoho_would_refuse_are_refused_naming_criteria(criteria: str) -> None:
    with pytest.raises(UsageError, match="criteria"):
        check_criteria(criteria)


@pytest.mark.parametrize("criteria", ["(Email:equals:a@b.com)", r"((Last_Name:equals:Burns\,B)and(First_Name:starts_with:M))",
                                      r"(Company:equals:Zylker \(EU\))"])
def test_criteria_of_zohos_published_shape_are_accepted(criteria: str) -> None:
    assert check_criteria(criteria) == criteria  # Kaizen #30's example; escaped parentheses in a value


def test_a_parent_is_module_colon_id() -> None:
    assert check_parent(f"Leads:{LEAD_ID}") == ("Leads", LEAD_ID)
    with pytest.raises(UsageError, match="parent"):
        check_parent(LEAD_ID)


def test_rows_sort_as_zoho_orders_values_with_missing_values_last_both_ways() -> None:
    rows = [{"id": "10", "T": "2024-05-01T10:00:00+05:30"}, {"id": "9", "T": "2024-05-01T05:00:00+00:00"},
            {"id": "100", "T": None}, {"id": "11", "T": "2024-05-01T04:00:00Z"}]

    assert [r["id"] for r in sort_rows(rows, "id")] == ["9", "10", "11", "100"]  # numbers, not text
    assert [r["id"] for r in sort_rows(rows, "T")] == ["11", "10", "9", "100"]  # instants, whatever the offset
    assert [r["id"] for r in sort_rows(rows, "T", descending=True)] == ["9", "10", "11", "100"]
    assert [r["id"] for r in sort_rows([{"id": "1", "N": "b"}, {"id": "2", "N": "A"}], "N")] == ["2", "1"]


def test_get_record_asks_for_every_field_and_returns_the_subform() -> None:
    # Zoho's v8 Subform API page: a record's subform rows come with GET /{module}/{record_id}; shape from that page
    record = {"id": LEAD_ID, "Last_Name": "Daly", "Subform_1": [{"id": "5725767000000531001", "Item": "Desk",
                                                                 "Parent_Id": {"id": LEAD_ID}}],
              "Linked_Contacts": [{"Linked_Contacts": {"name": "Ann", "id": "5725767000000524100"}}]}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{LEADS}/{LEAD_ID}", json={"data": [record]})
        got = crm().get_record("Leads", LEAD_ID)
    assert got == record
    assert "fields" not in query(hit.last_request)  # fields is "mandatory when fetching all records" only


def test_get_record_of_an_unknown_id_is_none() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{LEADS}/{LEAD_ID}", status_code=204)
        assert crm().get_record("Leads", LEAD_ID) is None


def test_list_sends_the_sort_and_stops_calling_zoho_at_the_limit() -> None:
    page = {"data": [{"id": str(i), "Created_Time": "2024-05-01T10:00:00+05:30", "Modified_Time": None}
                     for i in range(200, 0, -1)], "info": {"more_records": True, "next_page_token": "t"}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(LEADS, json=page)
        rows = list(crm().list_records("Leads", fields=["Created_Time"], sort_by="Created_Time",
                                       sort_order="desc", limit=5))
    assert [r["id"] for r in rows] == ["200", "199", "198", "197", "196"]
    assert hit.call_count == 1
    assert {k: query(hit.last_request)[k] for k in ("sort_by", "sort_order")} == {"sort_by": "Created_Time",
                                                                                   "sort_order": "desc"}


def test_a_descending_list_at_the_100000_row_ceiling_stops_with_a_message_naming_the_order() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(LEADS, status_code=400, json=zoho_error("PAGINATION_LIMIT_EXCEEDED", "limit", param_name="page_token"))
        with pytest.raises(PaginationLimitExceeded, match="ascending Modified_Time"):
            list(crm().list_records("Leads", fields=["Last_Name"], sort_order="desc"))


def test_search_sorts_the_whole_result_here_since_zoho_search_takes_no_sort() -> None:
    pages = [{"data": [{"id": "1", "Last_Name": "b"}, {"id": "2", "Last_Name": "c"}],
              "info": {"more_records": True, "sort_by": "id", "sort_order": "desc"}},
             {"data": [{"id": "3", "Last_Name": "a"}], "info": {"more_records": False}}]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{LEADS}/search", [{"json": p} for p in pages])
        rows = list(crm().search_records("Leads", word="zylker", fields=["Last_Name"], sort_by="Last_Name",
                                         limit=2))
    assert [r["Last_Name"] for r in rows] == ["a", "b"]
    assert [query(r)["word"] for r in hit.request_history] == ["zylker", "zylker"]
    assert not {"sort_by", "sort_order"} & set(query(hit.last_request))


def test_writes_go_100_at_a_time_and_every_result_keeps_its_input_index() -> None:
    def answer(request, context):
        context.status_code = 201
        return {"data": [{"code": "SUCCESS", "status": "success", "message": "record added",
                          "details": {"id": f"9{r['Last_Name']}"}} if r["Last_Name"] != "150" else
                         {"code": "MANDATORY_NOT_FOUND", "status": "error", "message": "required field not found",
                          "details": {"api_name": "Company"}} for r in request.json()["data"]]}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(LEADS, json=answer)
        results = list(crm().create_records("Leads", ({"Last_Name": str(i)} for i in range(250))))
    assert [len(h.json()["data"]) for h in hit.request_history] == [100, 100, 50]
    assert [r["index"] for r in results] == list(range(250))
    assert results[150] == {"index": 150, "status": "error", "id": None, "code": "MANDATORY_NOT_FOUND",
                            "message": "required field not found", "details": {"api_name": "Company"}}
    assert results[249]["id"] == "9249"


def test_a_chunk_that_may_have_reached_zoho_is_reported_not_resent_and_the_next_chunk_goes() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(LEADS, [{"status_code": 502, "json": zoho_error("BAD_GATEWAY")},
                                {"status_code": 201, "json": {"data": [{"code": "SUCCESS", "status": "success",
                                                                        "message": "ok", "details": {"id": "7"}}]}}])
        results = list(crm().create_records("Leads", [{"Last_Name": str(i)} for i in range(101)]))
    assert hit.call_count == 2
    assert {r["code"] for r in results[:100]} == {"BAD_GATEWAY"} and results[100]["id"] == "7"
    assert all(r["status"] == "error" and "not resent" in r["message"] for r in results[:100])


# Zoho's v8 convert answer (OAS convert_lead.json Successful_Convert: Contacts, Deals, Accounts as records) and the
# older SDKs' plain ids (v2 convert-lead page: {"Accounts": "...", "Deals": null, "Contacts": "..."})
V8_CONVERT = {"data": [{"code": "SUCCESS", "status": "success", "message": "The record has been converted successfully",
                        "details": {"Contacts": {"name": "Ada Lovelace", "id": "4150868000002563049"},
                                    "Deals": {"name": "Sample", "id": "4150868000002563055"},
                                    "Accounts": {"name": "Zylker", "id": "4150868000003960001"}}}]}
V2_DETAILS = {"Accounts": "42685937005", "Deals": None, "Contacts": "42685937007"}


def test_a_convert_prints_the_new_contact_as_its_id_and_every_new_record_in_details() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(f"{LEADS}/{LEAD_ID}/actions/convert", json=V8_CONVERT)
        result = crm().convert_lead(LEAD_ID, {"Deals": {"Deal_Name": "Sample", "Stage": "Closed Won"}})
    assert result["id"] == "4150868000002563049"
    assert converted_ids(result["details"]) == {"Contacts": "4150868000002563049", "Deals": "4150868000002563055",
                                                "Accounts": "4150868000003960001"}
    assert hit.last_request.json() == {"data": [{"Deals": {"Deal_Name": "Sample", "Stage": "Closed Won"}}]}


def test_converted_ids_read_the_older_plain_id_answer_too() -> None:
    assert converted_ids(V2_DETAILS) == {"Accounts": "42685937005", "Contacts": "42685937007"}


def test_notes_are_created_on_their_parent_in_zohos_v8_parent_shape() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(f"{API}/crm/v8/Notes", status_code=201, json={"data": [
            {"code": "SUCCESS", "status": "success", "message": "record added", "details": {"id": "1"}}]})
        [result] = crm().create_notes(f"Leads:{LEAD_ID}", [{"Note_Title": "t", "Note_Content": "c"}])
    assert result["id"] == "1"
    assert hit.last_request.json()["data"] == [{"Note_Title": "t", "Note_Content": "c",
                                                "Parent_Id": {"module": {"api_name": "Leads"}, "id": LEAD_ID}}]


def test_notes_of_a_record_come_from_its_related_list() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/fields", json={"fields": [{"api_name": "Note_Title", "data_type": "text"}]})
        hit = mock.get(f"{LEADS}/{LEAD_ID}/Notes", json={"data": [{"id": "1", "Note_Title": "t"}],
                                                          "info": {"more_records": False}})
        rows = list(crm().list_notes(parent=f"Leads:{LEAD_ID}"))
    assert rows == [{"id": "1", "Note_Title": "t"}]
    assert query(hit.last_request)["fields"] == "Note_Title"  # fields is mandatory on related lists (v8)


@pytest.mark.parametrize(("kind", "sent"), [("recycle", "recycle"), ("permanent", "permanent"), ("all", "all")])
def test_deleted_records_are_asked_by_type(kind: str, sent: str) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{LEADS}/deleted", status_code=204)
        assert list(crm().deleted_records("Leads", type=kind)) == []
    assert query(hit.last_request)["type"] == sent
    with pytest.raises(UsageError, match="type"):
        crm().deleted_records("Leads", type="bin")


def _deleted_by_page(request, context) -> dict:
    """Three full pages of deleted Leads, by page number."""
    page = int(query(request)["page"])
    return {"data": [{"id": str(page * 1000 + i), "deleted_time": "2024-05-01T10:00:00+05:30", "type": "recycle"}
                     for i in range(200)], "info": {"per_page": 200, "page": page, "more_records": page < 3}}


def test_given_a_limit_then_the_deleted_listing_asks_no_page_ahead_it_may_not_read() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{LEADS}/deleted", json=_deleted_by_page)
        rows = list(crm().deleted_records("Leads", limit=10))
        asked = [query(r)["page"] for r in hit.request_history]
    assert len(rows) == 10 and asked == ["1"]  # pages 2 and 3 would be asked ahead without the limit


def test_without_a_limit_the_deleted_listing_reads_every_page_once() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{LEADS}/deleted", json=_deleted_by_page)
        rows = list(crm().deleted_records("Leads"))
        asked = sorted(query(r)["page"] for r in hit.request_history)
    assert len(rows) == 600 and len({r["id"] for r in rows}) == 600
    assert asked in (["1", "2", "3"], ["1", "2", "3", "4"])  # page 4: the one guessed past the last, unused


def test_given_a_limit_then_the_org_notes_listing_asks_no_index_page_ahead() -> None:
    index = {"data": [{"id": str(i), "Modified_Time": "2024-05-01T10:00:00+05:30"} for i in range(1, 2001)],
             "info": {"count": 2000, "more_records": True}}
    notes = lambda request, context: {  # noqa: E731 - the Notes list by ids: the notes asked
        "data": [{"id": i, "Note_Title": "t"} for i in query(request)["ids"].split(",")], "info": {}}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/fields", json={"fields": [{"api_name": "Note_Title", "data_type": "text"}]})
        coql = mock.post(f"{API}/crm/v8/coql", json=index)
        mock.get(f"{API}/crm/v8/Notes", json=notes)
        rows = list(crm().list_notes(limit=5))
        calls = coql.call_count
    assert len(rows) == 5 and calls == 1
