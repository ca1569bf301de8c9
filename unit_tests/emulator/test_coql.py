"""COQL (docs/zoho-api.md section 7) against a small in-memory org: grammar, results and every error body."""

from __future__ import annotations

from typing import Any

import pytest

from unit_tests.emulator import builders
from unit_tests.emulator.builders import OTHER_OWNER, Org, sample_org
from zoho_crm_emulator.exceptions import ZohoError

ALL = ["Boyle", "Burns,B (Jr)", "Chen", "Daly\\", "Evans"]


@pytest.fixture(scope="module")
def org() -> Org:
    return sample_org()


def run(org: Org, query: str, version: str = "v8", **body: Any) -> tuple[int, dict | None]:
    return builders.coql(org, {"select_query": query, **body}, version)


def last_names(org: Org, where: str, tail: str = "") -> list[str]:
    status, body = run(org, f"select Last_Name from Contacts where {where} {tail}")
    return [] if status == 204 else [row["Last_Name"] for row in body["data"]]


def record_id(org: Org, module: str, **match: Any) -> str:
    return next(r["id"] for r in org.modules[module].records.values() if match.items() <= r.items())


def failure(org: Org, query: Any, version: str = "v8") -> dict[str, Any]:
    body = {"select_query": query} if query is not None else {}
    with pytest.raises(ZohoError) as caught:
        builders.coql(org, body, version)
    assert caught.value.status == 400
    return caught.value.body()


@pytest.mark.parametrize(("where", "expected"), [
    ("Last_Name = 'boyle'", ["Boyle"]),  # text compares case-insensitively
    ("Last_Name != 'Boyle'", ALL[1:]),
    ("First_Name != 'Paul'", ["Burns,B (Jr)", "Daly\\", "Evans"]),  # nulls never match a comparison
    ("Last_Name like 'B%'", ["Boyle", "Burns,B (Jr)"]),
    ("Last_Name like '%S'", ["Evans"]),
    ("Last_Name like '%ur%'", ["Burns,B (Jr)"]),
    ("Last_Name not like '%o%'", ALL[1:]),
    ("Last_Name in ('chen', 'EVANS')", ["Chen", "Evans"]),
    ("Last_Name not in ('Chen')", ["Boyle", "Burns,B (Jr)", "Daly\\", "Evans"]),
    ("Last_Name = 'Burns,B (Jr)'", ["Burns,B (Jr)"]),
    ("Last_Name = 'Daly\\'", ["Daly\\"]),  # a backslash is an ordinary character (section 7)
    ("'Last_Name' = 'Chen'", ["Chen"]),  # a quoted column name
    ("First_Name is null", ["Chen"]),
    ("First_Name is not null", ["Boyle", "Burns,B (Jr)", "Daly\\", "Evans"]),
    ("Modified_Time = '2024-05-02T02:30:00+00:00'", ["Boyle", "Burns,B (Jr)", "Evans"]),  # one instant, 2 offsets
    ("Modified_Time > '2024-05-02T08:00:00+05:30'", ["Chen", "Daly\\"]),
    ("Modified_Time < '2024-06-01T00:00:00'", ["Boyle", "Burns,B (Jr)", "Evans"]),  # no offset: the user's zone
    ("Modified_Time between '2024-05-31T18:30:00Z' and '2024-07-01T07:00:00+00:00'", ["Chen", "Daly\\"]),
    ("Modified_Time not between '2024-05-31T18:30:00+00:00' and '2024-07-01T07:00:00+00:00'",
     ["Boyle", "Burns,B (Jr)", "Evans"]),
    ("No_of_Employees >= 10", ["Boyle", "Burns,B (Jr)", "Daly\\"]),
    ("No_of_Employees between 5 and 100", ["Boyle", "Daly\\"]),
    ("No_of_Employees in (3, 250)", ["Burns,B (Jr)", "Evans"]),
    ("Annual_Revenue < 100", ["Burns,B (Jr)", "Evans"]),
    ("Annual_Revenue <= '99'", ["Burns,B (Jr)", "Evans"]),
    ("Date_of_Birth < '1986-01-01'", ["Burns,B (Jr)", "Evans"]),
    ("Email_Opt_Out = true", ["Burns,B (Jr)"]),
    ("Email_Opt_Out = 'false'", ["Boyle", "Chen", "Daly\\", "Evans"]),
    ("Account_Name is null", ["Chen", "Evans"]),
    ("Account_Name.Account_Name = 'zylker group'", ["Burns,B (Jr)"]),
    ("Account_Name.Parent_Account.Account_Name = 'Zylker Group'", ["Boyle", "Daly\\"]),
    ("Owner.email = 'k.adams@zylker.com'", ["Burns,B (Jr)"]),
    (f"Owner = '{OTHER_OWNER['id']}'", ["Burns,B (Jr)"]),
    ("Languages_Known = 'german'", ["Boyle", "Daly\\"]),
    ("Languages_Known in ('French', 'english')", ["Boyle", "Burns,B (Jr)", "Evans"]),
    ("id > '9'", ALL),  # ids compare as numbers: every 19-digit id is above 9
    ("id is not null", ALL),
    ("(Last_Name = 'Chen' or Last_Name = 'Evans') and Lead_Source = 'Web'", ["Evans"]),
    ("((Last_Name like 'B%' and No_of_Employees > 5) or (Lead_Source is null))", ["Boyle", "Burns,B (Jr)", "Chen"]),
    ("(((Last_Name = 'Chen')))", ["Chen"]),
])
def test_given_a_where_clause_when_queried_then_the_matching_rows_come_back_in_id_order(org, where, expected):
    assert last_names(org, where) == expected


