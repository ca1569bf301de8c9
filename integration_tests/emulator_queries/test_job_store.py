"""The emulator's jobs over real HTTP: one store for Bulk Read and mass convert, one id allocator, and a
lifecycle whose speed a test sets through the control plane (`POST /__emulator__/limits {"job_seconds"}`,
docs/emulator.md), not an environment variable. Nothing here sleeps: a job is held ADDED by a long
`job_seconds`, or completes at once with 0.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from integration_tests.emulator.api import Api, error_of
from integration_tests.harness import Emulator

LEADS = {"query": {"module": {"api_name": "Leads"}, "fields": ["Last_Name"]}}


@pytest.fixture
def fresh(emulator: Emulator) -> Iterator[Emulator]:
    """The module's emulator, reset after the test: a reset brings a new job store at the default speed."""
    yield emulator
    emulator.reset()


def _create(api: Api) -> str:
    created = api.post("/crm/bulk/v8/read", LEADS)
    assert created.status_code == 201
    return created.json()["data"][0]["details"]["id"]


def test_given_job_seconds_0_when_a_job_is_polled_then_it_is_completed_at_the_first_poll(fresh):
    assert fresh.limits(job_seconds=0)["job_seconds"] == 0
    api = Api(fresh)
    job = api.get(f"/crm/bulk/v8/read/{_create(api)}").json()["data"][0]
    assert job["state"] == "COMPLETED" and job["result"]["count"] == len(fresh.records("Leads")["live"])


def test_given_a_long_job_when_polled_then_it_stays_added_and_has_no_download_yet(fresh):
    fresh.limits(job_seconds=3600)
    api = Api(fresh)
    job_id = _create(api)
    assert api.get(f"/crm/bulk/v8/read/{job_id}").json()["data"][0]["state"] == "ADDED"
    assert error_of(api.get(f"/crm/bulk/v8/read/{job_id}/result")) == (
        400, "RESOURCE_NOT_FOUND", {"resource": job_id})


def test_given_a_reset_then_job_seconds_is_back_to_its_default(fresh):
    fresh.limits(job_seconds=0)
    fresh.reset()
    assert fresh.limits()["job_seconds"] == 1.0


@pytest.mark.parametrize("value", [-1, "fast", True, None])
def test_given_a_bad_job_seconds_when_set_then_400_says_what_to_send(fresh, value):
    with pytest.raises(requests.HTTPError) as caught:
        fresh.limits(job_seconds=value)
    assert caught.value.response.status_code == 400
    assert "job_seconds must be a number of seconds" in caught.value.response.json()["error"]


def test_given_jobs_of_both_kinds_then_ids_come_from_one_allocator_and_each_kind_finds_only_its_own(fresh):
    api = Api(fresh)
    bulk_id = _create(api)
    lead_id = next(r["id"] for r in fresh.records("Leads")["live"] if not r["Converted__s"])
    convert_id = api.post("Leads/actions/mass_convert", {"ids": [lead_id]}).json()["details"]["job_id"]
    assert len(bulk_id) == len(convert_id) == 19 and bulk_id[:7] == convert_id[:7] == lead_id[:7]
    assert int(convert_id) > int(bulk_id)  # one counter: the later job has the later id
    assert error_of(api.get(f"/crm/bulk/v8/read/{convert_id}")) == (
        404, "RESOURCE_NOT_FOUND", {"resource": convert_id})
    assert error_of(api.get("Leads/actions/mass_convert", job_id=bulk_id))[:2] == (400, "INVALID_DATA")
    assert api.get("Leads/actions/mass_convert", job_id=convert_id).json()["data"][0]["Status"] == "completed"
