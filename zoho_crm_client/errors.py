"""Typed exceptions and THE table (HTTP status, Zoho code) -> action and user message.

Every classification of a Zoho answer happens here (docs/zoho-api.md sections 1.3, 11.1, 11.2), so a fix to how
an error is treated lands once. Messages never contain a secret: they are built from Zoho's code, message and
details, and a server that echoes the request into them is masked when the exception is made (redact.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, ClassVar

from zoho_crm_client import redact, scopes


class Fault(enum.Enum):
    """Whose fault a failure is, and so who can make it pass. Each connector maps it ONCE to the platform's
    failure types (zoho_crm_airbyte/failures.py); the client itself knows nothing of Airbyte."""

    USER_CONFIG = "user_config"  # the user's settings, credentials, scopes or Zoho privileges: fix them, then rerun
    USER_DATA = "user_data"  # the user's records or query: fix the data, then rerun
    TRANSIENT = "transient"  # Zoho, the network or a limit that frees over time: the same run later may pass
    OURS = "ours"  # this code asked something Zoho refuses, or met what it did not expect: a bug to report


class ZohoCRMError(Exception):
    """Base of every error this package raises; `str()` is a message a user can act on, `fault` whose it is."""

    fault: ClassVar[Fault] = Fault.OURS

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 details: dict[str, Any] | None = None):
        message = redact.mask(message)  # a server's answer may quote the request (redact.py)
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.details = redact.mask_value(details) if details else {}


class ConfigError(ZohoCRMError):
    """The connector config is wrong; the message names the key to fix."""

    fault = Fault.USER_CONFIG


class UsageError(ZohoCRMError):
    """A value given to an action (docs/actions.md) is malformed; `argument` names the parameter to fix."""

    fault = Fault.USER_CONFIG

    def __init__(self, argument: str, message: str):
        super().__init__(f"{argument}: {message}")
        self.argument = argument


class AuthError(ZohoCRMError):
    """OAuth failed: invalid refresh token, unknown client, missing scope, or an untrusted api_domain."""

    fault = Fault.USER_CONFIG


class ScopeMissingError(AuthError):
    """401 OAUTH_SCOPE_MISMATCH: the refresh token was not granted a scope this call needs.

    `scopes` names what to grant: what Zoho's details said, else what the call is documented to need
    (scopes.py). A connector tells this apart from a bad token to fall back or warn instead of failing.
    """

    def __init__(self, message: str, *, scopes: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(message, **kwargs)
        self.scopes = scopes


class PermissionError_(ZohoCRMError):  # noqa: N801 - trailing underscore avoids shadowing the builtin
    """The Zoho user's profile may not do this (403 NO_PERMISSION, 400 AUTHORIZATION_FAILED, 403 NOT_SUPPORTED).

    Unlike a scope, this is the user's privilege in Zoho (e.g. to list deleted records): a new token does not
    help, an administrator changing the profile does."""

    fault = Fault.USER_CONFIG


class RateLimitError(ZohoCRMError):
    """429 TOO_MANY_REQUESTS after every retry: the daily credits or the concurrency limit are exhausted."""

    fault = Fault.TRANSIENT


class CreditBudgetExhausted(ZohoCRMError):
    """The next call would exceed `api_credit_budget`; raised BEFORE the call so the caller stops cleanly."""

    fault = Fault.TRANSIENT  # the next sync resumes with a fresh budget


class RequestError(ZohoCRMError):
    """A 4xx answer Zoho will give again if asked again; `code` and `details` say why. Unless a subclass says
    otherwise, the request was ours to build right (Fault.OURS)."""


class RedirectRefused(ConfigError):
    """A server answered with a redirect to another host; credentials and records are not sent there."""


class ServerError(ZohoCRMError):
    """5xx or a broken connection after every retry."""

    fault = Fault.TRANSIENT


class InvalidResponseError(ServerError):
    """Zoho answered something that is not the JSON it documents (HTML error page, truncated body)."""


class PageTokenExpired(RequestError):
    """A get-records page_token expired or no longer matches its query (EXPIRED_VALUE, TOKEN_BOUND_DATA_MISMATCH)."""


class PaginationLimitExceeded(RequestError):
    """The 100,000-row page_token ceiling (PAGINATION_LIMIT_EXCEEDED) or the 2,000-row page ceiling."""


class SearchCeilingReached(RequestError):
    """Search stops at 2,000 rows per query (LIMIT_REACHED); a COQL stream reads past it."""

    fault = Fault.USER_CONFIG  # the user's search stream asks for more than search serves


class ModuleNotSupported(RequestError):
    """Zoho will not serve this module through this API (400 INVALID_MODULE "The given module is not supported in
    API", or NOT_SUPPORTED): modules such as Approvals or Attachments are listed as api_supported yet refused by
    Get Records (docs/zoho-api/modules.md). A reader may skip the module and go on with the others."""


class FeatureNotEnabled(RequestError):
    """The org does not have the feature this list belongs to (territories, multi-currency): asking again gives
    the same answer, and the list is empty for this org (docs/zoho-api/org.md)."""


class CoqlError(RequestError):
    """Zoho refused a COQL query (SYNTAX_ERROR, INVALID_QUERY, ...); the message names the clause or column."""

    fault = Fault.USER_CONFIG  # the user's query (coql_streams)


class CriteriaError(RequestError):
    """Zoho refused a search's criteria (INVALID_QUERY on the search endpoint); the message quotes them."""

    fault = Fault.USER_CONFIG  # the user's criteria (search_streams)


class AmbiguousWriteError(ZohoCRMError):
    """A non-idempotent write may or may not have reached Zoho; it is NOT resent (see writes.py).

    `indexes` are the positions of the records concerned in the caller's input list.
    """

    fault = Fault.TRANSIENT  # the connection failed mid-call; the records are reported, never resent

    def __init__(self, message: str, *, indexes: list[int] | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.indexes = indexes or []


class Action(enum.Enum):
    OK = "ok"  # a normal answer
    INSPECT_ITEMS = "inspect items"  # a write answer: every element of `data` is its own outcome
    RETRY = "retry"  # transient: back off and try again
    REFRESH = "refresh"  # the access token was refused: refresh it once and retry once
    FAIL = "fail"  # asking again gives the same answer


@dataclass(frozen=True)
class Rule:
    action: Action
    error: type[ZohoCRMError]
    message: str  # what the user reads; `{zoho}` is Zoho's own message, `{details}` its details


ANY = None  # wildcard for a status or a code
DATA_ITEMS = "<data[] of per-record results>"  # pseudo code: a write answer whose outcomes are per record
# pseudo code: a 429 whose message speaks of API credits. Zoho answers TOO_MANY_REQUESTS both when too many calls
# are in flight (gone in seconds) and when the org's credits are spent (docs/zoho-api/hostile.md: a rolling
# 24-hour window), so only the message tells them apart; backing off for minutes cannot bring credits back.
DAILY_CREDITS = "<429 TOO_MANY_REQUESTS: API credits used up>"

_FAIL = Action.FAIL

# (HTTP status, Zoho code) -> rule. Lookup order: exact pair, (ANY, code), (status, ANY), status class.
TABLE: dict[tuple[int | None, str | None], Rule] = {
    # section 8: 200/201/202/207, and 400 when every record failed, carry one result per input record
    (200, DATA_ITEMS): Rule(Action.INSPECT_ITEMS, RequestError, "see each record's result"),
    (201, DATA_ITEMS): Rule(Action.INSPECT_ITEMS, RequestError, "see each record's result"),
    (202, DATA_ITEMS): Rule(Action.INSPECT_ITEMS, RequestError, "see each record's result"),
    (207, DATA_ITEMS): Rule(Action.INSPECT_ITEMS, RequestError, "see each record's result"),
    (400, DATA_ITEMS): Rule(Action.INSPECT_ITEMS, RequestError, "see each record's result"),
    # section 1.3
    (401, "INVALID_TOKEN"): Rule(Action.REFRESH, AuthError,
                                 "Zoho refused the access token even after a refresh: {zoho}"),
    (401, "AUTHENTICATION_FAILURE"): Rule(Action.REFRESH, AuthError,
                                          "Zoho refused the access token even after a refresh: {zoho}"),
    # the spelling Zoho's error guide lists under 401 (docs/zoho-api.md section 1.3, Kaizen #25): same treatment
    (401, "AUTHENTICATION_FAILED"): Rule(Action.REFRESH, AuthError,
                                         "Zoho refused the access token even after a refresh: {zoho}"),
    # the org's record or storage allowance is used up (docs/zoho-api.md section 8): nothing a retry fixes
    (400, "MAX_RECORDS_LIMIT_REACHED"): Rule(_FAIL, RequestError,
                                             "the Zoho org's storage is full ({details}): free space or buy more "
                                             "before writing again (Zoho: {zoho})"),
    # docs/zoho-api/scopes.md: a scope the token lacks; the message names it (scopes.py), the connector decides
    (401, "OAUTH_SCOPE_MISMATCH"): Rule(_FAIL, ScopeMissingError,
                                        "the refresh token lacks the OAuth scope {scopes} that this call needs; "
                                        "create a refresh token that also grants it (Zoho: {zoho})"),
    (403, "NO_PERMISSION"): Rule(_FAIL, PermissionError_,
                                 "the Zoho user's profile lacks a permission for this call: {zoho} {details}"),
    (400, "AUTHORIZATION_FAILED"): Rule(_FAIL, PermissionError_,
                                        "the Zoho user's profile lacks a privilege for this call: {zoho} {details}"),
    (403, "NOT_SUPPORTED"): Rule(_FAIL, PermissionError_,
                                 "Zoho allows this only to administrators (e.g. the Notes list): {zoho}"),
    # section 11.2: transient, retried with backoff
    (429, ANY): Rule(Action.RETRY, RateLimitError,
                     "Zoho's API limit is exhausted (daily credits or concurrent calls) even after backing off: "
                     "{zoho}; lower max_concurrent_requests or retry later"),
    (429, DAILY_CREDITS): Rule(_FAIL, RateLimitError,
                               "Zoho's API credits are used up: {zoho} {details}. Zoho counts credits over a "
                               "rolling 24-hour window, so retrying now fails again; run the sync once credits "
                               "are free again (at the latest 24 hours after they were spent), or add credits to "
                               "the org"),
    (500, ANY): Rule(Action.RETRY, ServerError, "Zoho had an internal error after every retry: {zoho}"),
    (502, ANY): Rule(Action.RETRY, ServerError, "Zoho's gateway failed after every retry (502): {zoho}"),
    (503, ANY): Rule(Action.RETRY, ServerError, "Zoho is unavailable after every retry (503): {zoho}"),
    (504, ANY): Rule(Action.RETRY, ServerError, "Zoho's gateway timed out after every retry (504): {zoho}"),
    # section 3.1: paging
    (400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED"): Rule(_FAIL, PaginationLimitExceeded,
                                                      "past 2,000 rows a page_token is required: {zoho}"),
    (400, "PAGINATION_LIMIT_EXCEEDED"): Rule(_FAIL, PaginationLimitExceeded,
                                             "page_token paging stops at 100,000 rows: {zoho}"),
    (400, "EXPIRED_VALUE"): Rule(_FAIL, PageTokenExpired, "the page_token expired: {zoho} {details}"),
    (400, "TOKEN_BOUND_DATA_MISMATCH"): Rule(_FAIL, PageTokenExpired,
                                             "the page_token no longer matches its query: {zoho}"),
    (400, "LIMIT_REACHED"): Rule(_FAIL, SearchCeilingReached,
                                 "Zoho search returns at most 2,000 rows per query; use a COQL stream to read "
                                 "more ({zoho})"),
    # section 7
    # section 7 and 4: COQL and search both answer INVALID_QUERY; coql.py and search.py say which query it was
    (400, "SYNTAX_ERROR"): Rule(_FAIL, CoqlError, "Zoho rejected the query: {zoho} {details}"),
    (400, "INVALID_QUERY"): Rule(_FAIL, CoqlError, "Zoho rejected the query: {zoho} {details}"),
    # section 0 / 11.2: request-level mistakes
    (400, "INVALID_MODULE"): Rule(_FAIL, ModuleNotSupported,
                                  "the module is unknown or not available through the API: {zoho}"),
    # docs/zoho-api/modules.md: Zoho's code for a listed module its records API refuses; 403 NOT_SUPPORTED
    # above is the admin-only refusal of the Notes list
    (400, "NOT_SUPPORTED"): Rule(_FAIL, ModuleNotSupported, "Zoho does not support this module here: {zoho}"),
    (404, "INVALID_URL_PATTERN"): Rule(_FAIL, RequestError,
                                       "Zoho does not know this URL; check api_url and the API version: {zoho}"),
    (400, "INVALID_REQUEST_METHOD"): Rule(_FAIL, RequestError, "wrong HTTP method for this URL: {zoho}"),
    (400, "API_NOT_SUPPORTED"): Rule(_FAIL, RequestError, "this API version does not support the call: {zoho} {details}"),
    (415, ANY): Rule(_FAIL, RequestError, "Zoho needs Content-Type application/json here: {zoho}"),
    # docs/zoho-api/org.md: crm-oas samples for settings/territories and org/currencies on orgs without them
    (400, "FEATURE_NOT_ENABLED"): Rule(_FAIL, FeatureNotEnabled, "this Zoho org does not have the feature: {zoho}"),
    (403, "CURRENCIES_NOT_ENABLED"): Rule(_FAIL, FeatureNotEnabled,
                                          "this Zoho org has no multi-currency: {zoho}"),
    (404, "RESOURCE_NOT_FOUND"): Rule(_FAIL, RequestError, "Zoho does not know this job or resource: {zoho} {details}"),
}

_CLASS_DEFAULTS: dict[int, Rule] = {
    2: Rule(Action.OK, ZohoCRMError, ""),
    3: Rule(Action.OK, ZohoCRMError, ""),  # 304 Not Modified = no rows (section 0)
    4: Rule(_FAIL, RequestError, "Zoho refused the request: {code} {zoho} {details}"),
    5: Rule(Action.RETRY, ServerError, "Zoho failed with HTTP {status} after every retry: {zoho}"),
}


def lookup(status: int, code: str | None) -> Rule:
    """The rule for an answer; a 2xx carrying a top-level error code is classified by that code (as a 400)."""
    if 200 <= status < 300 and code is not None and code != DATA_ITEMS:
        status = 400
    for key in ((status, code), (ANY, code), (status, ANY)):
        if key in TABLE:
            return TABLE[key]
    return _CLASS_DEFAULTS.get(status // 100, _CLASS_DEFAULTS[4])


def classify(status: int, body: Any) -> tuple[Rule, str | None]:
    """(rule, code) for a parsed answer: a top-level error code wins, a `data` list of results is per-record."""
    code = None
    if isinstance(body, dict):
        if isinstance(body.get("code"), str) and body.get("status") != "success":
            code = body["code"]
        elif isinstance(body.get("data"), list) and status in (200, 201, 202, 207, 400):
            code = DATA_ITEMS
    if status == 429 and _about_credits(body):
        return TABLE[(429, DAILY_CREDITS)], code
    return lookup(status, code), code


def _about_credits(body: Any) -> bool:
    message = body.get("message") if isinstance(body, dict) else None
    return isinstance(message, str) and "credit" in message.lower()


def to_exception(rule: Rule, status: int, code: str | None, body: Any, route: str = "") -> ZohoCRMError:
    """Build the typed exception a rule names, with Zoho's message and details filled in; `route` (the call's
    "METHOD /template") lets a scope refusal name the scope when Zoho's details do not."""
    zoho = body.get("message", "") if isinstance(body, dict) else ""
    details = body.get("details") if isinstance(body, dict) and isinstance(body.get("details"), dict) else {}
    needed = scopes.named_in(details) or scopes.needed(route)
    message = rule.message.format(zoho=zoho, details=details or "", code=code or "", status=status,
                                  scopes=" and ".join(needed) or "(unknown)")
    extra = {"scopes": needed} if issubclass(rule.error, ScopeMissingError) else {}
    return rule.error(" ".join(message.split()), status=status, code=code, details=details, **extra)
