"""The demo's offline settings and the messages it feeds the destination (the run itself is `make demo`)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from airbyte_cdk.models import AirbyteMessageSerializer, Type

from demo import quiet, report, settings, writeback

LEADS = [
    {"id": "1", "Email": "a@x.example", "Last_Name": "A", "Converted__s": False},
    {"id": "2", "Email": None, "Last_Name": "B", "Converted__s": False},
    {"id": "3", "Email": "c@x.example", "Last_Name": "C", "Converted__s": True},
    {"id": "4", "Email": "d@x.example", "Last_Name": "D", "Converted__s": False},
]


def test_every_offline_variable_the_demo_sets_is_read_by_the_installed_pyairbyte() -> None:
    # A renamed variable would silently send the demo to the registry or leave telemetry on.
    package = Path(importlib.util.find_spec("airbyte").origin).parent  # found, not imported: it is slow
    sources = "\n".join(p.read_text() for p in package.rglob("*.py"))

    for name in settings.offline_environment():
        assert f'"{name}"' in sources or f"'{name}'" in sources, name


def test_the_demo_keeps_every_pyairbyte_file_under_its_own_folder() -> None:
    env = settings.offline_environment()

    for key in ("AIRBYTE_PROJECT_DIR", "AIRBYTE_CACHE_ROOT", "AIRBYTE_LOGGING_ROOT"):
        assert Path(env[key]).is_relative_to(settings.DEMO_DIR)


def test_given_live_leads_then_the_plan_updates_and_converts_distinct_unconverted_leads_with_an_email() -> None:
    plan = writeback.plan(LEADS)

    assert plan.updated["Email"] == "a@x.example"
    assert plan.converted_id == "4"
    assert plan.created["Email"] == writeback.NEW_LEAD_EMAIL


def test_the_pushed_table_is_valid_airbyte_messages_ending_with_a_state() -> None:
    records = writeback.plan(LEADS).records()
    lines = writeback.messages(records).splitlines()
    parsed = [AirbyteMessageSerializer.load(json.loads(line)) for line in lines]

    assert [m.type for m in parsed] == [Type.RECORD] * len(records) + [Type.STATE]
    assert parsed[2].record.data["_zoho_operation"] == "convert"
    assert writeback.catalog()["streams"][0]["stream"]["name"] == writeback.STREAM


def test_a_table_pads_columns_and_right_aligns_numbers(capsys) -> None:
    report.table(["stream", "rows"], [["Leads", 200], ["won_deals", 7]])

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "stream     rows"
    assert lines[2] == "Leads       200"
    assert lines[3] == "won_deals     7"


def test_pyairbyte_type_notes_are_dropped_even_when_wrapped_and_other_output_is_kept(capsys) -> None:
    with quiet.without_type_notes():
        print("Could not determine airbyte type from JSON schema: {'type': ['null', 'number', \n'string']}")
        print("Completed `source-zoho-crm -> DuckDBCache` sync.")

    assert capsys.readouterr().out == "Completed `source-zoho-crm -> DuckDBCache` sync.\n"
