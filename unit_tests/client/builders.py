"""Builders for the client's unit tests: configs, clients with a fake clock and no real sleeps, and a small
in-memory get-records endpoint for requests-mock that pages like section 3.1 of docs/zoho-api.md."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests_mock

from zoho_crm_client import ZohoClient, ZohoConfig

API = "https://www.zohoapis.com"
TOKEN_URL = "https://accounts.zoho.com/oauth/v2/token"
SECRET = "client-secret-0123456789"
REFRESH = "1000.refresh-token-0123456789"
ACCESS = "1000.access-token-0123456789"


def config(**overrides: Any) -> ZohoConfig:
    base = {"client_id": "1000.CLIENT", "client_secret": SECRET, "refresh_token": REFRESH,
            "max_concurrent_requests": 4, "max_retries": 3}
    base.update(overrides)
    return ZohoConfig.from_mapping(base)


@dataclass
class FakeTime:
    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def client(cfg: ZohoConfig | None = None, time: FakeTime | None = None, **kwargs: Any) -> ZohoClient:
    time = time or FakeTime()
    kwargs.setdefault("cpu", None)  # windows split on their estimates alone (test_windows.py tests the Pace)
    kwargs.setdefault("clock", time.clock)
    return ZohoClient(cfg or config(), sleep=time.sleep, rand=lambda: 1.0, **kwargs)


def token_ok(mock: requests_mock.Mocker, *, access: str = ACCESS, api_domain: str = API, expires_in: int = 3600,
             url: str = TOKEN_URL) -> Any:
    return mock.post(url, json={"access_token": access, "api_domain": api_domain, "token_type": "Bearer",
                                "expires_in": expires_in})


def zoho_error(code: str, message: str = "error", **details: Any) -> dict[str, Any]:
    return {"code": code, "details": details, "message": message, "status": "error"}


T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)


def lead(n: int, *, seconds: int | None = None, **fields: Any) -> dict[str, Any]:
    """Record n, modified n seconds after T0 (or `seconds`), in Zoho's +05:30 output offset."""
    moment = (T0 + timedelta(seconds=n if seconds is None else seconds)).astimezone(timezone(timedelta(hours=5.5)))
    return {"id": f"57257670000{n:08d}", "Modified_Time": moment.isoformat(), **fields}


class FakeRecords:
    """GET /crm/v8/{module} over a list of records: sort by Modified_Time (asc, or desc when asked),
    If-Modified-Since inclusive,
    page 1..10 then page_token, the 2,000 and `token_limit` ceilings, and scripted token expiries."""

    def __init__(self, records: list[dict[str, Any]], *, token_limit: int = 100_000):
        self.records = records
        self._sorted = sorted(records, key=lambda r: (datetime.fromisoformat(r["Modified_Time"]), r["id"]))
        self._keys = [datetime.fromisoformat(r["Modified_Time"]) for r in self._sorted]
        self.token_limit = token_limit
        self.expire_tokens: set[int] = set()  # offsets at which a page_token call answers EXPIRED_VALUE
        self.calls: list[dict[str, Any]] = []
        self._tokens: dict[str, int] = {}

    def install(self, mock: requests_mock.Mocker, module: str = "Leads") -> None:
        mock.get(f"{API}/crm/v8/{module}", text=self.text)

    def text(self, request: Any, context: Any) -> str:
        body = self.answer(request, context)
        context.headers["Content-Type"] = "application/json"
        return "" if body is None else json.dumps(body)

    def answer(self, request: Any, context: Any) -> Any:
        qs = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        self.calls.append({"qs": qs, "ims": request.headers.get("If-Modified-Since")})
        fields = [f for f in qs.get("fields", "").split(",") if f]
        if "ids" in qs:
            wanted = set(qs["ids"].split(","))
            return self._body([r for r in self.records if r["id"] in wanted], fields, more=False)
        rows = self._window(request.headers.get("If-Modified-Since"))
        if qs.get("sort_order") == "desc":
            rows = rows[::-1]
        if "page_token" in qs:
            offset = self._tokens.get(qs["page_token"])
            if offset is None or offset in self.expire_tokens:
                self.expire_tokens.discard(offset)
                context.status_code = 400
                return zoho_error("EXPIRED_VALUE", "given page_token expired", api_name="page_token")
            if offset >= self.token_limit:
                context.status_code = 400
                return zoho_error("PAGINATION_LIMIT_EXCEEDED", "limit exceeded", param_name="page_token")
        else:
            page = int(qs.get("page", 1))
            if page * 200 > 2000:
                context.status_code = 400
                return zoho_error("DISCRETE_PAGINATION_LIMIT_EXCEEDED", "first 2000 only", limit=2000)
            offset = (page - 1) * 200
        chunk = rows[offset: offset + 200]
        if not chunk:
            context.status_code = 204
            return None
        more = offset + 200 < len(rows)
        token = f"tok{len(self._tokens)}"
        self._tokens[token] = offset + 200
        return self._body(chunk, fields, more=more, token=token if more else None)

    def _window(self, header: str | None) -> list[dict[str, Any]]:
        if not header:
            return self._sorted
        return self._sorted[bisect.bisect_left(self._keys, datetime.fromisoformat(header)):]

    @staticmethod
    def _body(rows: list[dict[str, Any]], fields: list[str], *, more: bool, token: str | None = None) -> Any:
        data = [{"id": r["id"], **{f: r.get(f) for f in fields}} for r in rows]
        return json.loads(json.dumps({"data": data, "info": {"per_page": 200, "count": len(data),
                                                             "more_records": more, "next_page_token": token}}))


