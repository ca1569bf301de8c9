"""A windowed read's state (docs/source-state.md "Windows side by side"): ranges_done round-trips, and a
malformed one is ignored (the read repeats those rows, never loses one)."""

from __future__ import annotations

from datetime import datetime, timezone

from source_zoho_crm.cursor import MAX_IDS_IN_STATE, Cursor
from zoho_crm_client.models import Position, Segment

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)
T1 = datetime(2024, 6, 1, 0, 0, tzinfo=timezone.utc)
T2 = datetime(2024, 7, 15, 9, 30, tzinfo=timezone.utc)
STATE = {"Modified_Time": "2024-05-01T10:00:00Z", "ids_at_cursor": ["7"],
         "ranges_done": [{"from": "2024-06-01T00:00:00Z", "Modified_Time": "2024-07-15T09:30:00Z",
                          "ids_at_cursor": ["9"]}]}


def test_given_ranges_done_when_loaded_then_they_are_segments_and_are_written_back_unchanged() -> None:
    cursor = Cursor.from_state("Modified_Time", STATE, None)
    assert cursor.position() == Position(T0, ("7",))
    assert cursor.segments == (Segment(T1, Position(T2, ("9",))),)
    assert cursor.to_state() == STATE


def test_given_a_state_without_ranges_then_none_are_written() -> None:
    cursor = Cursor.from_state("Modified_Time", {"Modified_Time": "2024-05-01T10:00:00Z", "ids_at_cursor": []}, None)
    assert cursor.segments == () and "ranges_done" not in cursor.to_state()


def test_given_a_range_below_the_cursor_or_unordered_then_every_range_is_ignored() -> None:
    below = {**STATE, "ranges_done": [{"from": "2024-04-01T00:00:00Z", "Modified_Time": "2024-04-02T00:00:00Z"}]}
    garbage = {**STATE, "ranges_done": [{"from": "yesterday"}]}
    assert Cursor.from_state("Modified_Time", below, None).segments == ()
    assert Cursor.from_state("Modified_Time", garbage, None).segments == ()


def test_when_following_a_windowed_page_then_the_state_keeps_the_latest_ids_of_each_range() -> None:
    cursor = Cursor.from_state("Modified_Time", {}, None)
    ids = tuple(str(n) for n in range(500))
    cursor.take(Position(T0, ("1",)), (Segment(T1, Position(T2, ids)),))
    [saved] = cursor.to_state()["ranges_done"]
    assert saved["ids_at_cursor"] == sorted(ids[-MAX_IDS_IN_STATE:])
