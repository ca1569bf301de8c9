"""The one HTTP session: auth header, timeouts, retries with backoff, 401 refresh, limits, credits, safe logs.

Retry policy (docs/zoho-api.md section 11.2, applied through the table in errors.py): 429, 500, 502, 503, 504
and connection errors are retried up to `max_retries` times with exponential backoff and full jitter
(`random() * min(retry_max_seconds, retry_base_seconds * 2**attempt)`); a 401 INVALID_TOKEN or
AUTHENTICATION_FAILURE refreshes the token once and retries once; any other 4xx fails at once.

A non-idempotent call (insert, convert, clone, Notes create) is retried only when Zoho certainly did not act
on it: the connection was never made, or Zoho answered 429 or 503 (refused at the door). After an ambiguous
failure (timeout or connection lost after the request was sent, 500, 502, 504, a truncated answer) it raises
`AmbiguousWriteError` instead of sending the records a second time.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson
import requests

if TYPE_CHECKING:  # the stubs' name for what merge_environment_settings returns (types-requests only)
    from requests.sessions import _Settings

from zoho_crm_client import paths
from zoho_crm_client.auth import AccessToken, TokenEndpointUnavailable, TokenProvider, never_connected
from zoho_crm_client.config import ZohoConfig
from zoho_crm_client.deadline import DeadlineExceeded, read_within
from zoho_crm_client.errors import (
    Action,
    AmbiguousWriteError,
    InvalidResponseError,
    RedirectRefused,
    Rule,
    ServerError,
    classify,
    to_exception,
)
from zoho_crm_client.limits import CreditLedger, InFlightLimiter
from zoho_crm_client.regions import origin

RETRY_SAFE_FOR_WRITES = (429, 503)  # refused before processing: resending cannot write twice


@dataclass
class Response:
    status: int
    body: Any  # parsed JSON; None for 204/304 and for streamed downloads
    headers: Mapping[str, str]
    raw: requests.Response | None = None  # only for stream=True


@dataclass(frozen=True)
class Call:
    """What to send and how to account for it; `route` is the path template used for stats."""

    method: str
    path: str
    route: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    headers: Mapping[str, str] | None = None
    cost: int = 1
    heavy: bool = False
    idempotent: bool = True
    stream: bool = False
    limited: bool = True
    timeout: float | None = None  # seconds to wait for the answer; None: the config's request timeout

    @classmethod
    def to(cls, method: str, template: str, values: Mapping[str, Any] | None = None, **kwargs: Any) -> Call:
        """A call to `template` ("/crm/v8/{module}/{id}") with its values validated and escaped (paths.py);
        the template is the route the stats count."""
        return cls(method, paths.expand(template, **(values or {})), f"{method} {template}", **kwargs)


class EnvironmentOnceSession(requests.Session):
    """A session that reads the proxy and CA-bundle environment once per scheme and host.

    requests merges `HTTPS_PROXY`, `NO_PROXY`, `REQUESTS_CA_BUNDLE` and the like into every call (trust_env),
    scanning os.environ each time: about 1 ms a call, a tenth of the CPU of a 20,000-Leads read
    (benchmarks/profile_source.py). A connector's environment does not change while it runs, so the merged
    settings are kept per scheme, host and `stream`; users behind a proxy are served exactly as before.
    """

    def __init__(self) -> None:
        super().__init__()
        self._merged: dict[tuple[str, str, bool], _Settings] = {}
        self._merged_lock = threading.Lock()

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any,
                                   cert: Any) -> _Settings:
        if proxies or verify is not None or cert is not None:  # settings given for this call: no shortcut
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, bool(stream))
        with self._merged_lock:
            merged = self._merged.get(key)
            if merged is None:
                merged = self._merged[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        return {**merged, "proxies": dict(merged["proxies"])}

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        """Follow a redirect only within the origin that was called: another host would receive the access token
        or the records (requests strips the header across hosts but re-posts the body on 307/308, and keeps the
        header from http to https). Issue 12; the token endpoint follows no redirect at all (auth.py)."""
        was, now = origin(str(response.request.url)), origin(str(prepared_request.url))
        if was != now:
            # requests prepares the next hop even when it will not follow it (allow_redirects=False), so the
            # refusal is raised by `send`, when the hop would actually go out
            prepared_request.headers.pop("Authorization", None)
            prepared_request.refused = RedirectRefused(  # type: ignore[attr-defined]
                f"{was} answered HTTP {response.status_code} pointing to {now}; the connector does not follow a "
                "redirect to another host with the access token or records. If that host is the right API "
                "host, set api_url to it", status=response.status_code, code="REDIRECT_REFUSED")
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]  # unannotated in types-requests

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        refused = getattr(request, "refused", None)
        if refused is not None:
            raise refused
        return super().send(request, **kwargs)


class Transport:
    def __init__(self, config: ZohoConfig, *, session: requests.Session | None = None,
                 logger: logging.Logger | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rand: Callable[[], float] = random.random,
                 resolve_limit: Callable[[], int] | None = None):
        self.config = config
        self.session = session or EnvironmentOnceSession()
        self.log = logger or logging.getLogger("zoho_crm_client")
        self.sleep = sleep
        self.clock = clock
        self._rand = rand
        self.ledger = CreditLedger(config.api_credit_budget)
        self.tokens = TokenProvider(config, self.session, clock=clock, logger=self.log,
                                    on_refresh=self.ledger.count_refresh)
        self.limiter = InFlightLimiter(config.max_concurrent_requests, resolve=resolve_limit)

    def request(self, call: Call) -> Response:
        if not paths.is_safe_path(call.path):
            raise InvalidResponseError(f"{call.route}: refusing to call {call.path[:120]!r}, which is not a plain "
                                       "path on the API host", code="UNSAFE_PATH")
        attempt, refreshed = 0, False
        while True:
            try:
                token = self.tokens.get()
            except TokenEndpointUnavailable as exc:
                if attempt >= self.config.max_retries or (exc.unreachable and not self.config.retry_unreachable):
                    raise
                self._backoff(call, attempt, str(exc))
                attempt += 1
                continue
            self.ledger.reserve(call.route, call.cost)
            outcome = self._attempt(call, token)
            if isinstance(outcome, Response):
                return outcome
            rule, status, code, body = outcome
            if rule.action is Action.REFRESH and not refreshed:
                self.tokens.invalidate(token)
                refreshed = True
                continue
            if rule.action is not Action.RETRY or attempt >= self.config.max_retries or (
                    code == UNREACHABLE and not self.config.retry_unreachable):
                raise to_exception(rule, status, code, body, call.route)
            self._check_write_retry(call, status, code)
            self._backoff(call, attempt, f"HTTP {status} {code or ''}".strip())
            attempt += 1

    def _attempt(self, call: Call, token: AccessToken) -> Response | tuple[Rule, int, str | None, Any]:
        """One HTTP exchange: a Response when done, else (rule, status, code, body) for the retry loop."""
        try:
            resp = self._send(call, token)
        except RedirectRefused:
            self.ledger.count_call(call.route, call.cost, charged=True)
            raise
        except requests.RequestException as exc:
            # a request that reached Zoho counts against the budget even if its answer was lost
            reached = not never_connected(exc)
            self.ledger.count_call(call.route, call.cost, charged=reached)
            return self._connection_failure(call, exc, reached)
        if call.stream and resp.status_code == 200:
            self.ledger.count_call(call.route, call.cost, charged=True)
            return Response(resp.status_code, None, resp.headers, raw=resp)
        body, readable = _parse(resp)
        rule, code = classify(resp.status_code, body)
        if not readable and rule.action in (Action.OK, Action.INSPECT_ITEMS):
            rule, code = _UNREADABLE, "INVALID_RESPONSE"
        charged = rule.action in (Action.OK, Action.INSPECT_ITEMS) or (rule.action is Action.FAIL
                                                                        and resp.status_code < 500)
        self.ledger.count_call(call.route, call.cost, charged=charged)
        if rule.action in (Action.OK, Action.INSPECT_ITEMS):
            return Response(resp.status_code, body, resp.headers)
        if not readable:
            body = {"message": f"HTTP {resp.status_code} with a body that is not JSON "
                               f"({resp.headers.get('Content-Type', 'no content type')})"}
        return rule, resp.status_code, code, body

    def _send(self, call: Call, token: AccessToken) -> requests.Response:
        headers = {"Authorization": f"Zoho-oauthtoken {token.value}", **(call.headers or {})}
        query = paths.query(call.params)
        url = token.api_domain + call.path + (query or "")
        timeout = call.timeout or self.config.request_timeout_seconds
        # the body is always streamed, so that read_within can bound the whole call (deadline.py)
        kwargs = {"params": call.params if query is None else None, "json": call.json, "headers": headers,
                  "stream": True, "timeout": timeout, "auth": _token_header_only}
        with self.limiter.slot(heavy=call.heavy) if call.limited else nullcontext():
            started = self.clock()
            resp = self.session.request(call.method, url, **kwargs)
            if not call.stream or resp.status_code != 200:
                read_within(resp, timeout, self.clock, started)  # inside the slot: in flight until read
            return resp

    def _connection_failure(self, call: Call, exc: requests.RequestException,
                            reached: bool) -> tuple[Rule, int, str, Any]:
        if reached and not call.idempotent:
            raise AmbiguousWriteError(
                f"{call.route}: the connection failed after the request was sent ({type(exc).__name__}); Zoho may "
                "or may not have applied it, so it is not resent. Check these records in Zoho before retrying.",
                code="AMBIGUOUS_WRITE")
        why = str(exc) if isinstance(exc, DeadlineExceeded) else type(exc).__name__
        if not reached:
            return _NO_ANSWER, 0, UNREACHABLE, {"message": f"{why} calling {call.route}"}
        return _CONNECTION, 0, "CONNECTION_ERROR", {"message": f"{why} calling {call.route}"}

    def _check_write_retry(self, call: Call, status: int, code: str | None) -> None:
        if not call.idempotent and status and status not in RETRY_SAFE_FOR_WRITES:
            raise AmbiguousWriteError(
                f"{call.route}: Zoho answered HTTP {status} {code or ''}; the write may or may not have been "
                "applied, so it is not resent. Check these records in Zoho before retrying.",
                status=status, code=code or "AMBIGUOUS_WRITE")

    def _backoff(self, call: Call, attempt: int, why: str) -> None:
        cap = min(self.config.retry_max_seconds, self.config.retry_base_seconds * 2 ** attempt)
        delay = self._rand() * cap  # full jitter
        self.ledger.count_retry()
        self.log.warning("%s: %s; retry %d/%d in %.1f s", call.route, why, attempt + 1, self.config.max_retries,
                         delay)
        self.sleep(delay)


def _token_header_only(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """The Zoho-oauthtoken header is the call's only authentication. Without an `auth` of its own, requests reads
    ~/.netrc on every call (a tenth of a call's CPU), and a netrc login for the API host would replace that
    header with HTTP Basic credentials."""
    return request


UNREACHABLE = "CONNECTION_REFUSED"  # nothing answered: refused, unknown host, connect timeout
_NO_ANSWER = Rule(Action.RETRY, ServerError, "nothing answered at the Zoho API address ({zoho}): check api_url "
                                             "(or dc_region) and that the server is up")
_CONNECTION = Rule(Action.RETRY, ServerError, "could not talk to Zoho after every retry: {zoho}")
_UNREADABLE = Rule(Action.RETRY, InvalidResponseError,
                   "Zoho answered with a body that is not the JSON it documents, after every retry: {zoho}")


def _parse(resp: requests.Response) -> tuple[Any, bool]:
    """(JSON body or None, whether the body was readable). Empty 204/304 bodies are readable and None."""
    if not resp.content:
        return None, resp.status_code in (204, 304) or resp.status_code >= 400
    try:
        return decode_json(resp), True
    except ValueError:
        return None, False


# orjson reads an integer outside [-2**63, 2**64) as a float without an error (an id or Long Integer would become
# another number). Every such integer is a run of 20 characters of "-0123456789": with each of them read as "0",
# one search in C finds any (and, harmlessly, some long digit strings, which then take the stdlib's path).
_DIGITS_AS_ZERO = bytes.maketrans(b"-0123456789", b"0" * 11)
_PAST_64_BITS = b"0" * 20
_UTF8 = ("utf-8", "utf8")


def decode_json(resp: requests.Response) -> Any:
    """The answer's JSON, exactly as `resp.json()` (the stdlib parser) reads it, in half the CPU where that is safe.

    orjson decodes a page of 200 records in about half the time; it is used for UTF-8 bodies without a digit
    run that could be an integer past 64 bits. Anything it refuses (NaN, lone surrogates, 1e400, bad UTF-8) and
    any other encoding go to the stdlib parser, as before (docs/benchmarks.md, "JSON decoding").
    """
    content = resp.content
    encoding = resp.encoding
    if (encoding is None or encoding.lower() in _UTF8) and not _maybe_past_64_bits(content):
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError:
            pass  # the stdlib parser decides, and says why
    return resp.json()


def _maybe_past_64_bits(content: bytes) -> bool:
    return _PAST_64_BITS in content.translate(_DIGITS_AS_ZERO)
