"""The org's one job store (zoho_crm_emulator/jobs.py): kinds, lifecycle speed, page tokens, on a frozen clock."""

from __future__ import annotations

import itertools
import threading

import pytest

from zoho_crm_emulator.jobs import PAGE_TOKEN_TTL_S, JobStore, MassConvertJob


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> JobStore:
    ids = itertools.count(1)
    return JobStore(lambda: f"{next(ids):019d}", clock)


def test_given_a_job_when_found_then_only_as_its_own_kind(store):
    job = store.add(MassConvertJob(store.new_id(), 3, 1, 1, 1))
    assert store.find(job.id, MassConvertJob) is job
    assert store.find(job.id, Clock) is None and store.find("0", MassConvertJob) is None


@pytest.mark.parametrize(("seconds", "elapsed", "state"), [
    (1.0, 0.0, "ADDED"), (1.0, 0.49, "ADDED"), (1.0, 0.5, "IN PROGRESS"), (1.0, 1.0, "COMPLETED"),
    (0.0, 0.0, "COMPLETED"), (3600.0, 1800.0, "IN PROGRESS"),
])
def test_given_job_seconds_when_a_read_job_is_polled_then_its_state_follows_them(store, clock, seconds, elapsed,
                                                                                  state):
    store.set_job_seconds(seconds)
    ready = threading.Event()
    ready.set()  # the file is written
    created = clock.now
    clock.now += elapsed
    assert store.read_state(created, ready) == state


@pytest.mark.parametrize("value", [-0.5, "1", True, None])
def test_given_a_bad_speed_when_set_then_value_error(store, value):
    with pytest.raises(ValueError, match="job_seconds must be a number of seconds"):
        store.set_job_seconds(value)


def test_given_a_page_token_when_redeemed_then_it_stands_for_its_query_for_a_day(store, clock):
    token = store.issue_page_token({"module": {"api_name": "Leads"}}, 2)
    issued = store.redeem_page_token(token)
    assert issued is not None and (issued.query, issued.page) == ({"module": {"api_name": "Leads"}}, 2)
    clock.now += PAGE_TOKEN_TTL_S + 1
    assert store.redeem_page_token(token) is None and store.redeem_page_token("nope") is None
