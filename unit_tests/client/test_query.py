"""The query string the transport builds: requests' own encoding, with the commas of Zoho's list parameters kept,
and the token header as the call's only authentication."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import requests_mock

from unit_tests.client.builders import API, client, token_ok
from zoho_crm_client.paths import query

LEADS = f"{API}/crm/v8/Leads"
FIFTY_FIELDS = ",".join(["Modified_Time", *(f"Field_{n}" for n in range(49))])


def requests_query(params: dict) -> str:
    url = requests.Request("GET", LEADS, params=params).prepare().url
    return "?" + urlsplit(url).query if urlsplit(url).query else ""


@pytest.mark.parametrize("params", [
    {"fields": FIFTY_FIELDS, "sort_by": "Modified_Time", "sort_order": "asc", "per_page": 200, "converted": "both",
     "page": 3},
    {"fields": "Last_Name,Email", "page_token": "8f1c/+=&?#%ab cd", "per_page": 200},
    {"criteria": "((City:equals:Zoë\\, DE)and(Email:starts_with:a+b@x.example))", "page": 1},
    {"ids": "5725767000000411001,5725767000000411002", "fields": "id"},
    {"type": "CurrentUser", "skip": None},
    {},
])
def test_given_params_when_encoded_then_they_read_back_as_requests_sends_them(params: dict) -> None:
    ours = query(params)
    assert ours is not None
    assert parse_qsl(ours[1:], strict_parsing=bool(ours)) == parse_qsl(requests_query(params)[1:])
    assert ours.replace(",", "%2C") == requests_query(params).replace(",", "%2C")


def test_given_a_list_call_when_encoded_then_its_commas_stay_commas_and_nothing_else_is_escaped() -> None:
    encoded = query({"fields": FIFTY_FIELDS, "per_page": 200, "page": 2})
    assert encoded == f"?fields={FIFTY_FIELDS}&per_page=200&page=2" and "%" not in encoded


def test_given_a_comma_outside_a_list_parameter_when_encoded_then_it_is_escaped() -> None:
    assert query({"criteria": "(City:equals:a,b)"}) == "?criteria=%28City%3Aequals%3Aa%2Cb%29"


@pytest.mark.parametrize("value", [True, 1.5, ["a", "b"], b"raw"])
def test_given_a_value_only_requests_should_judge_when_encoded_then_none(value: object) -> None:
    assert query({"approved": value}) is None


def test_given_a_netrc_login_for_the_api_host_when_called_then_the_zoho_token_is_sent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine www.zohoapis.com login someone password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        listed = mock.get(LEADS, json={"data": [{"id": "1"}], "info": {"more_records": False}})
        pages = list(client().iter_records("Leads", ["Last_Name", "Email"]))
    assert [r["id"] for r in pages[0].records] == ["1"]
    assert listed.last_request.headers["Authorization"].startswith("Zoho-oauthtoken ")
    assert dict(parse_qsl(urlsplit(listed.last_request.url).query))["fields"] == "Modified_Time,Last_Name,Email"
