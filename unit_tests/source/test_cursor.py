from __future__ import annotations

from datetime import datetime, timezone

from source_zoho_crm.cursor import Cursor

T0 = datetime(2024, 5, 1, 4, 45, tzinfo=timezone.utc)
T1 = datetime(2024, 5, 1, 4, 46, tzinfo=timezone.utc)


def test_given_a_state_when_rows_at_the_boundary_arrive_then_only_new_ids_are_kept() -> None:
    cursor = Cursor.from_state("Modified_Time", {"Modified_Time": "2024-05-01T04:45:00Z", "ids_at_cursor": ["7"]},
                               start=None)

    kept = [cursor.accept("7", T0), cursor.accept("8", T0)]

    assert kept == [False, True]
    assert cursor.to_state() == {"Modified_Time": "2024-05-01T04:45:00Z", "ids_at_cursor": ["7", "8"]}


def test_given_rows_older_than_the_boundary_when_accepting_then_they_are_dropped() -> None:
    cursor = Cursor.from_state("Modified_Time", {"Modified_Time": "2024-05-01T04:46:00Z"}, start=None)

    assert cursor.accept("1", T0) is False
    assert cursor.accept("2", T1) is True


def test_given_newer_rows_when_accepting_then_the_cursor_advances_and_keeps_only_ids_at_the_max() -> None:
    cursor = Cursor.from_state("Modified_Time", None, start=T0)

    assert [cursor.accept("1", T0), cursor.accept("2", T1), cursor.accept("3", T1)] == [True, True, True]
    assert cursor.to_state() == {"Modified_Time": "2024-05-01T04:46:00Z", "ids_at_cursor": ["2", "3"]}


def test_given_rows_newest_first_when_accepting_then_earlier_boundary_ids_are_still_recognised() -> None:
    cursor = Cursor.from_state("deleted_time", {"deleted_time": "2024-05-01T04:45:00Z", "ids_at_cursor": ["5"]},
                               start=None)

    assert [cursor.accept("9", T1), cursor.accept("5", T0), cursor.accept("6", T0)] == [True, False, True]
    assert cursor.to_state() == {"deleted_time": "2024-05-01T04:46:00Z", "ids_at_cursor": ["9"]}


def test_given_the_same_row_twice_in_one_read_when_accepting_then_the_repeat_is_dropped() -> None:
    cursor = Cursor.from_state("Modified_Time", None, start=None)

    assert [cursor.accept("1", T1), cursor.accept("1", T1)] == [True, False]


def test_given_a_state_with_an_offset_when_loading_then_the_state_is_written_back_in_utc() -> None:
    cursor = Cursor.from_state("Modified_Time", {"Modified_Time": "2024-05-01T10:15:00+05:30"}, start=None)

    assert cursor.to_state() == {"Modified_Time": "2024-05-01T04:45:00Z", "ids_at_cursor": []}


def test_given_no_state_and_no_start_when_nothing_is_read_then_the_state_is_empty() -> None:
    assert Cursor.from_state("Modified_Time", {}, start=None).to_state() == {}


def test_given_a_rebased_cursor_when_rows_come_in_any_order_then_rows_seen_at_the_old_position_are_dropped() -> None:
    cursor = Cursor.from_state("Modified_Time", None, start=None)
    cursor.accept("1", T0)
    cursor.rebase()

    assert [cursor.accept("2", T1), cursor.accept("1", T0), cursor.accept("3", T0)] == [True, False, True]
