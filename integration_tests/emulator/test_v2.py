"""Section 13: the same org under /crm/v2/ with the v2 rules."""

from __future__ import annotations

import pytest

from integration_tests.emulator.api import Api, error_of


@pytest.fixture(scope="module")
def v2(emulator):
    return Api(emulator, "v2")


def test_fields_are_optional_and_info_is_page_only(v2):
    body = v2.get("Leads", per_page=3).json()
    assert set(body["info"]) == {"per_page", "count", "page", "more_records"}
    assert "Company" in body["data"][0] and "Line_Items" not in body["data"][0]


def test_no_2000_record_ceiling_and_no_page_token(emulator_factory):
    emu = emulator_factory(records=2100)
    v2 = Api(emu, "v2")
    body = v2.get("Contacts", page=11, per_page=200).json()
    assert body["info"]["page"] == 11 and body["info"]["count"] > 0
    assert error_of(Api(emu).get("Contacts", fields="Last_Name", page=11))[:2] == (
        400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED")


def test_v2_1_is_served_like_v2(emulator):
    api = Api(emulator, "v2.1")
    assert set(api.get("Leads", per_page=1).json()["info"]) == {"per_page", "count", "page", "more_records"}
    assert emulator.stats()["by_route"]["GET /crm/v2.1/{module}"] >= 1


def test_clone_and_mass_convert_are_v8_only(v2, emulator):
    rid = emulator.records("Contacts")["live"][0]["id"]
    assert error_of(v2.post(f"Contacts/{rid}/actions/clone"))[:2] == (400, "API_NOT_SUPPORTED")
    assert error_of(v2.post("Leads/actions/mass_convert", {"ids": [rid]}))[:2] == (400, "API_NOT_SUPPORTED")
