"""Every error the emulator answers with, by name: status, Zoho's code and message in one place.

Codes and messages follow Zoho's published answers (docs/zoho-api.md sections 0, 3-12; the crm-oas enums where
a code has one). Where Zoho publishes a code but no message (crm-oas bulk_read.json lists Bulk Read's codes
only), the message is the emulator's, and clients match on the code. Modules raise these constructors and never build a ZohoError inline, so a code's status and
message are written once. Per-record errors inside `data[i]` are validation.py's RecordError, not these.
"""

from __future__ import annotations

from typing import Any


class ZohoError(Exception):
    """A request-level Zoho error: serialised as the top-level error envelope."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "details": self.details, "message": self.message, "status": "error"}


class QueryError(ZohoError):
    """A query the search, COQL or Bulk Read engine refuses (always 400): the engines raise it, the
    handlers let the app serialise it like any other request error."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(400, code, message, details)


class TooManyRecords(ZohoError):
    """Section 8: more than the allowed records in one write -> 400 with the error wrapped in `data`."""

    def __init__(self, maximum: int):
        super().__init__(400, "LIMIT_EXCEEDED", "count of records in your request exceeds the limit",
                         {"maximum_length": maximum, "api_name": "data"})

    def body(self) -> dict[str, Any]:
        return {"data": [super().body()]}


# --- any request (section 0) ------------------------------------------------------------------------------------

def invalid_url() -> ZohoError:
    return ZohoError(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one")


def invalid_method() -> ZohoError:
    return ZohoError(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one",
                     {"resource_path_index": 0})


def invalid_module() -> ZohoError:
    return ZohoError(400, "INVALID_MODULE", "The module name given seems to be invalid", {"resource_path_index": 0})


def unsupported_module() -> ZohoError:
    """Get Records' answer for a module settings/modules lists as api_supported but the records API does not serve
    (docs/zoho-api/modules.md: "The given module is not supported in API")."""
    return ZohoError(400, "INVALID_MODULE", "The given module is not supported in API", {"resource_path_index": 0})


def module_not_supported_in_api(**details: Any) -> ZohoError:
    """Notes' deleted list and COQL's FROM on a module the API does not serve (docs/zoho-api/notes.md, section 7)."""
    return ZohoError(400, "INVALID_MODULE", "the given module is not supported in api", details)


def api_not_supported(supported_version: str) -> ZohoError:
    """An endpoint of a later version called with an older one (section 13)."""
    return ZohoError(400, "API_NOT_SUPPORTED", "the API is not supported in this version",
                     {"supported_version": supported_version})


def required_param_missing(param: str) -> ZohoError:
    return ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {"param_name": param})


def mandatory_not_found(api_name: str, json_path: str | None = None, message: str = "required field not found"
                        ) -> ZohoError:
    details: dict[str, Any] = {"api_name": api_name}
    if json_path is not None:
        details["json_path"] = json_path
    return ZohoError(400, "MANDATORY_NOT_FOUND", message, details)


def invalid_data(message: str = "invalid data", **details: Any) -> ZohoError:
    return ZohoError(400, "INVALID_DATA", message, details)


def invalid_id(resource_path_index: int = 1) -> ZohoError:
    """A record id in the path that names no record (sections 9, 10)."""
    return invalid_data("the id given seems to be invalid", resource_path_index=resource_path_index)


def pattern_not_matched(param_name: str) -> ZohoError:
    return ZohoError(400, "PATTERN_NOT_MATCHED", "Please check whether the input values are correct",
                     {"param_name": param_name})


def not_supported(message: str, status: int = 400) -> ZohoError:
    return ZohoError(status, "NOT_SUPPORTED", message, {"resource_path_index": 0})


def limit_exceeded(message: str, **details: Any) -> ZohoError:
    return ZohoError(400, "LIMIT_EXCEEDED", message, details)


def media_type_not_supported() -> ZohoError:
    return ZohoError(415, "MEDIA_TYPE_NOT_SUPPORTED", "the media type is not supported")


# --- authentication, scopes, privileges (sections 1, 11; docs/zoho-api/scopes.md) -------------------------------

def authentication_failure() -> ZohoError:
    return ZohoError(401, "AUTHENTICATION_FAILURE", "Authentication failed")


