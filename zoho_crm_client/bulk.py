"""Bulk Read jobs (docs/zoho-api.md section 12.1): create, poll, download the zip, stream its CSV rows.

The zip is streamed to a temporary file and its CSV read row by row, so a 200,000-row page never sits in
memory whole. Further pages: a new job with `page_token` when Zoho gives one, else `page + 1`, while
`more_records` is true. The next page's job is created as soon as a job completes, before its rows are read,
so that Zoho builds page n+1 while page n is downloaded and read (R4: 300,000 rows are two jobs).

Polling: first after 2 s, then 1.5 times longer each time up to 30 s. A job is seen at most half its run
time late, for a credit per poll (about twenty for a ten-minute job).
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any

import requests

from zoho_crm_client.errors import InvalidResponseError, ServerError
from zoho_crm_client.limits import BULK_READ_COST
from zoho_crm_client.paths import InvalidIdentifier, expand, module_name, record_id
from zoho_crm_client.transport import Call, Transport

BULK = "/crm/bulk/v8/read"
POLL_FIRST_SECONDS = 2.0
POLL_GROWTH = 1.5
POLL_MAX_SECONDS = 30.0
POLL_TIMEOUT_SECONDS = 6 * 3600.0  # a job that has not finished in 6 h will not
JSON = {"Content-Type": "application/json"}  # section 12.1: required, else 415

DOWNLOAD_TIMEOUT_S = 600.0  # per socket read of a result zip, not the whole download


class BulkReader:
    def __init__(self, transport: Transport, logger: logging.Logger):
        self._transport = transport
        self._log = logger

    def bulk_read(self, module: str, fields: list[str] | None = None, *,
                  criteria: dict[str, Any] | None = None) -> Iterator[dict[str, str]]:
        """Every row of `module` (optionally filtered by a Bulk Read criteria object) as a dict of strings."""
        job: tuple[str, float] | None = (self._create(module, fields, criteria, {"page": 1}), self._transport.clock())
        while job is not None:
            result = self._wait(*job)
            following = None
            if result.get("more_records"):
                token = result.get("next_page_token")
                position = {"page_token": token} if token else {"page": int(result.get("page") or 1) + 1}
                following = (self._create(module, fields, criteria, position), self._transport.clock())
            yield from self._rows(job[0], result)
            job = following

    def _create(self, module: str, fields: list[str] | None, criteria: dict[str, Any] | None,
                position: dict[str, Any]) -> str:
        query: dict[str, Any] = {"module": {"api_name": module_name(module)}, **position}
        if fields:
            query["fields"] = list(dict.fromkeys(fields))
        if criteria:
            query["criteria"] = criteria
        body = self._transport.request(Call("POST", BULK, "POST /crm/bulk/v8/read", json={"query": query},
                                            headers=JSON, cost=BULK_READ_COST, idempotent=False)).body
        try:
            return record_id(body["data"][0]["details"]["id"], "bulk job id")
        except (KeyError, IndexError, TypeError, InvalidIdentifier):
            raise InvalidResponseError(f"Zoho's bulk read answer has no job id: {_short(body)}") from None

    def _wait(self, job_id: str, created_at: float) -> dict[str, Any]:
        """The job's result once COMPLETED. A job just created is never done, so the first poll waits until
        POLL_FIRST_SECONDS after its creation; the next page's job, created while this one's rows were read,
        is usually done by the time it is polled."""
        delay, waited = POLL_FIRST_SECONDS, 0.0
        age = self._transport.clock() - created_at
        if age < delay:
            self._transport.sleep(delay - age)
            waited, delay = delay - age, min(delay * POLL_GROWTH, POLL_MAX_SECONDS)
        while True:
            body = self._transport.request(Call.to("GET", BULK + "/{job_id}", {"job_id": job_id})).body
            job = (body or {}).get("data", [{}])[0] if isinstance(body, dict) else {}
            state = str(job.get("state") or "").upper()
            if state == "COMPLETED":
                return job.get("result") or {}
            if state == "FAILURE":
                error = (job.get("result") or {}).get("error_message")
                raise ServerError(f"bulk read job {job_id} failed: {error}", code="BULK_READ_FAILURE")
            if waited >= POLL_TIMEOUT_SECONDS:
                raise ServerError(f"bulk read job {job_id} still {state} after {waited:.0f} s", code="BULK_TIMEOUT")
            self._log.debug("bulk read job %s is %s; polling again in %.0f s", job_id, state, delay)
            self._transport.sleep(delay)
            waited += delay
            delay = min(delay * POLL_GROWTH, POLL_MAX_SECONDS)

    def _rows(self, job_id: str, result: dict[str, Any]) -> Iterator[dict[str, str]]:
        path = str(result.get("download_url") or expand(BULK + "/{job_id}/result", job_id=job_id))
        with tempfile.TemporaryFile() as spool:
            self._download(job_id, path, spool)
            spool.seek(0)
            yield from _csv_rows(spool, job_id)

    def _download_timeout(self) -> float:
        """A 200,000-row export can take minutes to start flowing (seen on the emulator under load, where
        the 60 s API default gave up seven times); the wait is per read, so a stalled one still ends."""
        return max(self._transport.config.request_timeout_seconds, DOWNLOAD_TIMEOUT_S)

    def _download(self, job_id: str, path: str, spool: IO[bytes]) -> None:
        """Stream the zip into `spool`; a download that breaks off is fetched again (a GET, idempotent)."""
        for attempt in range(self._transport.config.max_retries + 1):
            resp = self._transport.request(Call("GET", path, "GET /crm/bulk/v8/read/{job_id}/result",
                                                stream=True, timeout=self._download_timeout()))
            raw = resp.raw
            assert raw is not None  # a stream=True call keeps the live response
            spool.seek(0)
            spool.truncate()
            try:
                for chunk in raw.iter_content(chunk_size=1 << 20):
                    spool.write(chunk)
                return
            except requests.RequestException as exc:
                self._log.warning("bulk read job %s: the download broke off (%s), attempt %d", job_id,
                                  type(exc).__name__, attempt + 1)
            finally:
                raw.close()
        raise ServerError(f"bulk read job {job_id}: the download broke off on every attempt; the job's result "
                          "stays downloadable for a while, run the sync again", code="BULK_DOWNLOAD_FAILED")


def _csv_rows(spool: Any, job_id: str) -> Iterator[dict[str, str]]:
    try:
        archive = zipfile.ZipFile(spool)
    except zipfile.BadZipFile:
        raise InvalidResponseError(f"bulk read job {job_id}: the download is not a zip file") from None
    with archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        if not names:
            raise InvalidResponseError(f"bulk read job {job_id}: the zip holds no CSV file")
        with archive.open(names[0]) as raw:
            yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def _short(body: Any) -> str:
    return str(body)[:300]