def test_given_lookup_ids_when_compared_then_they_match_by_id(org):
    zylker = record_id(org, "Accounts", Account_Name="Zylker")
    burns = record_id(org, "Contacts", Last_Name="Burns,B (Jr)")
    assert last_names(org, f"Account_Name = '{zylker}'") == ["Boyle", "Daly\\"]
    assert last_names(org, f"Account_Name in ({zylker})") == ["Boyle", "Daly\\"]
    assert last_names(org, f"id = {burns}") == ["Burns,B (Jr)"]
    assert last_names(org, f"id > '{burns}'") == ["Chen", "Daly\\", "Evans"]


def test_given_keywords_in_any_case_and_several_lines_when_queried_then_they_parse(org):
    status, body = run(org, "SELECT Last_Name\nFROM Contacts\nWHERE Last_Name = 'Chen' ORDER BY Last_Name DESC LIMIT 5")
    assert status == 200 and body["data"][0]["Last_Name"] == "Chen"


def test_given_lookups_and_dotted_columns_when_selected_then_they_come_back_flat_with_id_last(org):
    _, body = run(org, "select Last_Name, Account_Name, Account_Name.Account_Name, Owner, Owner.email "
                       "from Contacts where Last_Name = 'Boyle'")
    row = body["data"][0]
    zylker = record_id(org, "Accounts", Account_Name="Zylker")
    assert row == {"Last_Name": "Boyle", "Account_Name": {"name": "Zylker", "id": zylker},
                   "Account_Name.Account_Name": "Zylker", "Owner": {"name": "Boyle", "id": row["Owner"]["id"]},
                   "Owner.email": "p.boyle@zylker.com", "id": record_id(org, "Contacts", Last_Name="Boyle")}
    assert list(row)[-1] == "id"


def test_given_v2_when_lookups_are_selected_then_only_their_id_comes_back(org):
    _, body = run(org, "select Account_Name, Owner from Contacts where Last_Name = 'Boyle'", "v2")
    assert set(body["data"][0]["Account_Name"]) == {"id"} and set(body["data"][0]["Owner"]) == {"id"}


@pytest.mark.parametrize(("tail", "expected"), [
    ("", ALL),
    ("order by Last_Name desc", list(reversed(ALL))),
    ("order by First_Name asc", ["Chen", "Daly\\", "Evans", "Burns,B (Jr)", "Boyle"]),  # nulls first ascending
    ("order by First_Name desc", ["Boyle", "Burns,B (Jr)", "Evans", "Daly\\", "Chen"]),  # and last descending
    ("order by Modified_Time desc, Last_Name asc", ["Daly\\", "Chen", "Boyle", "Burns,B (Jr)", "Evans"]),
    ("order by Modified_Time asc, Last_Name desc", ["Evans", "Burns,B (Jr)", "Boyle", "Chen", "Daly\\"]),
    ("order by Account_Name.Account_Name desc, Last_Name", ["Burns,B (Jr)", "Boyle", "Daly\\", "Chen", "Evans"]),
    ("limit 2", ALL[:2]),
    ("limit 2 offset 1", ALL[1:3]),
    ("limit 1, 2", ALL[1:3]),  # limit offset, count
    ("order by id desc limit 2", ["Evans", "Daly\\"]),
])
def test_given_order_and_limit_when_queried_then_rows_come_in_that_order(org, tail, expected):
    assert last_names(org, "id is not null", tail) == expected


