"""Where the conformance suite finds Zoho's OpenAPI files, and what happens when they are missing.

The files are not vendored (github.com/zoho/crm-oas has no licence file), so a fresh clone must learn how to
get them from the skip message, and CI (CI=true, shared/ laid beside the clone) must fail rather than skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from integration_tests.emulator import oas


def test_given_no_setting_when_located_then_the_folder_beside_the_checkout_is_used():
    assert oas.oas_dir({}) == oas.REPO.parent / "shared" / "zoho-oas-v8"
    assert oas.oas_dir({"ZOHO_OAS_DIR": "  "}) == oas.DEFAULT_DIR


def test_given_zoho_oas_dir_when_located_then_it_wins(tmp_path):
    assert oas.oas_dir({"ZOHO_OAS_DIR": str(tmp_path)}) == tmp_path


def test_given_missing_files_when_explained_then_the_message_names_the_repo_the_folder_and_the_variable(tmp_path):
    message = oas.missing_reason(tmp_path / "nowhere")
    assert "https://github.com/zoho/crm-oas" in message
    assert "v8.0" in message and "ZOHO_OAS_DIR" in message and str(tmp_path / "nowhere") in message


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("True", True), ("1", True), ("", False),
                                                 ("false", False)])
def test_given_the_ci_variable_when_read_then_only_true_values_count(value, expected):
    assert oas.on_ci({"CI": value}) is expected


def test_given_missing_files_off_ci_when_required_then_the_test_skips_with_instructions(monkeypatch, tmp_path):
    monkeypatch.setattr(oas, "OAS_DIR", tmp_path)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="git clone https://github.com/zoho/crm-oas"):
        oas.require()


def test_given_missing_files_on_ci_when_required_then_the_test_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(oas, "OAS_DIR", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        oas.require()


def test_given_the_files_when_required_then_nothing_happens(monkeypatch, tmp_path):
    (tmp_path / "record.json").write_text("{}")
    monkeypatch.setattr(oas, "OAS_DIR", Path(tmp_path))
    monkeypatch.setenv("CI", "true")
    oas.require()
