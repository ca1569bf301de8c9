"""Every citation of docs/zoho-api.md resolves: the sections code and docs cite exist in the page a clone has.

A file that names `zoho-api.md` may cite its sections briefly ("section 2.2", "sections 6, 8", "§3.1"); each
number must be a heading of docs/zoho-api.md (or, for section 14, one of its numbered checklist rows). Nothing
may cite the old contract file that lived outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "zoho-api.md"
ROOTS = ("source_zoho_crm", "destination_zoho_crm", "zoho_crm_client", "zoho_crm_emulator", "unit_tests",
         "integration_tests", "benchmarks", "demo", "docs")
CITATION = re.compile(r"(?:\bsections?|§)\s*(\d+(?:\.\d+)*(?:\s*(?:,|and|/|-|–)\s*\d+(?:\.\d+)*)*)")
NUMBER = re.compile(r"\d+(?:\.\d+)*")
OLD_CONTRACT = "zoho-crm-" + "api.md"  # split so this file does not cite it


def _files() -> list[Path]:
    found = [REPO / "README.md"]
    for root in ROOTS:
        found += [p for p in (REPO / root).rglob("*") if p.suffix in (".py", ".md") and p.is_file()]
    return [p for p in found if p != DOC]


def _sections() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", text, re.M)
    rows = re.findall(r"^\| (\d+\.\d+) \|", text, re.M)
    return set(headings) | set(rows)


def cited_sections(text: str) -> set[str]:
    return {n for m in CITATION.finditer(text) for n in NUMBER.findall(m.group(1))}


def test_given_brief_citations_when_parsed_then_every_number_is_found():
    assert cited_sections("see section 2.2, sections 6, 8 and 9.1; §3.1") == {"2.2", "6", "8", "9.1", "3.1"}


def test_the_page_has_the_numbering_the_code_uses():
    assert {"0", "0.0", "0.1", "1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "4", "5", "6", "7", "8", "9.1",
            "9.2", "10", "11.1", "11.2", "11.3", "11.4", "11.5", "12.1", "12.2", "13", "14.3", "14.8",
            "15"} <= _sections()


@pytest.mark.parametrize("path", [p for p in _files() if "zoho-api.md" in p.read_text(encoding="utf-8")],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_given_a_file_citing_zoho_api_when_read_then_each_cited_section_exists(path):
    missing = cited_sections(path.read_text(encoding="utf-8")) - _sections()
    assert not missing, f"{path.relative_to(REPO)} cites sections {sorted(missing)} that docs/zoho-api.md lacks"


def test_nothing_cites_the_old_contract_file():
    offenders = [str(p.relative_to(REPO)) for p in _files() if OLD_CONTRACT in p.read_text(encoding="utf-8")]
    assert offenders == []
