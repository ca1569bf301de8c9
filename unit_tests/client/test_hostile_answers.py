"""Issue 12: the client's side of hostile input, against requests-mock replays of Zoho's answers.

Sources of the answers replayed here are in docs/zoho-api/hostile.md.
"""

from __future__ import annotations

import pytest
import requests_mock

from unit_tests.client.builders import API, FakeTime, client, config, token_ok, zoho_error
from zoho_crm_client.coql import parse_query
from zoho_crm_client.errors import ConfigError, CriteriaError, RateLimitError

USERS = f"{API}/crm/v8/users"
LEADS = f"{API}/crm/v8/Leads"


def test_given_a_429_about_the_days_credits_then_it_fails_at_once_naming_the_24_hour_window() -> None:
    # the message Zoho's 429 carries when the credits are spent (the emulator's, app.py); the code alone is the
    # same TOO_MANY_REQUESTS as for too many calls in flight (Kaizen #203)
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(USERS, status_code=429, json=zoho_error(
            "TOO_MANY_REQUESTS", "You have exceeded the maximum number of API credits for the day"))
        with pytest.raises(RateLimitError, match="rolling 24-hour window"):
            client(config(max_retries=3), time).current_user()
    assert hit.call_count == 1 and time.slept == []


def test_given_a_429_about_concurrency_then_it_is_still_retried() -> None:
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(USERS, status_code=429, json=zoho_error("TOO_MANY_REQUESTS", "too many requests"))
        with pytest.raises(RateLimitError):
            client(config(max_retries=2), time).current_user()
    assert hit.call_count == 3


def test_given_field_metadata_without_api_name_or_with_a_string_length_then_it_is_read_without_crashing() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/fields", json={"fields": [
            {"field_label": "Nameless", "data_type": "text"},
            {"api_name": "Last_Name", "data_type": "text", "length": "80"},
            {"api_name": "Notes_Text", "data_type": "textarea", "length": "long", "operation_type": "yes",
             "pick_list_values": 5, "formula": "x"}]})
        fields = client().fields("Leads")
    assert [(f.api_name, f.length, f.creatable) for f in fields] == [("Last_Name", 80, True),
                                                                     ("Notes_Text", None, True)]


@pytest.mark.parametrize(("query", "words"), [
    ("select id from Leads where id is not null; delete from Leads where id is not null", "one SELECT"),
    ("select id from Leads where id is not null;", "one SELECT"),
    ("select * from Leads where id is not null", "'*'"),
    ("select id, Owner.* from Leads where id is not null", "'*'"),
])
def test_given_a_query_that_is_not_one_select_of_named_columns_then_it_is_refused(query: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_query(query)


def test_given_a_semicolon_inside_a_literal_then_the_query_is_one_statement() -> None:
    assert parse_query("select id from Leads where Last_Name = 'a;b'").module == "Leads"


def test_given_more_than_50_fields_then_search_asks_the_rest_by_id_and_merges_them() -> None:
    wide = [f"F{i}" for i in range(60)]
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        search = mock.get(f"{LEADS}/search", json={"data": [{"id": "1", "F0": "a"}, {"id": "2", "F0": "b"}],
                                                   "info": {"more_records": False}})
        by_ids = mock.get(LEADS, json={"data": [{"id": "2", "F59": "z2"}, {"id": "1", "F59": "z1"}],
                                       "info": {"more_records": False}})
        [page] = list(client().iter_search("Leads", "(F0:equals:a)", ["id", *wide]))
    assert search.last_request.qs["fields"][0].split(",") == [f.lower() for f in wide[:50]]
    assert by_ids.last_request.qs["ids"] == ["1,2"]
    assert by_ids.last_request.qs["fields"][0].split(",") == [f.lower() for f in wide[50:]]
    assert [(r["id"], r["F0"], r["F59"]) for r in page.records] == [("1", "a", "z1"), ("2", "b", "z2")]
    assert page.calls == 2


def test_given_criteria_zoho_refuses_then_the_error_says_search_criteria() -> None:
    # Zoho's search answers INVALID_QUERY for criteria it cannot read (docs/zoho-api.md section 4)
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{LEADS}/search", status_code=400, json=zoho_error("INVALID_QUERY", "Invalid query formed"))
        with pytest.raises(CriteriaError, match=r"search criteria '\(Nope:equals:x\)' of Leads") as caught:
            list(client().iter_search("Leads", "(Nope:equals:x)"))
    assert "COQL" not in str(caught.value)
