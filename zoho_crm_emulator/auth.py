"""Zoho Accounts OAuth endpoint and access-token checks (docs/zoho-api.md sections 1.2 and 1.3).

Token errors come back as HTTP 200 with `{"error": ...}`, as Zoho Accounts does. The emulator knows one
client (credentials.py); its refresh token and grant code are the fixed ones there, plus any refresh token
issued by an authorization-code grant.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from zoho_crm_emulator import credentials
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.wire import Request, Response

DEFAULT_TTL = 3600


class TokenStore:
    """Access tokens with their expiry; refresh tokens and single-use grant codes."""

    def __init__(self, ttl: int = DEFAULT_TTL):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._access: dict[str, float] = {}
        self.restore()

    def restore(self) -> None:
        """The client's fixed refresh token and grant code work again (reset); access tokens are kept."""
        with self._lock:
            self._refresh = {credentials.REFRESH_TOKEN}
            self._codes = {credentials.GRANT_CODE}

    def issue_access(self) -> str:
        token = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        with self._lock:
            self._access[token] = time.time() + self.ttl
        return token

    def issue_refresh(self) -> str:
        token = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        with self._lock:
            self._refresh.add(token)
        return token

    def use_code(self, code: str) -> bool:
        with self._lock:
            if code not in self._codes:
                return False
            self._codes.discard(code)  # a grant code works once (section 1.2: "grant code reused")
            return True

    def knows_refresh(self, token: str) -> bool:
        with self._lock:
            return token in self._refresh

    def revoke(self, token: str) -> None:
        with self._lock:
            self._refresh.discard(token)

    def valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._access.get(token)
        return expiry is not None and expiry > time.time()

    def expire_all(self) -> None:
        """Fault injection: every access token issued so far is now expired."""
        with self._lock:
            for token in self._access:
                self._access[token] = 0.0


def token_endpoint(tokens: TokenStore, req: Request, base_url: str) -> Response:
    form = req.form()
    if form.get("client_id") != credentials.CLIENT_ID or form.get("client_secret") != credentials.CLIENT_SECRET:
        return oauth_error("invalid_client")
    grant = form.get("grant_type")
    if grant == "refresh_token":
        if not tokens.knows_refresh(form.get("refresh_token", "")):
            return oauth_error("invalid_code")
        return Response(200, _grant(tokens, base_url))
    if grant == "authorization_code":
        if not tokens.use_code(form.get("code", "")):
            return oauth_error("invalid_code")
        return Response(200, {**_grant(tokens, base_url), "refresh_token": tokens.issue_refresh()})
    return oauth_error("unsupported_grant_type")


def revoke_endpoint(tokens: TokenStore, req: Request) -> Response:
    tokens.revoke(req.form().get("token", ""))
    return Response(200, {"status": "success"})


def _grant(tokens: TokenStore, base_url: str) -> dict[str, Any]:
    return {"access_token": tokens.issue_access(), "scope": "ZohoCRM.modules.ALL ZohoCRM.settings.ALL",
            "api_domain": base_url, "token_type": "Bearer", "expires_in": tokens.ttl}


def oauth_error(code: str) -> Response:
    return Response(200, {"error": code})  # HTTP 200, as Zoho Accounts answers (section 1.2)


def check(tokens: TokenStore, req: Request) -> None:
    """Section 1.3: 401 INVALID_TOKEN for an unknown or expired token, AUTHENTICATION_FAILURE without one."""
    header = req.header("Authorization") or ""
    scheme, _, token = header.partition(" ")
    if not token or scheme not in ("Zoho-oauthtoken", "Bearer"):
        raise ZohoError(401, "AUTHENTICATION_FAILURE", "Authentication failed")
    if not tokens.valid(token.strip()):
        raise ZohoError(401, "INVALID_TOKEN", "invalid oauth token")
