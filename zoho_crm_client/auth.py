"""OAuth refresh-token grant (docs/zoho-api.md sections 1.2, 1.3): one cached access token per client.

The token is cached until 60 s before it expires and refreshed by one thread at a time; a thread whose call
was refused with a token that another thread has already replaced does not refresh again (`invalidate`).
Failure is read from the body, never from the status alone: Zoho Accounts answers errors with HTTP 200.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests

from zoho_crm_client import redact
from zoho_crm_client.config import ZohoConfig
from zoho_crm_client.deadline import DeadlineExceeded, read_within
from zoho_crm_client.errors import AuthError, ServerError, ZohoCRMError
from zoho_crm_client.regions import is_loopback, origin

EXPIRY_MARGIN_SECONDS = 60  # section 1.2: refresh ~60 s before expiry


class TokenEndpointUnavailable(ServerError):
    """The accounts server could not answer now (no connection, 5xx, throttled): worth retrying later.
    `unreachable`: nothing answered at all (connection refused, unknown host)."""

    unreachable = False


def never_connected(exc: requests.RequestException) -> bool:
    """True when the request certainly never reached the server (connect refused or timed out)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    text = f"{type(reason).__name__} {reason}"
    return "NewConnectionError" in text or "Failed to establish" in text or "NameResolution" in text


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    api_domain: str
    expires_at: float  # on the provider's clock


class TokenProvider:
    def __init__(self, config: ZohoConfig, session: requests.Session, *, clock: Callable[[], float] = time.monotonic,
                 logger: logging.Logger | None = None, on_refresh: Callable[[], None] | None = None):
        self._config = config
        self._session = session
        self._clock = clock
        self._log = logger or logging.getLogger(__name__)
        self._on_refresh = on_refresh
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        redact.remember(*config.secrets)

    @property
    def current(self) -> AccessToken | None:
        return self._token

    def get(self) -> AccessToken:
        """A valid token, refreshing it first if it is missing or about to expire."""
        with self._lock:
            if self._token is None or self._clock() >= self._token.expires_at - EXPIRY_MARGIN_SECONDS:
                self._token = self._refresh()
            return self._token

    def invalidate(self, rejected: AccessToken) -> None:
        """Forget `rejected` (Zoho answered 401 with it) unless another thread already replaced it."""
        with self._lock:
            if self._token is rejected:
                self._token = None

    def _refresh(self) -> AccessToken:
        config = self._config
        form = {"grant_type": "refresh_token", "client_id": config.client_id,
                "client_secret": config.client_secret, "refresh_token": config.refresh_token}
        try:
            # never redirected: a 307 would re-post the client secret and refresh token wherever it points
            started = self._clock()
            resp = self._session.post(config.token_url, data=form, timeout=config.request_timeout_seconds,
                                      allow_redirects=False, stream=True)
            read_within(resp, config.request_timeout_seconds, self._clock, started)
        except requests.RequestException as exc:
            why = str(exc) if isinstance(exc, DeadlineExceeded) else type(exc).__name__
            failure = TokenEndpointUnavailable(f"could not reach the Zoho accounts server {config.token_url}: {why}")
            failure.unreachable = never_connected(exc)
            raise failure from None
        if resp.is_redirect:
            raise self._redirected(resp)
        body = _json_or_none(resp)
        if not isinstance(body, dict) or not body.get("access_token"):
            raise self._failure(resp.status_code, body)
        if self._on_refresh:
            self._on_refresh()
        redact.remember(str(body["access_token"]))  # masked everywhere from now on, even after it expires
        self._log.info("Zoho access token refreshed at %s", config.token_url)
        return AccessToken(value=str(body["access_token"]), api_domain=self._api_domain(body),
                           expires_at=self._clock() + _lifetime(body))

    def _redirected(self, resp: requests.Response) -> AuthError:
        target = origin(urljoin(self._config.token_url, resp.headers.get("Location", "")))
        return AuthError(f"the Zoho accounts server {origin(self._config.token_url)} answered HTTP "
                         f"{resp.status_code} pointing to {target}; the client secret and refresh token are never "
                         "sent on to a redirect. Set accounts_url (or dc_region) to your data centre's accounts "
                         "server", status=resp.status_code, code="REDIRECT_REFUSED")

    def _failure(self, status: int, body: Any) -> ZohoCRMError:
        error = body.get("error") if isinstance(body, dict) else None
        where = f"configured: {self._config.dc_region}, {self._config.accounts_url or self._config.data_centre.accounts}"
        if error == "invalid_code":
            return AuthError(f"the refresh token is invalid, revoked, or from another data centre ({where})",
                             status=status, code=error)
        if error == "invalid_client":
            return AuthError(f"the client id is unknown in data centre {self._config.dc_region} ({where}); "
                             "check client_id, client_secret and dc_region", status=status, code=error)
        text = str(body.get("error_description") or "") if isinstance(body, dict) else ""
        if "too many requests" in text.lower() or status == 429 or (status >= 500 and not error):
            # section 1.2: the accounts server throttles refreshes ("Access Denied", HTTP 400) and may fail
            return TokenEndpointUnavailable(f"the Zoho accounts server is busy (HTTP {status}) {text}".strip(),
                                            status=status, code=str(error or status))
        if error:
            return AuthError(f"Zoho refused the token refresh: {error} {text}".strip(), status=status, code=str(error))
        return AuthError(f"the Zoho accounts server answered HTTP {status} without an access token ({where})",
                         status=status)

    def _api_domain(self, body: dict[str, Any]) -> str:
        """Where the access token may be sent (section 1.2: switch to api_domain only when none is pinned)."""
        config = self._config
        if config.api_url:
            return config.api_url
        if config.environment != "Production":
            return config.data_centre.api_domain(config.environment)  # section 1.1: keep the sandbox domain
        returned = str(body.get("api_domain") or config.data_centre.production).rstrip("/")
        if self._trusted(returned):
            return returned
        raise AuthError(f"the token response names api_domain {origin(returned)}, which is not a Zoho "
                        f"{config.dc_region} API domain; refusing to send the access token there. Set api_url "
                        "if this host is intended.")

    def _trusted(self, domain: str) -> bool:
        # A host is trusted if it is one of the region's API domains or the accounts_url the user chose
        # (that host issued the token; the emulator serves both from one base URL, design.md).
        trusted = {origin(d) for d in self._config.data_centre.api_domains}
        if self._config.accounts_url:
            trusted.add(origin(self._config.accounts_url))
        if origin(domain) not in trusted:
            return False
        host = domain.split("://", 1)[-1].split("/")[0].rsplit(":", 1)[0].strip("[]")
        return domain.startswith("https://") or is_loopback(host)


def _lifetime(body: dict[str, Any]) -> float:
    # Section 1.2: prefer expires_in_sec (older products send expires_in in ms next to it).
    for key in ("expires_in_sec", "expires_in"):
        try:
            return float(body[key])
        except (KeyError, TypeError, ValueError):
            continue
    return 3600.0


def _json_or_none(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None
