"""Search (docs/zoho-api.md section 4) against a small in-memory org: criteria grammar, escaping, paging, errors."""

from __future__ import annotations

from typing import Any

import pytest

from unit_tests.emulator import builders
from unit_tests.emulator.builders import OTHER_OWNER, Org, sample_org
from zoho_crm_emulator.exceptions import ZohoError

NEWEST_FIRST = ["Evans", "Chen", "Burns,B (Jr)", "Boyle"]  # converted Daly is hidden by default


@pytest.fixture(scope="module")
def org() -> Org:
    return sample_org()


def search(org: Org, version: str = "v8", module: str = "Contacts", **params: str) -> tuple[int, dict | None]:
    return builders.search(org, module, {"fields": "Last_Name", **params}, version)


def last_names(org: Org, **params: str) -> list[str]:
    status, body = search(org, **params)
    return [] if status == 204 else [row["Last_Name"] for row in body["data"]]


def record_id(org: Org, module: str, **match: Any) -> str:
    return next(r["id"] for r in org.modules[module].records.values() if match.items() <= r.items())


@pytest.mark.parametrize(("criteria_text", "expected"), [
    ("(Last_Name:equals:boyle)", ["Boyle"]),  # case-insensitive exact equals
    ("(Last_Name:equals:Boyl)", []),
    ("((Last_Name:starts_with:B)and(First_Name:equals:Mary))", ["Burns,B (Jr)"]),
    ("((Last_Name:equals:Chen)or(Last_Name:equals:Evans))", ["Evans", "Chen"]),
    ("(Last_Name:equals:Chen)or(Last_Name:equals:Evans)", ["Evans", "Chen"]),
    ("(((Last_Name:starts_with:B)and(No_of_Employees:greater_than:5))or(Last_Name:equals:Chen))",
     ["Chen", "Burns,B (Jr)", "Boyle"]),
    ("(Last_Name:equals:Burns\\,B \\(Jr\\))", ["Burns,B (Jr)"]),  # escaped comma and parentheses
    ("(Last_Name:in:Chen,Evans)", ["Evans", "Chen"]),
    ("(No_of_Employees:greater_than:5)", ["Burns,B (Jr)", "Boyle"]),
    ("(No_of_Employees:between:3,10)", ["Evans", "Boyle"]),
    ("(Annual_Revenue:less_equal:99)", ["Evans", "Burns,B (Jr)"]),
    ("(Modified_Time:greater_equal:2024-05-02T02:30:00+00:00)", NEWEST_FIRST),  # instants, any offset
    ("(Modified_Time:less_than:2024-05-02T08:00:00+05:30)", []),
    # the client's Modified_Time ranges (zoho_crm_client/search.py): greater_equal includes its instant,
    # less_than leaves it out, and the user's criteria stays one group
    ("((Last_Name:starts_with:B)and(Modified_Time:greater_equal:2024-05-02T02:30:00+00:00)"
     "and(Modified_Time:less_than:2024-05-02T02:30:01+00:00))", ["Burns,B (Jr)", "Boyle"]),
    ("(((Last_Name:equals:Chen)or(Last_Name:equals:Evans))and(Modified_Time:less_than:2024-05-31T18:30:00+00:00))",
     ["Evans"]),
    ("(Date_of_Birth:less_than:1986-01-01)", ["Evans", "Burns,B (Jr)"]),
    ("(Email_Opt_Out:equals:true)", ["Burns,B (Jr)"]),
    ("(Account_Name:equals:zylker)", ["Boyle"]),  # a lookup by name
    (f"(Owner:equals:{OTHER_OWNER['id']})", ["Burns,B (Jr)"]),  # and by id
    ("(Languages_Known:equals:English)", ["Evans", "Boyle"]),
    ("(Lead_Source:not_equal:Web)", ["Burns,B (Jr)"]),
    ("(Lead_Number:equals:LD-1)", NEWEST_FIRST),
    ("(Description:starts_with:long)", NEWEST_FIRST),
    ("(Secret:equals:s3)", NEWEST_FIRST),
])
def test_given_criteria_when_searched_then_matching_rows_come_newest_id_first(org, criteria_text, expected):
    assert last_names(org, criteria=criteria_text) == expected


def test_given_lookup_ids_and_a_trailing_backslash_when_searched_then_they_match(org):
    zylker = record_id(org, "Accounts", Account_Name="Zylker")
    assert last_names(org, criteria=f"(Account_Name:equals:{zylker})") == ["Boyle"]
    assert last_names(org, criteria="(Last_Name:equals:Daly\\\\)", converted="both") == ["Daly\\"]