def test_given_more_rows_than_the_limit_when_queried_then_more_records_says_so(org):
    assert run(org, "select Last_Name from Contacts where id is not null limit 4")[1]["info"] == {
        "count": 4, "more_records": True}
    assert run(org, "select Last_Name from Contacts where id is not null limit 4 offset 1")[1]["info"] == {
        "count": 4, "more_records": False}


def test_given_no_matching_rows_when_queried_then_204_without_body(org):
    assert run(org, "select Last_Name from Contacts where Last_Name = 'Nobody'") == (204, None)
    assert run(org, "select Last_Name from Contacts where id is not null limit 10 offset 5") == (204, None)


def test_given_include_meta_when_queried_then_field_metadata_comes_along(org):
    _, body = run(org, "select Last_Name, Account_Name.Account_Name from Contacts where Last_Name = 'Boyle'",
                  include_meta=["fields"])
    assert body["fields"]["Last_Name"]["data_type"] == "text"
    assert body["fields"]["Account_Name.Account_Name"]["api_name"] == "Account_Name"


@pytest.mark.parametrize(("query", "expected"), [
    ("select COUNT(id) from Contacts where id is not null", [{"COUNT(id)": 5}]),
    ("select COUNT(*) as n from Contacts where Last_Name = 'Nobody'", [{"n": 0}]),
    ("select COUNT(First_Name) as named, MAX(Modified_Time) as latest, MIN(No_of_Employees) as fewest "
     "from Contacts where id is not null",
     [{"named": 4, "latest": "2024-07-01T00:00:00-07:00", "fewest": 3}]),
    ("select Lead_Source, COUNT(id) as n, SUM(Annual_Revenue) as total from Contacts where id is not null "
     "group by Lead_Source order by total desc",
     [{"Lead_Source": "Web", "n": 3, "total": 4510.5}, {"Lead_Source": "Cold Call", "n": 1, "total": 99.0},
      {"Lead_Source": None, "n": 1, "total": None}]),
    ("select Lead_Source, AVG(No_of_Employees) as avg from Contacts where Lead_Source = 'Web' group by Lead_Source",
     [{"Lead_Source": "Web", "avg": pytest.approx(23 / 3)}]),
    ("select Lead_Source from Contacts where id is not null group by Lead_Source",
     [{"Lead_Source": None}, {"Lead_Source": "Cold Call"}, {"Lead_Source": "Web"}]),
])
def test_given_aggregates_when_queried_then_one_row_per_group_without_id(org, query, expected):
    assert run(org, query)[1]["data"] == expected


def test_given_client_keyset_paging_when_walking_a_module_with_ties_then_every_row_comes_once_in_order():
    org = Org()
    contacts = org.modules["Contacts"]
    for i in range(57):  # many rows share a second: the keyset must order ties by id
        contacts.add(Last_Name=f"N{i}", Modified_Time=f"2024-05-0{1 + i % 3}T10:00:00+05:30")
    seen: list[dict[str, Any]] = []
    cursor, last_id = "2024-01-01T00:00:00+00:00", "0"
    while True:
        status, body = run(org, f"select Modified_Time from Contacts where ((Modified_Time > '{cursor}') or "
                                f"((Modified_Time = '{cursor}') and (id > '{last_id}'))) order by Modified_Time asc, id asc "
                                "limit 10")
        if status == 204:
            break
        seen += body["data"]
        cursor, last_id = seen[-1]["Modified_Time"], seen[-1]["id"]
    expected = sorted(contacts.records.values(), key=lambda r: (r["Modified_Time"], int(r["id"])))
    assert [r["id"] for r in seen] == [r["id"] for r in expected]


def _syntax(near: str, column: int, line: int = 1) -> dict[str, Any]:
    return {"code": "SYNTAX_ERROR", "details": {"line": line, "column": column, "near": near},
            "message": "unexpected token", "status": "error"}


def _error(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "details": details, "message": message, "status": "error"}


def _limit(message: str) -> dict[str, Any]:
    return _error("LIMIT_EXCEEDED", message)


def _pairs(n: int) -> str:
    criteria = "id is not null"
    for _ in range(n - 1):
        criteria = f"({criteria} and id is not null)"
    return criteria