def invalid_token() -> ZohoError:
    return ZohoError(401, "INVALID_TOKEN", "invalid oauth token")


def scope_mismatch() -> ZohoError:
    # Zoho's crm-oas share_records.json lists this message for OAUTH_SCOPE_MISMATCH; details are empty.
    return ZohoError(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")


def deleted_privilege_missing(code: str) -> ZohoError:
    """The API user's profile lacks the deleted-records privilege (docs/zoho-api/scopes.md): 403 NO_PERMISSION with
    the `permissions` details of Zoho's PermissionError schema (crm-oas common.json), or 400 AUTHORIZATION_FAILED."""
    if code == "AUTHORIZATION_FAILED":
        return ZohoError(400, code, "User does not have sufficient privilege to perform this action")
    return ZohoError(403, "NO_PERMISSION", "permission denied", {"permissions": []})


def notes_for_admins_only() -> ZohoError:
    """Section 6: the Notes list is for administrators only."""
    return not_supported("The Notes module is supported only for admin users", status=403)


def too_many_requests(message: str = "too many requests") -> ZohoError:
    return ZohoError(429, "TOO_MANY_REQUESTS", message)


# Injected faults (faults.py, section 14.8): Zoho's bodies for the statuses a test injects; `code` overrides.
INJECTED_BODIES = {
    429: ("TOO_MANY_REQUESTS", "too many requests"),
    500: ("INTERNAL_ERROR", "Internal server error occurred."),
    502: ("INTERNAL_SERVER_ERROR", "Bad Gateway"),
    503: ("INTERNAL_SERVER_ERROR", "Service Unavailable"),
    504: ("INTERNAL_SERVER_ERROR", "Gateway Timeout"),
    401: ("INVALID_TOKEN", "invalid oauth token"),
}
INJECTED_MESSAGES = {"AUTHENTICATION_FAILURE": "Authentication failed", "INVALID_TOKEN": "invalid oauth token",
                     "OAUTH_SCOPE_MISMATCH": "Unauthorized", "NO_PERMISSION": "permission denied"}


def injected_fault(status: int, code: str | None = None) -> ZohoError:
    default_code, message = INJECTED_BODIES.get(status, ("INTERNAL_ERROR", "injected fault"))
    code = default_code if code is None else code
    return ZohoError(status, code, INJECTED_MESSAGES.get(code, message))


# --- paging (section 3.1) ---------------------------------------------------------------------------------------

def ambiguity(*names: str) -> ZohoError:
    return ZohoError(400, "AMBIGUITY_DURING_PROCESSING", "ambiguity while processing the request",
                     {"ambiguity_due_to": [{"param_name": n} for n in names]})


def discrete_pagination_limit(limit: int) -> ZohoError:
    return ZohoError(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                     "You can only get the first 2000 records without using page_token param", {"limit": limit})


def page_token_expired() -> ZohoError:
    return ZohoError(400, "EXPIRED_VALUE", "the page_token given has expired",
                     {"api_name": "page_token", "json_path": "$.query.page_token"})


def page_token_mismatch() -> ZohoError:
    return ZohoError(400, "TOKEN_BOUND_DATA_MISMATCH", "the page_token is bound to other parameters",
                     {"param_name": "page_token"})


def pagination_limit() -> ZohoError:
    return ZohoError(400, "PAGINATION_LIMIT_EXCEEDED", "pagination limit exceeded", {"param_name": "page_token"})


# --- lead conversion (section 9) --------------------------------------------------------------------------------

def already_converted() -> ZohoError:
    return ZohoError(400, "ID_ALREADY_CONVERTED", "id already converted", {"resource_path_index": 1})


# --- search (section 4) -----------------------------------------------------------------------------------------

def search_param_missing(expected: list[str]) -> QueryError:
    return QueryError("EXPECTED_PARAM_MISSING", "mandatory param missing", {"expected_params": expected})


def search_rows_exceeded(limit: int) -> QueryError:
    return QueryError("LIMIT_REACHED", "Maximum response iteration limit reached", {"limit": limit})


def invalid_search(reason: str, **details: Any) -> QueryError:
    return QueryError("INVALID_QUERY", "Invalid query formed", {"reason": reason, **details})


def query_limit_exceeded(message: str, **details: Any) -> QueryError:
    """Search's and COQL's LIMIT_EXCEEDED (conditions, `in` values, columns, joins, rows; sections 4, 7)."""
    return QueryError("LIMIT_EXCEEDED", message, details)


# --- COQL (section 7; shapes from the official OAS examples) -------------------------------------------------------

def select_query_missing() -> QueryError:
    return QueryError("MANDATORY_NOT_FOUND", "mandatory key not found", {"api_name": "select_query"})


def syntax_error(message: str, **details: Any) -> QueryError:
    return QueryError("SYNTAX_ERROR", message, details)


def unexpected_token(line: int, column: int, near: str) -> QueryError:
    return syntax_error("unexpected token", line=line, column=column, near=near)


def invalid_query(message: str, **details: Any) -> QueryError:
    return QueryError("INVALID_QUERY", message, details)


def invalid_column(name: str) -> QueryError:
    return invalid_query("column given seems to be invalid", column_name=name)


def invalid_operator(name: str, operator: str) -> QueryError:
    return invalid_query("Invalid query formed", reason="invalid operator found", column_name=name, operator=operator)


def invalid_value(name: str, data_type: str) -> QueryError:
    return invalid_query("value given seems to be invalid for the column", column_name=name,
                         expected_data_type=data_type)


def unsupported_type(name: str, data_type: str) -> QueryError:
    return invalid_query("data type not supported", column_name=name, data_type=data_type)


def not_grouped(name: str) -> QueryError:
    return invalid_query("Invalid query formed", reason="column not present in group by", column_name=name)


def invalid_alias(alias: str) -> QueryError:
    return QueryError("INVALID_ALIAS", "invalid alias", {"alias": alias})


def duplicate_alias(alias: str) -> QueryError:
    return QueryError("DUPLICATE_ALIAS", "duplicate alias", {"alias": alias})


def duplicate_column(name: str) -> QueryError:
    return QueryError("DUPLICATE_DATA", "duplicate select column", {"column_name": name})


def coql_module_not_supported() -> QueryError:
    return QueryError("INVALID_MODULE", "the given module is not supported in api", {})


# --- Bulk Read (section 12.1; codes from crm-oas bulk_read.json, which publishes no messages). Zoho also lists
# finer criteria codes (FIELD_IN_CRITERIA_NOT_SUPPORTED, COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE, ...)
# where the emulator answers INVALID_CRITERIA: clients must not rely on either

def request_body_empty() -> ZohoError:
    return ZohoError(400, "REQUEST_BODY_IS_EMPTY", "request body is empty")


def bulk_invalid_request(message: str, api_name: str) -> ZohoError:
    return ZohoError(400, "INVALID_REQUEST", message, {"api_name": api_name})


def invalid_callback_url() -> ZohoError:
    return ZohoError(400, "INVALID_CALLBACK_URL", "the callback url is invalid", {"api_name": "url"})


def invalid_callback_method() -> ZohoError:
    return ZohoError(400, "INVALID_CALLBACK_METHOD", "the callback method must be post", {"api_name": "method"})


def page_range_exceeded(max_limit: int) -> ZohoError:
    return ZohoError(400, "PAGE_RANGE_EXCEEDED", "the page is out of range", {"max_limit": max_limit})


def cvid_not_supported() -> QueryError:
    return QueryError("CVID_NOT_SUPPORTED", "custom views are not supported", {"api_name": "cvid"})


def file_type_not_supported() -> QueryError:
    return QueryError("NOT_SUPPORTED_FEATURE", "only csv files can be exported from this module",
                      {"api_name": "file_type"})


def bulk_module_not_supported(api_name: str) -> QueryError:
    return QueryError("MODULE_NOT_SUPPORTED", "the module is not supported for bulk read", {"api_name": api_name})


def field_not_supported(api_name: str) -> QueryError:
    return QueryError("FIELD_NOT_SUPPORTED", "the field is not supported", {"api_name": api_name})


def invalid_criteria(message: str, **details: Any) -> QueryError:
    return QueryError("INVALID_CRITERIA", message, details)


def resource_not_found(resource: str, status: int = 404) -> ZohoError:
    """An unknown job (404), or the download of a job not yet COMPLETED (400: the resource does not exist yet)."""
    return ZohoError(status, "RESOURCE_NOT_FOUND", "the requested resource could not be found", {"resource": resource})