@pytest.mark.parametrize(("converted", "expected"), [
    ("false", NEWEST_FIRST), ("true", ["Daly\\"]), ("both", ["Evans", "Daly\\", "Chen", "Burns,B (Jr)", "Boyle"]),
])
def test_given_converted_when_searched_then_converted_leads_show_accordingly(org, converted, expected):
    assert last_names(org, criteria="(Owner:not_equal:1)", converted=converted) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"email": "MARY@X.COM"}, ["Burns,B (Jr)"]),
    ({"phone": "5550002"}, ["Burns,B (Jr)"]),
    ({"phone": "+1 555 010 0001"}, ["Boyle"]),
    ({"word": "zylker"}, ["Boyle"]),
    ({"word": "Web"}, ["Evans", "Boyle"]),
    ({"criteria": "(Last_Name:equals:Chen)", "email": "MARY@X.COM", "word": "x"}, ["Chen"]),  # criteria wins
    ({"email": "MARY@X.COM", "phone": "555-0001", "word": "Chen"}, ["Burns,B (Jr)"]),  # then email
    ({"phone": "555-0002", "word": "Chen"}, ["Burns,B (Jr)"]),  # then phone
])
def test_given_email_phone_or_word_when_searched_then_the_first_by_priority_applies(org, params, expected):
    assert last_names(org, **params) == expected


def test_given_pages_when_searched_then_info_describes_each_page(org):
    first = search(org, criteria="(Owner:not_equal:1)", per_page="3")[1]
    second = search(org, criteria="(Owner:not_equal:1)", per_page="3", page="2")[1]
    assert [r["Last_Name"] for r in first["data"] + second["data"]] == NEWEST_FIRST
    assert first["info"] == {"per_page": 3, "count": 3, "page": 1, "sort_by": "id", "sort_order": "desc",
                             "more_records": True}
    assert second["info"]["more_records"] is False and second["info"]["count"] == 1
    assert search(org, criteria="(Owner:not_equal:1)", per_page="200", page="10") == (204, None)


def test_given_fields_when_searched_then_only_they_and_id_come_back(org):
    row = search(org, criteria="(Last_Name:equals:Chen)", fields="Last_Name,Email")[1]["data"][0]
    assert row == {"Last_Name": "Chen", "Email": None, "id": record_id(org, "Contacts", Last_Name="Chen")}
    for version in ("v2", "v2.1"):  # fields optional: all fields come back
        full = builders.search(org, "Contacts", {"criteria": "(Last_Name:equals:Chen)"}, version)[1]["data"]
        assert full[0]["Modified_Time"] == "2024-06-01T00:00:00+05:30"


def _error(status: int, code: str, message: str, **details: Any) -> tuple[int, dict[str, Any]]:
    return status, {"code": code, "details": details, "message": message, "status": "error"}


def _invalid(reason: str, **details: Any) -> tuple[int, dict[str, Any]]:
    return _error(400, "INVALID_QUERY", "Invalid query formed", reason=reason, **details)


def _conditions(n: int) -> str:
    return "(" + "and".join(["(Last_Name:equals:x)"] * n) + ")"


