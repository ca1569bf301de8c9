from __future__ import annotations

from airbyte_cdk.models import AirbyteStateMessage

from destination_zoho_crm.watermark import Watermark
from unit_tests.destination.fakes import state


def marker(n: int) -> AirbyteStateMessage:
    return state("Leads", n).state


def released(watermark: Watermark) -> list[int]:
    return [s.stream.stream_state.n for s in watermark.release()]


def test_given_records_before_a_state_when_they_are_still_open_then_the_state_is_held() -> None:
    watermark = Watermark()
    first, second = watermark.open(), watermark.open()
    watermark.hold(marker(2))
    watermark.settle(first)
    assert released(watermark) == []
    watermark.settle(second)
    assert released(watermark) == [2]
    assert released(watermark) == []


def test_given_a_later_record_settles_first_when_released_then_no_state_overtakes_the_earlier_record() -> None:
    watermark = Watermark()
    early = watermark.open()
    watermark.hold(marker(1))
    late = watermark.open()
    watermark.hold(marker(2))
    watermark.settle(late)
    assert released(watermark) == []
    watermark.settle(early)
    assert released(watermark) == [1, 2]


def test_given_a_record_that_never_settles_when_released_then_every_later_state_stays_held() -> None:
    watermark = Watermark()
    watermark.settle(watermark.open())
    watermark.hold(marker(1))
    watermark.open()  # its batch failed: never settled
    watermark.hold(marker(2))
    watermark.settle(watermark.open())
    watermark.hold(marker(3))
    assert released(watermark) == [1]
    assert released(watermark) == []


def test_given_states_with_no_record_before_them_when_released_then_they_leave_at_once_in_order() -> None:
    watermark = Watermark()
    watermark.hold(marker(0))
    watermark.hold(marker(0))
    assert len(watermark.release()) == 2


def test_given_a_held_state_when_enough_records_came_after_it_then_its_checkpoint_is_overdue() -> None:
    watermark = Watermark()
    watermark.open()
    watermark.hold(marker(1))
    for _ in range(2):
        watermark.open()
    assert watermark.overdue(3) is None
    watermark.open()
    assert watermark.overdue(3) == 0


def test_given_no_held_state_when_asked_then_nothing_is_overdue() -> None:
    watermark = Watermark()
    for _ in range(5):
        watermark.open()
    assert watermark.overdue(1) is None
