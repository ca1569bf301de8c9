"""The cursor's limits (issue 12): at most a page of ids in the state whatever the tie, and no future cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from source_zoho_crm.config import SourceConfig, SourceConfigError
from source_zoho_crm.cursor import MAX_IDS_IN_STATE, Cursor

T = datetime(2024, 5, 1, 10, tzinfo=UTC)


def test_given_10000_rows_in_one_second_then_every_state_keeps_at_most_a_page_of_ids() -> None:
    cursor = Cursor.from_state("Modified_Time", None, None)
    sizes = []
    for n in range(10_000):
        assert cursor.accept(str(n), T)
        if n % 200 == 199:  # a STATE after every page
            sizes.append(len(cursor.to_state()["ids_at_cursor"]))
    assert max(sizes) == MAX_IDS_IN_STATE == 200
    assert cursor.to_state()["ids_at_cursor"] == sorted(str(n) for n in range(9_800, 10_000))  # the latest
    assert not cursor.accept("5", T), "within the run every id of the tie is still known"


def test_given_a_capped_state_when_resumed_then_the_rows_without_an_id_are_read_again_never_lost() -> None:
    first = Cursor.from_state("Modified_Time", None, None)
    for n in range(500):
        first.accept(str(n), T)
    resumed = Cursor.from_state("Modified_Time", first.to_state(), None)
    again = [n for n in range(500) if resumed.accept(str(n), T)]
    assert again == list(range(300))  # repeats, not losses
    assert resumed.accept("new", T + timedelta(seconds=1))
    assert resumed.to_state() == {"Modified_Time": "2024-05-01T10:00:01Z", "ids_at_cursor": ["new"]}


def test_given_a_saved_cursor_in_the_future_then_it_is_refused_with_what_to_do() -> None:
    with pytest.raises(SourceConfigError, match="2999-01-01T00:00:00Z, which is in the future.*Reset"):
        Cursor.from_state("Modified_Time", {"Modified_Time": "2999-01-01T00:00:00Z"}, None)


def test_given_a_saved_cursor_a_few_minutes_ahead_then_it_is_taken_as_clock_skew() -> None:
    ahead = (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert Cursor.from_state("Modified_Time", {"Modified_Time": ahead}, None).floor is not None


@pytest.mark.parametrize("start", ["2999-01-01", "2999-01-01T00:00:00+05:30"])
def test_given_a_start_datetime_in_the_future_then_the_config_is_refused_naming_the_key(start: str) -> None:
    with pytest.raises(SourceConfigError, match="^start_datetime: .* is in the future"):
        SourceConfig.from_mapping({"start_datetime": start})
