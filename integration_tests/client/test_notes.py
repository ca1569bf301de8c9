"""The client's Notes reading against an emulator with 2,100 notes (docs/zoho-api/notes.md), and the old path
(Notes paged as if they were Get Records) failing loudly instead of passing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from integration_tests.harness import Emulator
from zoho_crm_client import ZohoClient
from zoho_crm_client.dates import parse_datetime
from zoho_crm_client.errors import InvalidResponseError

FIELDS = ["Note_Title", "Parent_Id", "Modified_Time"]


@pytest.fixture(scope="module")
def notes_org() -> Iterator[Emulator]:
    emu = Emulator(records=10)
    emu.reset(module_records={"Notes": 2100})
    yield emu
    emu.stop()


def test_the_newest_page_the_index_and_the_ids_read_every_note(notes_org: Emulator,
                                                                client_for: Callable[..., Any]) -> None:
    zoho: ZohoClient = client_for(notes_org)
    truth = {n["id"]: n for n in notes_org.records("Notes")["live"]}

    newest = zoho.newest_notes(FIELDS)
    index = [r for page in zoho.iter_note_changes(None) for r in page.records]
    rows, calls = zoho.notes_by_ids(FIELDS, [r["id"] for r in index])

    assert newest is not None and newest.more and len(newest.records) == 200
    moments = [parse_datetime(r["Modified_Time"]) for r in index]
    assert len(index) == len(truth) and {r["id"] for r in index} == set(truth) and moments == sorted(moments)
    assert set(rows) == set(truth) and calls == -(-len(truth) // 100)
    assert all(rows[i]["Parent_Id"] == truth[i]["Parent_Id"] for i in truth)


def test_paging_notes_like_get_records_stops_at_2000_instead_of_passing(notes_org: Emulator,
                                                                      client_for: Callable[..., Any]) -> None:
    zoho: ZohoClient = client_for(notes_org)

    with pytest.raises(InvalidResponseError, match="next_page_token"):
        for _page in zoho.iter_records("Notes", FIELDS):
            pass
