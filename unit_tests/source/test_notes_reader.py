"""The Notes stream (source_zoho_crm/readers/notes.py): no tombstones, no If-Modified-Since, no page_token;
one call for a small increment, a COQL index and `?ids=` past the newest 200 (docs/zoho-api/notes.md)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from source_zoho_crm.streams import utc_text
from unit_tests.source.fakes import FakeClient, datetime_field, module, text_field, zoho_time
from unit_tests.source.test_read import CONFIG, as_input_state, catalog, records, run_read, states

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)


def notes(n: int, *, start: datetime = T0, first_id: int = 1) -> list[dict]:
    return [{"id": str(first_id + i), "Note_Title": f"note {first_id + i}", "Modified_Time": zoho_time(start + i *
             timedelta(seconds=1)), "Parent_Id": {"module": {"api_name": "Deals"}, "id": "77", "name": "Deal"}}
            for i in range(n)]


def org(n: int) -> FakeClient:
    return FakeClient(
        modules_meta=[module("Notes")],
        fields_meta={"Notes": [text_field("Note_Title"), text_field("Parent_Id"), datetime_field("Modified_Time")]},
        records={"Notes": notes(n)},
        deleted={"Notes": [{"id": "999", "deleted_time": zoho_time(T0)}]},  # never asked for
    )


def read(client: FakeClient, state: list[dict] | None = None) -> list[dict]:
    configured = catalog(client, CONFIG, ["Notes"])
    client.calls.clear()
    return run_read(client, CONFIG, configured, state)


def test_given_few_notes_when_syncing_then_one_newest_first_page_is_the_whole_read() -> None:
    client = org(150)

    out = read(client)

    assert sorted(int(r["id"]) for r in records(out, "Notes")) == list(range(1, 151))
    assert dict(client.calls) == {"notes:newest": 1}
    assert states(out, "Notes")[-1] == {"Modified_Time": "2024-05-01T00:02:29Z", "ids_at_cursor": ["150"]}


def test_given_more_notes_than_a_page_when_syncing_then_the_index_lists_them_and_ids_fetch_the_rest() -> None:
    client = org(2500)

    out = read(client)

    ids = [r["id"] for r in records(out, "Notes")]
    assert sorted(ids, key=int) == [str(i) for i in range(1, 2501)] and len(ids) == len(set(ids))
    # 2 index calls of 2,000; the newest 200 are in hand, the other 2,300 come 100 per call
    assert dict(client.calls) == {"notes:newest": 1, "notes:index": 2, "notes:ids": 23}
    assert states(out, "Notes")[-1] == {"Modified_Time": "2024-05-01T00:41:39Z", "ids_at_cursor": ["2500"]}
    assert all(r["parent_module"] == "Deals" for r in records(out, "Notes"))


def test_given_a_state_when_few_notes_changed_then_one_call_reads_them_and_no_deletions_are_asked() -> None:
    client = org(2500)
    first = read(client)
    client.records["Notes"][10]["Modified_Time"] = zoho_time(T0 + timedelta(days=1))
    client.records["Notes"].extend(notes(3, start=T0 + timedelta(days=1), first_id=5000))

    second = read(client, as_input_state(first))

    assert sorted(r["id"] for r in records(second, "Notes")) == ["11", "5000", "5001", "5002"]
    assert dict(client.calls) == {"notes:newest": 1}
    assert "deleted" not in states(second, "Notes")[-1]
    assert not any(r.get("_ab_cdc_deleted_at") for r in records(second, "Notes"))


def test_given_no_change_then_nothing_is_emitted_for_one_call() -> None:
    client = org(2500)
    first = read(client)

    second = read(client, as_input_state(first))

    assert records(second, "Notes") == [] and dict(client.calls) == {"notes:newest": 1}
    assert states(second, "Notes")[-1] == states(first, "Notes")[-1]


def test_given_more_changes_than_a_page_then_the_index_starts_at_the_cursor_and_skips_what_was_read() -> None:
    client = org(300)
    first = read(client)
    client.records["Notes"].extend(notes(450, start=T0 + timedelta(days=1), first_id=1000))

    second = read(client, as_input_state(first))

    assert sorted(int(r["id"]) for r in records(second, "Notes")) == list(range(1000, 1450))
    # the index starts at the old cursor (the boundary note is recognised by id); 200 newest in hand
    assert dict(client.calls) == {"notes:newest": 1, "notes:index": 1, "notes:ids": 3}


def test_given_notes_edited_between_the_index_and_the_fetch_then_none_is_lost() -> None:
    client = org(2500)
    edited: list[str] = []

    def people_at_work(fake: FakeClient) -> None:  # after the first index page: edit a note not yet read
        if not edited:
            row = fake.records["Notes"][2100]
            row["Modified_Time"] = zoho_time(T0 + timedelta(days=2))
            edited.append(row["id"])

    client.between_pages = people_at_work
    out = read(client)
    again = read(client, as_input_state(out))

    emitted = {r["id"]: r for r in records(out, "Notes")}
    assert set(emitted) == {str(i) for i in range(1, 2501)}
    assert emitted[edited[0]]["Modified_Time"] == utc_text(zoho_time(T0 + timedelta(days=2)))
    assert records(again, "Notes") == []


def test_given_a_state_from_the_module_reader_then_its_deletions_cursor_is_dropped_and_not_read() -> None:
    client = org(300)
    legacy = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "Notes"}, "stream_state": {
        "Modified_Time": "2024-05-01T00:04:59Z", "ids_at_cursor": ["300"],
        "deleted": {"deleted_time": "2024-05-01T00:00:00Z", "ids_at_cursor": []}}}}]
    client.records["Notes"].extend(notes(2, start=T0 + timedelta(days=1), first_id=400))

    out = read(client, legacy)

    assert sorted(r["id"] for r in records(out, "Notes")) == ["400", "401"]
    assert dict(client.calls) == {"notes:newest": 1}
    assert states(out, "Notes")[-1] == {"Modified_Time": "2024-05-02T00:00:01Z", "ids_at_cursor": ["401"]}