@pytest.mark.parametrize(("params", "expected"), [
    ({}, _error(400, "EXPECTED_PARAM_MISSING", "mandatory param missing",
                expected_params=["criteria", "email", "phone", "word"])),
    ({"criteria": "(Last_Name:equals:x)", "fields": ""}, _error(400, "REQUIRED_PARAM_MISSING",
                                                                "One of the expected parameter is missing",
                                                                param_name="fields")),
    ({"criteria": "(Last_Name:equals:x)", "fields": ",".join(f"F{i}" for i in range(51))},
     _error(400, "LIMIT_EXCEEDED", "Max field limit exceeded", limit=50, param_name="fields")),
    ({"criteria": "(Last_Name:equals:x)", "fields": "Last_Name,Nope"},
     _error(400, "INVALID_DATA", "invalid data", api_name="Nope", param_name="fields")),
    ({"criteria": "(Last_Name:equals:x)", "per_page": "201"},
     _error(400, "INVALID_DATA", "invalid data", param_name="per_page")),
    ({"criteria": "(Last_Name:equals:x)", "page": "0"}, _error(400, "INVALID_DATA", "invalid data", param_name="page")),
    ({"criteria": "(Last_Name:equals:x)", "page": "11"},
     _error(400, "LIMIT_REACHED", "Maximum response iteration limit reached", limit=2000)),
    ({"criteria": "(Last_Name:equals:x)", "page": "3", "per_page": "1000"},
     _error(400, "INVALID_DATA", "invalid data", param_name="per_page")),
    ({"criteria": "(Last_Name:equals:x)", "converted": "maybe"},
     _error(400, "INVALID_DATA", "invalid data", param_name="converted")),
    ({"word": "a"}, _error(400, "INVALID_DATA", "invalid data", param_name="word")),
    ({"criteria": "Last_Name:equals:x"}, _invalid("expected '('", near="Last_Name:equals:x")),
    ({"criteria": "(Last_Name:equals:x"}, _invalid("expected ')'", near="")),
    ({"criteria": "(Last_Name:equals:abc\\)"}, _invalid("expected ')'", near="")),  # \) does not close
    ({"criteria": "(Last_Name:equals:x))"}, _invalid("unbalanced parentheses", near=")")),
    ({"criteria": "(Last_Name:equals:Pat(B))"}, _invalid("unescaped parenthesis in value",
                                                         near="Last_Name:equals:Pat(")),
    ({"criteria": "(Last_Name:equals:Burns,B)"}, _invalid("wrong number of values", near="Last_Name:equals:Burns,B")),
    ({"criteria": "(Last_Name equals x)"}, _invalid("condition must be Field:operator:value",
                                                    near="Last_Name equals x")),
    ({"criteria": "((Last_Name:equals:x)xor(Last_Name:equals:y))"}, _invalid("expected and/or",
                                                                             near="xor(Last_Name:equals")),
    ({"criteria": "((Last_Name:equals:x)and(Last_Name:equals:y)or(Last_Name:equals:z))"},
     _invalid("mixed and/or without parentheses", near="or(Last_Name:equals:")),
    ({"criteria": "(Foo:equals:x)"}, _invalid("invalid field", api_name="Foo")),
    ({"criteria": "(Last_Name:greater_than:x)"}, _invalid("invalid operator found", api_name="Last_Name",
                                                          operator="greater_than")),
    ({"criteria": "(Email_Opt_Out:starts_with:t)"}, _invalid("invalid operator found", api_name="Email_Opt_Out",
                                                             operator="starts_with")),
    ({"criteria": "(Lead_Number:starts_with:LD)"}, _invalid("invalid operator found", api_name="Lead_Number",
                                                            operator="starts_with")),
    ({"criteria": "(Secret:starts_with:s)"}, _invalid("invalid operator found", api_name="Secret",
                                                      operator="starts_with")),
    ({"criteria": "(Description:in:a,b)"}, _invalid("invalid operator found", api_name="Description",
                                                    operator="in")),
    ({"criteria": "(No_of_Employees:equals:ten)"}, _invalid("invalid value", api_name="No_of_Employees",
                                                            value="ten")),
    ({"criteria": "(Modified_Time:equals:2024-05-01 10:00:00 05:30)"},  # '+' sent unencoded became a space
     _invalid("invalid value", api_name="Modified_Time", value="2024-05-01 10:00:00 05:30")),
    ({"criteria": "(No_of_Employees:between:1)"}, _invalid("wrong number of values",
                                                           near="No_of_Employees:between:1")),
    ({"criteria": _conditions(11)}, _error(400, "LIMIT_EXCEEDED", "criteria limit exceeded", limit=10,
                                           param_name="criteria")),
    ({"criteria": "(No_of_Employees:in:" + ",".join(map(str, range(101))) + ")"},
     _error(400, "LIMIT_EXCEEDED", "too many values", limit=100, operator="in")),
])
def test_given_a_bad_search_when_sent_then_400_with_a_zoho_error_body(org, params, expected):
    with pytest.raises(ZohoError) as caught:
        builders.search(org, "Contacts", {"fields": "Last_Name", **params}, "v8")
    assert (caught.value.status, caught.value.body()) == expected


def test_given_ten_conditions_when_searched_then_they_are_allowed(org):
    assert search(org, criteria=_conditions(10)) == (204, None)


@pytest.mark.parametrize("module", ["Nowhere", "Home"])
def test_given_an_unknown_or_unsupported_module_when_searched_then_invalid_module(org, module):
    with pytest.raises(ZohoError) as caught:
        search(org, module=module, criteria="(Last_Name:equals:x)")
    assert caught.value.code == "INVALID_MODULE"
