"""Secrets must never appear in any output or log (design.md, "Rules of the road"; issue 7 item 9)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from integration_tests.chaos.runs import Transcript

# Every access token the emulator issues has this shape (zoho_crm_emulator/auth.py `TokenStore.issue_access`),
# so a leaked one is found even though the emulator does not list the tokens it issued.
ACCESS_TOKEN_SHAPE = re.compile(r"1000\.[0-9a-f]{32}\.[0-9a-f]{32}")


def find_leaks(transcripts: Iterable[Transcript], secrets: Mapping[str, str]) -> list[str]:
    """Where each secret (by name, never by value) appears: `["source-zoho-crm read: access_token in stderr"]`."""
    found = []
    for transcript in transcripts:
        for where, text in (("stdout", transcript.stdout), ("stderr", transcript.stderr)):
            found += [f"{transcript.command}: {name} in {where}" for name, value in secrets.items()
                      if value and value in text]
            if ACCESS_TOKEN_SHAPE.search(text):
                found.append(f"{transcript.command}: an emulator access token in {where}")
    return found
