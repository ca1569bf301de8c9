"""A row's Tag column for the add_tags / remove_tags operations (destination_zoho_crm/tags.py), checked against
the limits Zoho publishes (crm-oas v8.0 tags.json `Tag`: name maxLength 25, color_code enum; docs/zoho-api/tags.md)."""

from __future__ import annotations

import pytest

from destination_zoho_crm.operations import Operation
from destination_zoho_crm.tags import tag_list
from zoho_crm_client.models import WriteResult

ADD, REMOVE = Operation.ADD_TAGS, Operation.REMOVE_TAGS


@pytest.mark.parametrize("value, expected", [
    (["Hot", "VIP", "Hot"], [{"name": "Hot"}, {"name": "VIP"}]),
    ("Hot, VIP ,", [{"name": "Hot"}, {"name": "VIP"}]),
    ('[{"name": "Hot", "id": "5725767000000800000", "color_code": "#F17574"}]', [{"id": "5725767000000800000"}]),
    ([{"name": "Hot", "color_code": "#F17574"}], [{"name": "Hot", "color_code": "#F17574"}]),
])
def test_given_what_a_warehouse_holds_then_the_tags_are_sent_as_zoho_takes_them(value, expected) -> None:
    assert tag_list(value, ADD) == expected


def test_given_a_colour_on_remove_then_only_the_name_is_sent() -> None:
    assert tag_list([{"name": "Hot", "color_code": "#F17574"}], REMOVE) == [{"name": "Hot"}]


@pytest.mark.parametrize("value, code", [
    (None, "MANDATORY_NOT_FOUND"), ([], "MANDATORY_NOT_FOUND"), ("", "MANDATORY_NOT_FOUND"),
    (["x" * 26], "INVALID_DATA"), ([{"name": "Hot", "color_code": "#000000"}], "INVALID_DATA"),
    ([{"id": "12a"}], "INVALID_DATA"), ([{"color_code": "#F17574"}], "INVALID_DATA"), ([7], "INVALID_DATA"),
])
def test_given_a_tag_zoho_would_refuse_then_the_row_is_rejected_naming_the_tag_column(value, code) -> None:
    rejected = tag_list(value, ADD)
    assert isinstance(rejected, WriteResult) and (rejected.code, rejected.field) == (code, "Tag")
