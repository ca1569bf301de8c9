from __future__ import annotations

from airbyte_cdk.models import AirbyteMessageSerializer

from source_zoho_crm.state import parse_state, state_message

LEADS = {"Modified_Time": "2024-05-01T04:45:00Z", "ids_at_cursor": ["1"]}


def test_given_per_stream_messages_when_parsing_then_each_stream_gets_its_blob() -> None:
    raw = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "Leads"}, "stream_state": LEADS}}]

    assert parse_state(raw) == {"Leads": LEADS}


def test_given_a_global_message_when_parsing_then_its_stream_states_are_used() -> None:
    raw = [{"type": "GLOBAL", "global": {"shared_state": {}, "stream_states": [
        {"stream_descriptor": {"name": "Leads"}, "stream_state": LEADS}]}}]

    assert parse_state(raw) == {"Leads": LEADS}


def test_given_a_legacy_object_when_parsing_then_it_is_read_per_stream() -> None:
    assert parse_state({"Leads": {"Modified_Time": "2024-05-01T10:15:00+05:30"}}) == {
        "Leads": {"Modified_Time": "2024-05-01T10:15:00+05:30"}}
    assert parse_state([{"type": "LEGACY", "data": {"Leads": LEADS}}]) == {"Leads": LEADS}


def test_given_nothing_or_garbage_when_parsing_then_the_state_is_empty() -> None:
    assert parse_state(None) == {}
    assert parse_state(["nonsense", 3]) == {}


def test_given_a_blob_when_building_a_message_then_it_is_a_per_stream_state() -> None:
    dumped = AirbyteMessageSerializer.dump(state_message("Leads", LEADS))

    assert dumped["state"]["type"] == "STREAM"
    assert dumped["state"]["stream"] == {"stream_descriptor": {"name": "Leads"}, "stream_state": LEADS}
