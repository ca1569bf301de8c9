"""A tiny authenticated HTTP helper for the conformance tests (raw requests, no connector client)."""

from __future__ import annotations

from typing import Any

import requests

from integration_tests.harness import Emulator
from zoho_crm_emulator import credentials

REFRESH_FORM = {"grant_type": "refresh_token", "client_id": credentials.CLIENT_ID,
                "client_secret": credentials.CLIENT_SECRET, "refresh_token": credentials.REFRESH_TOKEN}


def access_token(url: str) -> str:
    body = requests.post(f"{url}/oauth/v2/token", data=REFRESH_FORM, timeout=30).json()
    return body["access_token"]


class Api:
    """Calls `{emulator}/crm/{version}/...` with a fresh access token."""

    def __init__(self, emulator: Emulator, version: str = "v8"):
        self.url = emulator.url
        self.version = version
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Zoho-oauthtoken {access_token(self.url)}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        prefix = "" if path.startswith("/") else f"/crm/{self.version}/"
        return self.http.request(method, f"{self.url}{prefix}{path}", timeout=60, **kwargs)

    def get(self, path: str, **params: Any) -> requests.Response:
        headers = params.pop("headers", None)
        return self.call("GET", path, params=params, headers=headers)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, json=body, **kwargs)

    def put(self, path: str, body: Any) -> requests.Response:
        return self.call("PUT", path, json=body)

    def delete(self, path: str, **params: Any) -> requests.Response:
        return self.call("DELETE", path, params=params)


def error_of(resp: requests.Response) -> tuple[int, str, dict[str, Any]]:
    body = resp.json()
    assert body["status"] == "error", body
    return resp.status_code, body["code"], body["details"]
