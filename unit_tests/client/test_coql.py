from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests_mock

from unit_tests.client.builders import API, client, token_ok, zoho_error
from zoho_crm_client import ConfigError, CoqlError
from zoho_crm_client.coql import build_query, literal, parse_query

COQL = f"{API}/crm/v8/coql"
QUERY = "select Last_Name, Account_Name.Account_Name, Modified_Time from Leads where Lead_Status = 'New'"


@pytest.mark.parametrize(("query", "clause"), [
    ("select id from Leads where id is not null limit 10", "LIMIT"),
    ("select id from Leads where id is not null order by id", "ORDER BY"),
    ("select id from Leads where id is not null limit 10 offset 5", "LIMIT"),
])
def test_a_query_with_its_own_paging_clause_is_refused_naming_it(query: str, clause: str) -> None:
    with pytest.raises(ConfigError, match=f"remove the {clause} clause"):
        parse_query(query)


def test_a_query_without_where_is_refused_with_a_hint() -> None:
    with pytest.raises(ConfigError, match="WHERE clause"):
        parse_query("select id from Leads")


def test_a_non_select_is_refused() -> None:
    with pytest.raises(ConfigError, match="must start with SELECT"):
        parse_query("delete from Leads where id = '1'")


def test_keywords_inside_literals_are_not_clauses() -> None:
    query = parse_query("select Description from Leads where Description like '%order by limit%'")
    assert query.where == "Description like '%order by limit%'"


def test_select_list_columns_aliases_dotted_and_aggregates() -> None:
    query = parse_query("select Last_Name, Owner.email as mail, COUNT(id) as n, MAX(Amount) from Deals "
                        "where Stage != 'Lost' group by Last_Name, Owner.email")
    assert [(c.name, c.path, c.aggregate) for c in query.columns] == [
        ("Last_Name", ("Last_Name",), False), ("mail", ("Owner", "email"), False), ("n", (), True),
        ("MAX(Amount)", (), True)]
    assert query.group_by == "Last_Name, Owner.email" and not query.keyset_pageable


def test_first_page_with_a_cursor_and_since_is_inclusive() -> None:
    text = build_query(parse_query(QUERY), cursor="Modified_Time",
                       since=datetime(2024, 5, 1, 10, 15, tzinfo=timezone.utc))
    assert text == ("select Last_Name, Account_Name.Account_Name, Modified_Time from Leads where "
                    "((Lead_Status = 'New') and (Modified_Time >= '2024-05-01T10:15:00+00:00')) "
                    "order by Modified_Time asc, id asc limit 2000")


def test_next_pages_use_the_keyset_on_cursor_and_id() -> None:
    text = build_query(parse_query(QUERY), cursor="Modified_Time", last_value="2024-05-01T15:45:00+05:30",
                       last_id="42")
    assert ("where ((Lead_Status = 'New') and ((Modified_Time > '2024-05-01T15:45:00+05:30') or "
            "((Modified_Time = '2024-05-01T15:45:00+05:30') and (id > '42')))) "
            "order by Modified_Time asc, id asc limit 2000") in text


def test_without_a_cursor_pages_by_id() -> None:
    query = parse_query(QUERY)
    assert build_query(query, cursor=None).endswith("where (Lead_Status = 'New') order by id asc limit 2000")
    assert "where ((Lead_Status = 'New') and (id > '7')) order by id asc" in build_query(query, cursor=None,
                                                                                        last_id="7")


def test_literals_double_a_quote_and_keep_a_backslash() -> None:
    # Kaizen #171, question 3: a quote inside a COQL string is doubled (docs/zoho-api.md section 7).
    assert literal("O'Brien") == "'O''Brien'" and literal("a\\b") == "'a\\b'"
    assert literal(5) == "5" and literal(True) == "true"


