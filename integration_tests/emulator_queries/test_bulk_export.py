"""Bulk Read's file is written when the job completes, as Zoho has it ready at COMPLETED (section 12.1, issue 8).

So a download after the job completed holds the records as they were then, and a slow export shows as a job in
progress rather than a download that seems to stall.
"""

from __future__ import annotations

import csv
import io
import zipfile

from integration_tests.emulator.api import Api
from integration_tests.emulator_queries.test_queries_http import _completed

FIELDS = ["Last_Name", "Description", "Modified_Time"]


def _download(api: Api, job: dict) -> list[dict[str, str]]:
    archive = zipfile.ZipFile(io.BytesIO(api.get(job["result"]["download_url"]).content))
    return list(csv.DictReader(io.StringIO(archive.read(archive.namelist()[0]).decode("utf-8"))))


def test_given_a_completed_job_when_records_change_then_the_download_holds_them_as_at_completion(emulator):
    emulator.reset()
    api = Api(emulator)
    body = {"query": {"module": {"api_name": "Leads"}, "fields": FIELDS}}
    job = _completed(api, api.post("/crm/bulk/v8/read", body).json()["data"][0]["details"]["id"])
    assert job["state"] == "COMPLETED"
    before = {r["id"]: r for r in emulator.records("Leads")["live"]}
    touched = emulator.mutate(module="Leads", update=20)["updated"]

    rows = _download(api, job)

    assert [r["id"] for r in rows] == sorted(before, key=int)
    for row in rows:
        assert row == {"id": row["id"], **{name: before[row["id"]][name] or "" for name in FIELDS}}
    changed = {r["id"]: r for r in emulator.records("Leads")["live"]}
    assert all(changed[i]["Modified_Time"] != before[i]["Modified_Time"] for i in touched)  # the writes did land
    assert _download(api, job) == rows  # and the same file comes again
