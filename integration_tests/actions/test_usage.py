"""Exit status 2 names what to fix; every command's --help lists its options with an example (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integration_tests.actions.cli import lines, zoho_crm
from integration_tests.harness import Emulator
from zoho_crm_emulator import credentials

COMMANDS = [["record", name] for name in ("get", "list", "search", "deleted", "create", "update", "upsert", "delete",
                                          "clone")] + [["lead", "convert"], ["note", "get"], ["note", "list"],
                                                       ["note", "create"], ["note", "delete"], ["coql"]]


def test_given_no_config_when_any_command_then_exit_2_naming_the_config_argument() -> None:
    run = zoho_crm(None, "record", "get", "Leads", "5725767000000524157")

    assert run.returncode == 2
    assert "--config" in run.stderr and "required" in run.stderr


def test_given_an_unknown_module_when_record_list_then_exit_2_naming_the_module(config: Path) -> None:
    run = zoho_crm(config, "record", "list", "Leadz")

    assert run.returncode == 2
    assert "argument MODULE" in run.stderr and "INVALID_MODULE" in run.stderr


def test_given_a_module_name_that_is_not_an_api_name_when_record_get_then_exit_2_before_any_call(
        emulator: Emulator, config: Path) -> None:
    before = emulator.stats()["requests"]

    run = zoho_crm(config, "record", "get", "Leads/../org", "5725767000000524157")
    bad_id = zoho_crm(config, "record", "get", "Leads", "12?fields=x")

    assert run.returncode == 2 and "argument MODULE" in run.stderr
    assert bad_id.returncode == 2 and "argument ID" in bad_id.stderr and "not a Zoho record id" in bad_id.stderr
    assert emulator.stats()["requests"] == before  # nothing reached Zoho, not even the token endpoint


@pytest.mark.parametrize("criteria", ["(Email:equals:a@b.com", "Email:equals:a@b.com", "((Email:equals:a)b)"])
def test_given_malformed_criteria_when_record_search_then_exit_2_naming_the_criteria(
        config: Path, criteria: str) -> None:
    run = zoho_crm(config, "record", "search", "Leads", "--criteria", criteria)

    assert run.returncode == 2
    assert "argument --criteria" in run.stderr


def test_given_criteria_on_a_field_zoho_does_not_know_when_record_search_then_exit_2_with_zohos_code(
        config: Path) -> None:
    run = zoho_crm(config, "record", "search", "Leads", "--criteria", "(No_Such_Field:equals:x)")

    assert run.returncode == 2
    assert "argument --criteria" in run.stderr and "INVALID_QUERY" in run.stderr


def test_given_a_config_missing_a_key_when_any_command_then_exit_2_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"client_id": "x", "refresh_token": "y"}))

    run = zoho_crm(path, "record", "get", "Leads", "5725767000000524157")

    assert run.returncode == 2 and "client_secret" in run.stderr


def test_given_a_wrong_refresh_token_when_any_command_then_exit_2_and_no_secret_is_printed(
        emulator: Emulator, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(emulator.config(refresh_token="1000.not-the-right-refresh-token")))

    run = zoho_crm(path, "record", "list", "Leads", "--limit", "1")

    assert run.returncode == 2
    assert "--config" in run.stderr
    for secret in ("1000.not-the-right-refresh-token", credentials.CLIENT_SECRET):
        assert secret not in run.stderr + run.stdout


def test_given_a_sort_field_zoho_does_not_sort_on_when_record_list_then_exit_2_with_zohos_refusal(
        config: Path) -> None:
    run = zoho_crm(config, "record", "list", "Leads", "--sort-by", "Last_Name")

    assert run.returncode == 2 and "argument --sort-by: Zoho refused it: INVALID_DATA" in run.stderr


def test_given_a_line_that_is_not_json_when_record_create_then_exit_2_and_nothing_is_sent(
        emulator: Emulator, config: Path) -> None:
    count = len(emulator.records("Leads")["live"])

    run = zoho_crm(config, "record", "create", "Leads", stdin='{"Last_Name": "ok"}\nnot json\n')

    assert run.returncode == 2 and "line 2" in run.stderr and lines(run) == []
    assert len(emulator.records("Leads")["live"]) == count


def test_given_help_when_zoho_crm_then_every_group_and_an_example_are_listed() -> None:
    run = zoho_crm(None, "--help")

    assert run.returncode == 0
    assert all(group in run.stdout for group in ("record", "lead", "note", "coql"))
    assert "example:" in run.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_given_help_when_a_subcommand_then_its_options_and_an_example_are_listed(command: list[str]) -> None:
    run = zoho_crm(None, *command, "--help")

    assert run.returncode == 0
    assert "--config" in run.stdout and "example:" in run.stdout
    assert f"zoho-crm {' '.join(command)}" in run.stdout.split("example:")[1]