SELECT = "select Last_Name from Contacts where "
INVALID_QUERY = "Invalid query formed"


@pytest.mark.parametrize(("query", "version", "expected"), [
    (None, "v8", _error("MANDATORY_NOT_FOUND", "mandatory key not found", api_name="select_query")),
    ("  ", "v8", _error("MANDATORY_NOT_FOUND", "mandatory key not found", api_name="select_query")),
    ("select Last_Name from Contacts", "v8", _error("SYNTAX_ERROR", "missing clause", clause="where")),
    ("select Last_Name from Contacts order by Last_Name", "v8", _error("SYNTAX_ERROR", "missing clause",
                                                                      clause="where")),
    ("update Contacts set Last_Name = 'x'", "v8", _error("SYNTAX_ERROR", "given coql query not supported")),
    ("select Last_Name fro Contacts where id is not null", "v8", _syntax("fro", 18)),
    ("select Last_Name,\nFROM Contacts where id is not null", "v8", _syntax("FROM", 1, line=2)),
    ("select from Contacts where id is not null", "v8", _syntax("from", 8)),
    (SELECT + "Last_Name = 'a' and First_Name = 'b' and Email = 'c'", "v8", _syntax("and", 75)),
    (SELECT + "Last_Name = 'a' or (First_Name = 'b' and Email = 'c') or Email is null", "v8", _syntax("or", 92)),
    (SELECT + "(Last_Name = 'a'", "v8", _syntax("", 54)),
    (SELECT + "Last_Name = 'unterminated", "v8", _syntax("'untermina", 50)),
    (SELECT + "id is not null;", "v8", _syntax(";", 52)),
    (SELECT + "Last_Name = null", "v8", _syntax("null", 50)),
    ("select Foo from Contacts where id is not null", "v8",
     _error("INVALID_QUERY", "column given seems to be invalid", column_name="Foo")),
    (SELECT + "Foo = 'x'", "v8", _error("INVALID_QUERY", "column given seems to be invalid", column_name="Foo")),
    (SELECT + "Account_Name.Nope = 'x'", "v8",
     _error("INVALID_QUERY", "column given seems to be invalid", column_name="Account_Name.Nope")),
    (SELECT + "Last_Name.Foo = 'x'", "v8",
     _error("INVALID_QUERY", "column given seems to be invalid", column_name="Last_Name.Foo")),
    (SELECT + "First_Name > 'a'", "v8", _error("INVALID_QUERY", INVALID_QUERY, reason="invalid operator found",
                                               column_name="First_Name", operator=">")),
    (SELECT + "Email_Opt_Out != true", "v8", _error("INVALID_QUERY", INVALID_QUERY, reason="invalid operator found",
                                                    column_name="Email_Opt_Out", operator="!=")),
    (SELECT + "Account_Name like '%a%'", "v8", _error("INVALID_QUERY", INVALID_QUERY,
                                                      reason="invalid operator found", column_name="Account_Name",
                                                      operator="like")),
    (SELECT + "No_of_Employees not like '%1%'", "v8", _error(
        "INVALID_QUERY", INVALID_QUERY, reason="invalid operator found", column_name="No_of_Employees",
        operator="not like")),
    (SELECT + "Description = 'x'", "v8",
     _error("INVALID_QUERY", "data type not supported", column_name="Description", data_type="textarea")),
    (SELECT + "Linked is null", "v8",
     _error("INVALID_QUERY", "data type not supported", column_name="Linked", data_type="multiselectlookup")),
    (SELECT + "Created_Time > 'yesterday'", "v8", _error(
        "INVALID_QUERY", "value given seems to be invalid for the column", column_name="Created_Time",
        expected_data_type="datetime")),
    (SELECT + "No_of_Employees = 'ten'", "v8", _error(
        "INVALID_QUERY", "value given seems to be invalid for the column", column_name="No_of_Employees",
        expected_data_type="integer")),
    (SELECT + "Account_Name = 'Zylker'", "v8", _error(
        "INVALID_QUERY", "value given seems to be invalid for the column", column_name="Account_Name",
        expected_data_type="lookup")),
    (SELECT + "Last_Name like 'abc'", "v8", _error(
        "INVALID_QUERY", "value given seems to be invalid for the column", column_name="Last_Name",
        expected_data_type="text")),
    (SELECT + "Last_Name not like 'a%'", "v8", _error(
        "INVALID_QUERY", "value given seems to be invalid for the column", column_name="Last_Name",
        expected_data_type="text")),
    (SELECT + "id is not null limit s", "v8", _error("INVALID_QUERY", "limit given seems to be invalid", limit="s")),
    (SELECT + "id is not null limit -1", "v8",
     _error("INVALID_QUERY", "limit given seems to be invalid", limit="-1")),
    (SELECT + "id is not null limit 10 offset x", "v8",
     _error("INVALID_QUERY", "offset given seems to be invalid", offset="x")),
    (SELECT + "id is not null limit 0", "v8", _error("INVALID_DATA", "limit should be greater than 0")),
    (SELECT + "id is not null limit 2001", "v8", _limit("limit exceeds 2000")),
    (SELECT + "id is not null limit 201", "v2", _limit("limit exceeds 200")),
    (SELECT + "id is not null limit 2000 offset 98001", "v8", _limit("offset and limit together exceed 100000")),
    (SELECT + "id is not null limit 9801, 200", "v2", _limit("offset and limit together exceed 10000")),
    ("select " + ", ".join(f"F{i}" for i in range(51)) + " from Contacts where id is not null", "v8",
     _limit("maximum of 50 columns can be selected")),
    (SELECT + _pairs(26), "v8", _limit("maximum of 25 criteria allowed")),
    (SELECT + "No_of_Employees in (" + ", ".join(map(str, range(101))) + ")", "v8",
     _limit("maximum of 100 values allowed in the in operator")),
    (SELECT + "No_of_Employees in (" + ", ".join(map(str, range(51))) + ")", "v2",
     _limit("maximum of 50 values allowed in the in operator")),
    (SELECT + "id is not null order by " + ", ".join(["Last_Name"] * 11), "v8",
     _limit("maximum of 10 order by columns allowed")),
    ("select COUNT(id) from Contacts where id is not null group by A, B, C, D, E", "v8",
     _limit("maximum of 4 group by columns allowed")),
    ("select " + ", ".join(f"COUNT(id) as c{i}" for i in range(6)) + " from Contacts where id is not null", "v8",
     _limit("maximum of 5 aggregate functions allowed")),
    (SELECT + "Account_Name.Parent_Account.Parent_Account.Account_Name = 'x'", "v8",
     _limit("maximum of 2 relations can be joined")),
    ("select Last_Name, Last_Name from Contacts where id is not null", "v8",
     _error("DUPLICATE_DATA", "duplicate select column", column_name="Last_Name")),
    ("select COUNT(id) as n, SUM(Annual_Revenue) as n from Contacts where id is not null", "v8",
     _error("DUPLICATE_ALIAS", "duplicate alias", alias="n")),
    ("select COUNT(id) as from from Contacts where id is not null", "v8",
     _error("INVALID_ALIAS", "invalid alias", alias="from")),
    ("select Last_Name from Nowhere where id is not null", "v8",
     _error("INVALID_MODULE", "the given module is not supported in api")),
    ("select Last_Name from Home where id is not null", "v8",
     _error("INVALID_MODULE", "the given module is not supported in api")),
    ("select Last_Name, COUNT(id) from Contacts where id is not null", "v8", _error(
        "INVALID_QUERY", INVALID_QUERY, reason="column not present in group by", column_name="Last_Name")),
    ("select SUM(Last_Name) from Contacts where id is not null", "v8",
     _error("INVALID_QUERY", "data type not supported", column_name="Last_Name", data_type="text")),
    ("select Linked from Contacts where id is not null", "v8",
     _error("INVALID_QUERY", "data type not supported", column_name="Linked", data_type="multiselectlookup")),
    ("select COUNT(id) as n from Contacts where id is not null order by Last_Name", "v8",
     _error("INVALID_QUERY", "column given seems to be invalid", column_name="Last_Name")),
])
def test_given_a_bad_query_when_posted_then_400_with_the_error_body_of_section_7(org, query, version, expected):
    assert failure(org, query, version) == expected


def test_given_the_boundaries_when_queried_then_they_are_allowed(org):
    assert run(org, SELECT + "id is not null limit 2000 offset 98000")[0] == 204
    assert run(org, SELECT + "id is not null limit 200", "v2")[0] == 200
    assert run(org, SELECT + _pairs(25))[0] == 200
    assert run(org, SELECT + "No_of_Employees in (" + ", ".join(map(str, range(100))) + ")")[0] == 200
