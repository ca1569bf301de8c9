"""`zoho-crm` (zoho_crm_client/cli.py) in process: exit statuses, messages naming what to fix, no secrets."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import requests_mock

from unit_tests.client.builders import API, REFRESH, SECRET, TOKEN_URL, token_ok, zoho_error
from zoho_crm_client.cli import build_parser, main

LEAD_ID = "5725767000000524157"


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"client_id": "1000.CLIENT", "client_secret": SECRET, "refresh_token": REFRESH,
                                "max_retries": 0}))
    return str(path)


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdin=io.StringIO(stdin), stdout=out), out.getvalue()


def test_one_rejected_record_among_good_ones_exits_1_with_a_line_each(config: str) -> None:
    answer = {"data": [{"code": "SUCCESS", "status": "success", "message": "record added", "details": {"id": "1"}},
                       {"code": "INVALID_DATA", "status": "error", "message": "invalid data",
                        "details": {"api_name": "Email"}}]}
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(f"{API}/crm/v8/Leads", status_code=207, json=answer)
        status, out = run(["record", "create", "Leads", "--config", config], '{"Last_Name": "a"}\n{"Email": "x"}\n')
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert [(r["index"], r["status"], r["id"], r["code"]) for r in lines] == [(0, "success", "1", "SUCCESS"),
                                                                             (1, "error", None, "INVALID_DATA")]


def test_zohos_refusal_of_a_module_exits_2_naming_the_argument_with_zohos_code(config: str, capsys) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leadz/{LEAD_ID}", status_code=400,
                 json=zoho_error("INVALID_MODULE", "the module name given seems to be invalid", resource_path_index=0))
        status, _ = run(["record", "get", "Leadz", LEAD_ID, "--config", config])
    err = capsys.readouterr().err
    assert status == 2
    assert "argument MODULE" in err and "INVALID_MODULE" in err and "seems to be invalid" in err


def test_a_refused_refresh_token_exits_2_pointing_at_the_config_and_never_prints_a_secret(config: str,
                                                                                          capsys) -> None:
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json={"error": "invalid_code"})
        status, out = run(["record", "list", "Leads", "--config", config])
    err = capsys.readouterr().err
    assert status == 2 and "--config" in err
    assert SECRET not in err + out and REFRESH not in err + out


def test_a_server_failure_exits_1_with_zohos_code(config: str, capsys) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/Leads/{LEAD_ID}", status_code=500, json=zoho_error("INTERNAL_ERROR", "oops"))
        status, _ = run(["record", "get", "Leads", LEAD_ID, "--config", config])
    assert status == 1 and "INTERNAL_ERROR" in capsys.readouterr().err


def test_a_missing_config_file_exits_2_naming_it(tmp_path: Path, capsys) -> None:
    status, _ = run(["record", "get", "Leads", LEAD_ID, "--config", str(tmp_path / "nope.json")])
    assert status == 2 and "--config" in capsys.readouterr().err


def test_ids_piped_from_a_write_are_read_from_its_result_lines(config: str) -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.delete(f"{API}/crm/v8/Leads", json={"data": [
            {"code": "SUCCESS", "status": "success", "message": "record deleted", "details": {"id": LEAD_ID}}]})
        status, _ = run(["record", "delete", "Leads", "--config", config],
                        json.dumps({"index": 0, "status": "success", "id": LEAD_ID}) + "\n")
    assert status == 0 and LEAD_ID in hit.last_request.url


def test_every_leaf_command_has_an_example_in_its_help() -> None:
    parser = build_parser()
    leaves = []
    for group, sub in parser._subparsers._group_actions[0].choices.items():  # noqa: SLF001 - argparse has no API
        nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]  # noqa: SLF001
        leaves += [(f"{group} {name}", p) for name, p in nested[0].choices.items()] if nested else [(group, sub)]
    assert len(leaves) == 15
    for name, leaf in leaves:
        assert f"zoho-crm {name}" in leaf.epilog, name
