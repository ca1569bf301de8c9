"""What the user reads when something fails: a message that says what to fix, never a traceback or secret.

The client's exceptions already carry a message a user can act on (zoho_crm_client/errors.py); this
module adds which stream it was and the Airbyte failure type (config errors are the user's to fix).
"""

from __future__ import annotations

from airbyte_cdk.models import FailureType

from source_zoho_crm.catalog import CatalogError
from source_zoho_crm.config import SourceConfigError
from zoho_crm_client.errors import (
    AuthError,
    CoqlError,
    CriteriaError,
    PermissionError_,
    RequestError,
    SearchCeilingReached,
    ZohoCRMError,
)
from zoho_crm_client.errors import ConfigError as ClientConfigError

USER_ERRORS = (ClientConfigError, SourceConfigError, CatalogError, AuthError, PermissionError_, CoqlError,
               CriteriaError, SearchCeilingReached)


class SyncFailed(Exception):
    """Raised after the error trace was emitted, so the process exits non-zero without another report."""


def failure_type(exc: BaseException) -> FailureType:
    if isinstance(exc, USER_ERRORS):
        return FailureType.config_error
    if isinstance(exc, RequestError):
        return FailureType.system_error
    return FailureType.transient_error if isinstance(exc, ZohoCRMError) else FailureType.system_error


def describe(exc: BaseException, stream: str | None = None) -> tuple[str, FailureType, str]:
    """(user message, failure type, internal message) for an exception raised while reading."""
    where = f"Stream {stream}: " if stream else ""
    if isinstance(exc, ZohoCRMError | SourceConfigError | CatalogError):
        return f"{where}{exc}", failure_type(exc), f"{type(exc).__name__}: {exc}"
    # An unexpected error: say what it was, not where in the code (the log has the rest).
    return (f"{where}unexpected {type(exc).__name__}: {exc}", FailureType.system_error,
            f"{type(exc).__name__}: {exc}")
