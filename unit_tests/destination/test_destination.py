from __future__ import annotations

import io
import json

import pytest
from airbyte_cdk.models import Status, Type

from destination_zoho_crm import destination as module
from destination_zoho_crm.destination import DestinationZohoCrm
from destination_zoho_crm.inputs import InputError
from destination_zoho_crm.spec import config_problem
from unit_tests.destination.fakes import FakeClient

GOOD = {"client_id": "1000.ID", "client_secret": "s3cr3t-value", "refresh_token": "1000.r3fr3sh-value"}


@pytest.mark.parametrize("change, message", [
    ({"dc_region": "Atlantis"}, "dc_region: 'Atlantis' is not one of"),
    ({"client_secret": 12345}, "client_secret: must be a non-empty string"),
    ({"refresh_token": None}, "'refresh_token' is a required property"),
    ({"streams": [{"name": "a", "operation": "merge"}]}, "streams.0.operation: 'merge' is not one of"),
    ({"max_parallel_batches": 50}, "max_parallel_batches: 50 is greater than the maximum of 10"),
])
def test_given_a_config_off_spec_when_checked_then_the_message_names_the_key(change, message) -> None:
    config = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problem = config_problem(config)
    assert problem is not None and message in problem
    assert "12345" not in problem  # a secret's value is never quoted


def test_given_a_good_config_when_checked_against_the_spec_then_no_problem() -> None:
    assert config_problem({**GOOD, "trigger": ["workflow"], "on_rejected": "report"}) is None


def test_given_stdin_with_other_json_when_parsed_then_only_airbyte_messages_come_through() -> None:
    record = {"type": "RECORD", "record": {"stream": "Leads", "data": {"Last_Name": "x"}, "emitted_at": 1}}
    stdin = io.StringIO(f'\n{{"hello": 1}}\n{json.dumps(record)}\n')
    parsed = list(DestinationZohoCrm()._parse_input_stream(stdin))
    assert [(m.type, m.record.data) for m in parsed] == [(Type.RECORD, {"Last_Name": "x"})]


@pytest.mark.parametrize("line", ["not json", '{"type": "RECORD"}', '{"type": "STATE", "state": 5}'])
def test_given_a_broken_record_or_state_line_when_parsed_then_the_write_stops_naming_the_line(line: str) -> None:
    record = {"type": "RECORD", "record": {"stream": "Leads", "data": {"Last_Name": "x"}, "emitted_at": 1}}
    stdin = io.StringIO(f"{json.dumps(record)}\n{line}\n{json.dumps(record)}\n")
    parsed = DestinationZohoCrm()._parse_input_stream(stdin)
    assert next(parsed).type == Type.RECORD
    with pytest.raises(InputError, match="input line 2"):
        next(parsed)


def test_given_a_client_when_discovered_then_the_message_is_a_destination_catalog(monkeypatch) -> None:
    monkeypatch.setattr(module, "make_client", lambda config, **settings: FakeClient())
    message = DestinationZohoCrm().discover(GOOD)
    assert message["type"] == "DESTINATION_CATALOG"
    assert {op["object_name"] for op in message["destination_catalog"]["operations"]} >= {"Leads", "Notes"}


def test_given_a_config_error_when_checked_then_failed_with_the_message(monkeypatch) -> None:
    monkeypatch.setattr(module, "make_client", lambda config, **settings: FakeClient())
    status = DestinationZohoCrm().check(None, {**GOOD, "streams": [{"name": "x", "module": "Nope"}]})
    assert status.status == Status.FAILED and "'Nope' is not available" in status.message


def test_given_no_edition_when_the_client_is_made_then_its_cap_is_the_parallel_batches_and_no_org_call() -> None:
    assert module.make_client(GOOD).config.max_concurrent_requests == 10
    assert module.make_client(GOOD, parallel_batches=4).config.max_concurrent_requests == 4
    assert module.make_client({**GOOD, "edition": "free"}).config.max_concurrent_requests is None
