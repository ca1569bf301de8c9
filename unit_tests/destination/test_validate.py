from __future__ import annotations

from typing import Any

import pytest

from destination_zoho_crm.operations import Operation
from destination_zoho_crm.validate import Validator
from unit_tests.destination.fakes import LEAD_FIELDS

LEADS = Validator("Leads", LEAD_FIELDS)


def problems(payload: dict[str, Any], op: Operation = Operation.CREATE) -> list[tuple[str, str | None]]:
    return [(p.code, p.field) for p in LEADS.check(payload, op)]


def test_given_a_good_lead_when_checked_then_nothing_is_wrong() -> None:
    assert problems({"Last_Name": "Daly", "Email": "p.daly@zylker.com", "No_of_Employees": 42,
                     "Annual_Revenue": 150000.5, "Email_Opt_Out": False, "Date_of_Birth": "1990-04-01",
                     "Last_Activity_Time": "2024-05-01T10:15:00+05:30", "Lead_Status": "Contacted",
                     "Languages_Known": ["English"], "Owner": {"id": "5725767000000411001"}}) == []


@pytest.mark.parametrize("name, value, detail", [
    ("No_of_Employees", "42", {"expected_data_type": "integer"}),
    ("No_of_Employees", True, {"expected_data_type": "integer"}),
    ("Annual_Revenue", "1.5", {"expected_data_type": "double"}),
    ("Email_Opt_Out", "yes", {"expected_data_type": "boolean"}),
    ("Email", "not-an-email", {"expected_data_type": "email"}),
    ("Date_of_Birth", "1990-02-30", {"expected_data_type": "date"}),
    ("Date_of_Birth", "01/04/1990", {"expected_data_type": "date"}),
    ("Last_Activity_Time", "2024-05-01T10:15:00", {"expected_data_type": "datetime"}),
    ("Last_Activity_Time", "2024-05-01", {"expected_data_type": "datetime"}),
    ("Owner", {"name": "no id"}, {"expected_data_type": "jsonobject"}),
    ("Lead_Status", "Unheard", {"supported_values": ["Contacted", "New", "Qualified"]}),
    ("Languages_Known", ["English", "Klingon"], {"supported_values": ["English", "German"]}),
    ("Last_Name", "x" * 81, {"maximum_length": 80}),
])
def test_given_a_malformed_value_when_checked_then_invalid_data_names_the_field(name, value, detail) -> None:
    [problem] = LEADS.check({"Last_Name": "Daly", name: value}, Operation.CREATE)
    assert (problem.code, problem.field) == ("INVALID_DATA", name)
    assert problem.details == {"api_name": name, **detail}


def test_given_an_unknown_field_when_checked_then_it_is_invalid_data() -> None:
    assert problems({"Last_Name": "x", "Shoe_Size": 44}) == [("INVALID_DATA", "Shoe_Size")]


def test_given_read_only_fields_when_checked_then_each_is_refused() -> None:
    assert problems({"Last_Name": "x", "Created_Time": "2024-05-01T10:15:00+05:30", "Full_Name": "x"}) == [
        ("INVALID_DATA", "Created_Time"), ("INVALID_DATA", "Full_Name")]


def test_given_a_missing_mandatory_field_when_created_then_required_field_not_found() -> None:
    [problem] = LEADS.check({"Email": "a@b.co"}, Operation.CREATE)
    assert (problem.code, problem.field, problem.message) == (
        "MANDATORY_NOT_FOUND", "Last_Name", "required field not found")


@pytest.mark.parametrize("op", [Operation.UPDATE, Operation.UPSERT, Operation.CLONE])
def test_given_a_missing_mandatory_field_when_not_created_then_it_is_not_required(op) -> None:
    assert problems({"id": "1", "Email": "a@b.co"}, op) == []


def test_given_null_values_when_checked_then_they_clear_fields_without_type_errors() -> None:
    assert problems({"Last_Name": "x", "No_of_Employees": None, "Lead_Status": None}) == []


def test_given_a_bare_id_or_a_numeric_id_when_checked_then_a_lookup_accepts_it() -> None:
    assert problems({"Last_Name": "x", "Owner": "5725767000000411001"}) == []
    assert problems({"Last_Name": "x", "Owner": {"id": 5725767000000411001}}) == []
