"""Zoho Accounts OAuth endpoint and access-token checks (docs/zoho-api.md sections 1.2 and 1.3).

Token errors come back as HTTP 200 with `{"error": ...}`, as Zoho Accounts does. The emulator knows one
client (credentials.py); its refresh token and grant code are the fixed ones there, plus any refresh token
issued by an authorization-code grant or by the control plane (`POST /__emulator__/refresh_tokens`).

Tokens carry scopes (docs/zoho-api/scopes.md): an access token has its refresh token's scopes, and scopes.py
decides what they allow. The fixed refresh token and grant code keep full scope (None), so nothing that
used them before sees a difference.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any
from urllib.parse import urlencode

from zoho_crm_emulator import credentials, exceptions, scopes
from zoho_crm_emulator.wire import Request, Response

DEFAULT_TTL = 3600
FULL_SCOPE_TEXT = "ZohoCRM.modules.ALL ZohoCRM.settings.ALL"  # what the token answer says for a full-scope token
Scopes = frozenset[str] | None  # None: every scope


class TokenStore:
    """Access tokens with their expiry; refresh tokens and single-use grant codes."""

    def __init__(self, ttl: int = DEFAULT_TTL):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._access: dict[str, tuple[float, Scopes]] = {}
        self.restore()

    def restore(self) -> None:
        """The client's fixed refresh token and grant code work again (reset); access tokens are kept."""
        with self._lock:
            self._refresh: dict[str, Scopes] = {credentials.REFRESH_TOKEN: None}
            self._codes: dict[str, Scopes] = {credentials.GRANT_CODE: None}
            self._code_redirects: dict[str, str] = {}

    def issue_access(self, granted: Scopes = None) -> str:
        token = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        with self._lock:
            self._access[token] = (time.time() + self.ttl, granted)
        return token

    def issue_refresh(self, granted: Scopes = None) -> str:
        token = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        with self._lock:
            self._refresh[token] = granted
        return token

    def issue_code(self, granted: Scopes, redirect_uri: str) -> str:
        """A grant code from the consent page, bound to the redirect URI it was sent to."""
        code = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        with self._lock:
            self._codes[code] = granted
            self._code_redirects[code] = redirect_uri
        return code

    def use_code(self, code: str, redirect_uri: str | None = None) -> tuple[bool, Scopes]:
        with self._lock:
            if code not in self._codes:
                return False, None
            bound = self._code_redirects.pop(code, None)
            granted = self._codes.pop(code)  # a grant code works once (section 1.2: "grant code reused")
            # OAuth 2.0 (RFC 6749, 4.1.3): the token request repeats the redirect URI of the consent
            return bound is None or bound == redirect_uri, granted

    def knows_refresh(self, token: str) -> bool:
        with self._lock:
            return token in self._refresh

    def scopes_of_refresh(self, token: str) -> Scopes:
        with self._lock:
            return self._refresh.get(token)

    def revoke(self, token: str) -> None:
        with self._lock:
            self._refresh.pop(token, None)

    def valid(self, token: str) -> bool:
        with self._lock:
            entry = self._access.get(token)
        return entry is not None and entry[0] > time.time()

    def scopes_of(self, token: str) -> Scopes:
        with self._lock:
            entry = self._access.get(token)
        return entry[1] if entry else None

    def expire_all(self) -> None:
        """Fault injection: every access token issued so far is now expired."""
        with self._lock:
            for token, (_, granted) in self._access.items():
                self._access[token] = (0.0, granted)


def token_endpoint(tokens: TokenStore, req: Request, base_url: str) -> Response:
    form = req.form()
    if form.get("client_id") != credentials.CLIENT_ID or form.get("client_secret") != credentials.CLIENT_SECRET:
        return oauth_error("invalid_client")
    grant = form.get("grant_type")
    if grant == "refresh_token":
        refresh = form.get("refresh_token", "")
        if not tokens.knows_refresh(refresh):
            return oauth_error("invalid_code")
        return Response(200, _grant(tokens, base_url, tokens.scopes_of_refresh(refresh)))
    if grant == "authorization_code":
        known, granted = tokens.use_code(form.get("code", ""), form.get("redirect_uri"))
        if not known:
            return oauth_error("invalid_code")
        return Response(200, {**_grant(tokens, base_url, granted), "refresh_token": tokens.issue_refresh(granted)})
    return oauth_error("unsupported_grant_type")


def consent_endpoint(tokens: TokenStore, req: Request, base_url: str) -> Response:
    """GET /oauth/v2/auth: the user consents at once (there is no one to click), and the browser is sent back
    to `redirect_uri` with a single-use code for the scopes asked, the user's `location` and the
    `accounts-server` to exchange the code at, as Zoho's multi-DC answer has it (docs/zoho-api/oauth.md). The
    emulator's org lives in the US data centre; its accounts server is this server."""
    query = req.query
    redirect_uri = query.get("redirect_uri", "")
    if query.get("client_id") != credentials.CLIENT_ID:
        return oauth_error("invalid_client")
    if query.get("response_type") != "code" or not redirect_uri.startswith(("http://", "https://")):
        return oauth_error("invalid_request")
    try:
        granted = scopes.parse(query.get("scope", ""))
    except ValueError:
        return oauth_error("invalid_scope")
    answer = {"code": tokens.issue_code(granted, redirect_uri), "location": "us", "accounts-server": base_url}
    if "state" in query:
        answer["state"] = query["state"]
    separator = "&" if "?" in redirect_uri else "?"
    return Response(302, None, {"Location": f"{redirect_uri}{separator}{urlencode(answer)}"})


def revoke_endpoint(tokens: TokenStore, req: Request) -> Response:
    tokens.revoke(req.form().get("token", ""))
    return Response(200, {"status": "success"})


def _grant(tokens: TokenStore, base_url: str, granted: Scopes) -> dict[str, Any]:
    scope = FULL_SCOPE_TEXT if granted is None else " ".join(sorted(granted))
    return {"access_token": tokens.issue_access(granted), "scope": scope,
            "api_domain": base_url, "token_type": "Bearer", "expires_in": tokens.ttl}


def oauth_error(code: str) -> Response:
    return Response(200, {"error": code})  # HTTP 200, as Zoho Accounts answers (section 1.2)


def check(tokens: TokenStore, req: Request) -> Scopes:
    """Section 1.3: 401 INVALID_TOKEN for an unknown or expired token, AUTHENTICATION_FAILURE without one.
    Answers the token's scopes (None: full scope) for scopes.check."""
    header = req.header("Authorization") or ""
    scheme, _, token = header.partition(" ")
    if not token or scheme not in ("Zoho-oauthtoken", "Bearer"):
        raise exceptions.authentication_failure()
    if not tokens.valid(token.strip()):
        raise exceptions.invalid_token()
    return tokens.scopes_of(token.strip())


def issue_scoped_refresh(tokens: TokenStore, requested: Any) -> dict[str, Any]:
    """Control plane: a refresh token granted only `requested` (a list or a comma/space separated string)."""
    granted = scopes.parse(requested)
    return {"refresh_token": tokens.issue_refresh(granted), "scopes": sorted(granted)}
