"""Secrets must never appear in any output or log (design.md, "Rules of the road"; issue 7 item 9)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from integration_tests.chaos.runs import Transcript


def find_leaks(transcripts: Iterable[Transcript], secrets: Mapping[str, str]) -> list[str]:
    """Where each secret (by name, never by value) appears: `["source-zoho-crm read: access_token in stderr"]`."""
    found = []
    for transcript in transcripts:
        for name, value in secrets.items():
            for where, text in (("stdout", transcript.stdout), ("stderr", transcript.stderr)):
                if value and value in text:
                    found.append(f"{transcript.command}: {name} in {where}")
    return found
