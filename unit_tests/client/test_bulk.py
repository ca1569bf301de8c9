from __future__ import annotations

import io
import zipfile

import pytest
import requests
import requests_mock
import urllib3

from unit_tests.client.builders import API, FakeTime, client, token_ok
from zoho_crm_client import InvalidResponseError, ServerError
from zoho_crm_client.bulk import DOWNLOAD_TIMEOUT_S

BULK = f"{API}/crm/bulk/v8/read"


def zipped_csv(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("123.csv", text)
    return buffer.getvalue()


def job(state: str, **result: object) -> dict:
    return {"data": [{"id": "123", "state": state, "result": result or None}]}


def created(job_id: str = "123") -> dict:
    return {"data": [{"status": "success", "code": "ADDED_SUCCESSFULLY", "details": {"id": job_id}}]}


def test_create_poll_download_and_stream_rows() -> None:
    time = FakeTime()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        create = mock.post(BULK, status_code=201, json=created())
        mock.get(f"{BULK}/123", [{"json": job("ADDED")}, {"json": job("IN PROGRESS")},
                                 {"json": job("COMPLETED", page=1, more_records=False,
                                              download_url="/crm/bulk/v8/read/123/result")}])
        mock.get(f"{BULK}/123/result", content=zipped_csv("id,Last_Name\n1,Daly\n2,\"Boyle, P\"\n"),
                 headers={"Content-Type": "application/zip"})
        rows = list(client(time=time).bulk_read("Leads", ["Last_Name"]))
    assert rows == [{"id": "1", "Last_Name": "Daly"}, {"id": "2", "Last_Name": "Boyle, P"}]
    assert create.last_request.headers["Content-Type"] == "application/json"
    assert create.last_request.json() == {"query": {"module": {"api_name": "Leads"}, "page": 1,
                                                    "fields": ["Last_Name"]}}
    assert time.slept == [2.0, 3.0, 4.5]  # no poll before 2 s: a job just created is never done


def test_the_download_waits_longer_than_an_api_call() -> None:
    seen: dict[str, object] = {}

    class Recording(requests.Session):
        def request(self, method, url, *args, **kwargs):  # type: ignore[override]
            seen[url.rsplit("/", 1)[-1]] = kwargs.get("timeout")
            return super().request(method, url, *args, **kwargs)

    with requests_mock.Mocker(session=None) as mock:
        token_ok(mock)
        mock.post(BULK, status_code=201, json=created())
        mock.get(f"{BULK}/123", json=job("COMPLETED", page=1, more_records=False))
        mock.get(f"{BULK}/123/result", content=zipped_csv("id\n1\n"))
        assert [r["id"] for r in client(session=Recording()).bulk_read("Leads")] == ["1"]
    assert seen["read"] == seen["123"] == 60.0
    assert seen["result"] == DOWNLOAD_TIMEOUT_S > 60.0


def test_more_records_starts_the_next_job_with_the_page_token() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        create = mock.post(BULK, [{"status_code": 201, "json": created("1")},
                                  {"status_code": 201, "json": created("2")}])
        mock.get(f"{BULK}/1", json=job("COMPLETED", page=1, more_records=True, next_page_token="next"))
        mock.get(f"{BULK}/2", json=job("COMPLETED", page=2, more_records=False))
        mock.get(f"{BULK}/1/result", content=zipped_csv("id\n1\n"))
        mock.get(f"{BULK}/2/result", content=zipped_csv("id\n2\n"))
        rows = client().bulk_read("Leads")
        assert next(rows)["id"] == "1"
        # the next page's job was created when the first completed, before its rows were read
        assert create.call_count == 2
        assert [r["id"] for r in rows] == ["2"]
    assert create.request_history[1].json()["query"]["page_token"] == "next"


def test_a_failed_job_is_a_typed_error() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(BULK, status_code=201, json=created())
        mock.get(f"{BULK}/123", json={"data": [{"id": "123", "state": "FAILURE",
                                                "result": {"error_message": {"code": "INVALID_CRITERIA"}}}]})
        with pytest.raises(ServerError, match="INVALID_CRITERIA"):
            list(client().bulk_read("Leads"))


def test_a_download_that_is_not_a_zip_is_a_typed_error() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(BULK, status_code=201, json=created())
        mock.get(f"{BULK}/123", json=job("COMPLETED", more_records=False))
        mock.get(f"{BULK}/123/result", text="<html>oops</html>")
        with pytest.raises(InvalidResponseError, match="not a zip"):
            list(client().bulk_read("Leads"))


def test_a_download_that_breaks_off_is_fetched_again() -> None:

    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.post(BULK, status_code=201, json=created())
        mock.get(f"{BULK}/123", json=job("COMPLETED", more_records=False))
        download = mock.get(f"{BULK}/123/result", [
            {"body": _Broken(b"PK\x03\x04partial")}, {"content": zipped_csv("id\n1\n2\n")}])
        rows = list(client().bulk_read("Leads"))
    assert [r["id"] for r in rows] == ["1", "2"] and download.call_count == 2


class _Broken(io.BytesIO):
    """A body that yields some bytes, then fails like a connection lost mid-download."""

    def read(self, *args: object, **kwargs: object) -> bytes:
        data = super().read(*args, **kwargs)
        if not data:
            raise urllib3.exceptions.ProtocolError("Connection broken: IncompleteRead")
        return data
