"""The request and response objects handlers see: plain data, no HTTP plumbing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson

from zoho_crm_emulator import exceptions

JSON_TYPE = "application/json;charset=UTF-8"
_UNSET = object()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)  # from the route template
    version: str = "v8"
    route: str = ""  # e.g. "GET /crm/v8/{module}": the stats and fault-rule key
    _json: Any = _UNSET

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The JSON body (None when empty). Content-Type is not required (section 0.1)."""
        if self._json is _UNSET:
            text = self.body.decode("utf-8", "replace").strip()
            try:
                self._json = json.loads(text) if text else None
            except ValueError:
                raise exceptions.invalid_data("body is not a valid JSON", json_path="$") from None
        return self._json

    def form(self) -> dict[str, str]:
        """Query string merged with an x-www-form-urlencoded body (the OAuth endpoint takes either)."""
        out = dict(self.query)
        if self.body:
            out.update(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        return out


@dataclass
class Response:
    status: int
    body: Any = None  # dict/list -> JSON, bytes -> as is, None -> empty
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_TYPE
    drop: bool = False  # fault injection: close the connection half-way through the body

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        # orjson: a 200-record page of 50 fields serialises in a fraction of json.dumps's 4-5 ms.
        return orjson.dumps(self.body)


def error(err: exceptions.ZohoError) -> Response:
    return Response(err.status, err.body())