class FakeSearch:
    """GET /crm/v8/{module}/search over a list of records, as section 4 of docs/zoho-api.md says: every record
    matches the user's part of the criteria, the Modified_Time greater_equal/less_than conditions are applied,
    rows come newest id first (Zoho's `sort_by: id`), page by number, LIMIT_REACHED past 2,000 rows, 204 when
    empty. `before_call(n)` runs before the n-th call (1-based) is answered: people editing during a read."""

    def __init__(self, records: list[dict[str, Any]]):
        self.records = records
        self.calls: list[tuple[str, int]] = []
        self.before_call: Any = lambda n: None
        self.oldest_asked = 0

    def oldest(self, request: Any, context: Any) -> Any:
        """GET /crm/v8/{module}?sort_by=Modified_Time&sort_order=asc&per_page=1: the oldest record."""
        qs = parse_qs(urlsplit(request.url).query)
        assert (qs["sort_by"], qs["sort_order"], qs["per_page"]) == (["Modified_Time"], ["asc"], ["1"])
        self.oldest_asked += 1
        first = min(self.records, key=_moment)
        return json.dumps({"data": [{"id": first["id"], "Modified_Time": first["Modified_Time"]}],
                           "info": {"per_page": 1, "count": 1, "page": 1, "more_records": len(self.records) > 1}})

    def __call__(self, request: Any, context: Any) -> Any:
        qs = parse_qs(urlsplit(request.url).query)
        criteria, page = qs["criteria"][0], int(qs["page"][0])
        per_page = int(qs.get("per_page", ["200"])[0])
        self.calls.append((criteria, page))
        self.before_call(len(self.calls))
        if page * per_page > 2000:
            context.status_code = 400
            return json.dumps(zoho_error("LIMIT_REACHED", "Maximum response iteration limit reached", limit=2000))
        low = _bound(criteria, "greater_equal")
        high = _bound(criteria, "less_than")
        rows = [r for r in self.records if (low is None or _moment(r) >= low) and (high is None or _moment(r) < high)]
        rows.sort(key=lambda r: int(r["id"]), reverse=True)
        chunk = rows[(page - 1) * per_page: page * per_page]
        if not chunk:
            context.status_code = 204
            return ""
        return json.dumps({"data": [dict(r) for r in chunk],
                           "info": {"per_page": per_page, "count": len(chunk), "page": page, "sort_by": "id",
                                    "sort_order": "desc", "more_records": len(rows) > page * per_page}})


def _bound(criteria: str, operator: str) -> datetime | None:
    found = re.search(rf"\(Modified_Time:{operator}:([^)]+)\)", criteria)
    return datetime.fromisoformat(found.group(1)) if found else None


def _moment(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["Modified_Time"])