def test_iter_coql_follows_the_keyset_until_more_records_is_false() -> None:
    first = [{"id": str(i), "Modified_Time": f"2024-05-01T10:00:{i:02d}+00:00"} for i in range(3)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(COQL, [{"json": {"data": first, "info": {"count": 3, "more_records": True}}},
                               {"json": {"data": [{"id": "9", "Modified_Time": "2024-05-01T11:00:00+00:00"}],
                                         "info": {"count": 1, "more_records": False}}}])
        pages = list(client().iter_coql(QUERY, cursor_field="Modified_Time"))
    sent = [h.json()["select_query"] for h in hit.request_history]
    assert "(Modified_Time is not null)" in sent[0]
    assert "(Modified_Time > '2024-05-01T10:00:02+00:00')" in sent[1] and "(id > '2')" in sent[1]
    assert [(p.cursor_max, p.last_id) for p in pages] == [("2024-05-01T10:00:02+00:00", "2"),
                                                          ("2024-05-01T11:00:00+00:00", "9")]


def test_resuming_from_state_starts_after_the_saved_row() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(COQL, status_code=204, text="")
        assert list(client().iter_coql(QUERY, cursor_field="Modified_Time", since="2024-05-01T10:00:02+00:00",
                                       last_id="2")) == []
    assert "(id > '2')" in hit.last_request.json()["select_query"]


def test_zoho_syntax_errors_name_the_clause_and_show_the_query() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(COQL, status_code=400, json=zoho_error("INVALID_QUERY", "column given seems to be invalid",
                                                         column_name="Testing"))
        with pytest.raises(CoqlError, match="Testing.*query sent: select"):
            list(client().iter_coql(QUERY))


def test_coql_columns_types_come_from_field_metadata_through_lookups() -> None:
    leads = {"fields": [{"api_name": "Last_Name", "data_type": "text"},
                        {"api_name": "Account_Name", "data_type": "lookup",
                         "lookup": {"module": {"api_name": "Accounts"}}},
                        {"api_name": "Modified_Time", "data_type": "datetime"}]}
    accounts = {"fields": [{"api_name": "Account_Name", "data_type": "text"},
                           {"api_name": "Annual_Revenue", "data_type": "currency"}]}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/fields?module=Leads", json=leads)
        mock.get(f"{API}/crm/v8/settings/fields?module=Accounts", json=accounts)
        columns = client().coql_columns("select Last_Name, Account_Name.Annual_Revenue, COUNT(id) as n, "
                                        "Modified_Time from Leads where id is not null")
    assert columns["Account_Name.Annual_Revenue"]["type"] == ["null", "number"]
    assert columns["Modified_Time"]["format"] == "date-time" and columns["n"]["type"] == ["null", "number"]
    assert columns["id"] == {"type": "string"}


def test_a_coql_page_reports_the_credits_of_its_limit_tier() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(COQL, json={"data": [{"id": "1"}], "info": {"more_records": False}})
        [page] = client().iter_coql("select id from Leads where id is not null")
    assert (page.calls, page.credits) == (1, 3)


def _rows(n: int, start: int = 0) -> list[dict]:
    return [{"id": str(start + i), "Last_Name": f"n{start + i}"} for i in range(n)]


def test_a_users_query_with_limit_and_offset_is_sent_once_exactly_as_written() -> None:
    text = "select Last_Name from Leads where Last_Name is not null order by Last_Name desc limit 5 offset 2"
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(COQL, json={"data": _rows(5), "info": {"count": 5, "more_records": True}})
        pages = list(client().iter_coql_statement(text))
    assert [h.json()["select_query"] for h in hit.request_history] == [text]
    assert [len(p.records) for p in pages] == [5]


def test_a_users_order_by_is_kept_and_paged_by_offset_to_the_end() -> None:
    text = "select Last_Name from Leads where Last_Name is not null order by Last_Name desc"
    answers = [{"json": {"data": _rows(2000), "info": {"more_records": True}}},
               {"json": {"data": _rows(3, 2000), "info": {"more_records": False}}}]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(COQL, answers)
        rows = [r for p in client().iter_coql_statement(text) for r in p.records]
    assert [h.json()["select_query"] for h in hit.request_history] == [f"{text} limit 2000 offset 0",
                                                                      f"{text} limit 2000 offset 2000"]
    assert len(rows) == 2003


def test_a_users_query_without_order_is_keyset_paged_past_every_offset_ceiling() -> None:
    text = "select Last_Name from Leads where Last_Name is not null"
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.post(COQL, [{"json": {"data": _rows(2000), "info": {"more_records": True}}},
                               {"json": {"data": _rows(1, 2000), "info": {"more_records": False}}}])
        list(client().iter_coql_statement(text))
    second = hit.request_history[1].json()["select_query"]
    assert "(id > '1999')" in second and "order by id asc" in second and "offset" not in second
