"""Errors the emulator answers with, named after Zoho's own codes (docs/zoho-api.md sections 0, 11)."""

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


def invalid_module() -> ZohoError:
    return ZohoError(400, "INVALID_MODULE", "The module name given seems to be invalid", {"resource_path_index": 0})


def unsupported_module() -> ZohoError:
    """Get Records' answer for a module settings/modules lists as api_supported but the records API does not serve
    (docs/zoho-api/modules.md: "The given module is not supported in API")."""
    return ZohoError(400, "INVALID_MODULE", "The given module is not supported in API", {"resource_path_index": 0})


def invalid_url() -> ZohoError:
    return ZohoError(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one")


def invalid_method() -> ZohoError:
    return ZohoError(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one",
                     {"resource_path_index": 0})


def required_param_missing(param: str) -> ZohoError:
    return ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {"param_name": param})


def invalid_data(message: str = "invalid data", **details: Any) -> ZohoError:
    return ZohoError(400, "INVALID_DATA", message, details)


def syntax_error(message: str, **details: Any) -> ZohoError:
    return ZohoError(400, "SYNTAX_ERROR", message, details)


def invalid_query(message: str, **details: Any) -> ZohoError:
    return ZohoError(400, "INVALID_QUERY", message, details)


def limit_exceeded(message: str, **details: Any) -> ZohoError:
    return ZohoError(400, "LIMIT_EXCEEDED", message, details)


def too_many_requests(message: str = "too many requests") -> ZohoError:
    return ZohoError(429, "TOO_MANY_REQUESTS", message)
