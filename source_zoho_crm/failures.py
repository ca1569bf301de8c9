"""What the user reads when something fails: a message that says what to fix, never a traceback or secret.

The client's exceptions already carry a message a user can act on and whose fault they are
(zoho_crm_client/errors.py); this module adds which stream it was and the Airbyte failure type, from the one
mapping the destination uses too (zoho_crm_airbyte/failures.py).
"""

from __future__ import annotations

from airbyte_cdk.models import FailureType

from source_zoho_crm.catalog import CatalogError
from source_zoho_crm.config import SourceConfigError
from zoho_crm_airbyte.failures import failure_type
from zoho_crm_client.errors import ModuleNotSupported, RequestError, ZohoCRMError


class StreamRefused(ZohoCRMError):
    """A stream the token or the org cannot read (an organisation stream without its scope); the message says
    what to grant. The sync goes on and the stream ends INCOMPLETE with this warning (readers/org.py)."""


# Zoho refuses a module stream itself, and asking again gives the same answer (docs/zoho-api/modules.md): the
# sync goes on without it, and the stream ends INCOMPLETE with a warning, not an ERROR trace, which would fail
# the whole sync on the platform. The exceptions a module stream may end with this way.
STREAM_REFUSALS: tuple[type[ZohoCRMError], ...] = (ModuleNotSupported, StreamRefused)


class SyncFailed(Exception):
    """Raised after the error trace was emitted, so the process exits non-zero without another report."""


def catalog_mismatch(exc: BaseException, stream: str | None) -> str | None:
    """The user's words for a refusal caused by a catalog that does not match the org: a selected column the
    module does not have (INVALID_DATA on `fields`, docs/zoho-api.md section 3.1). None for any other error. (A
    module stream Zoho refuses, or does not have, ends INCOMPLETE instead: read_loop.py, STREAM_REFUSALS.)"""
    if not isinstance(exc, RequestError):
        return None
    if exc.code == "INVALID_DATA" and exc.details.get("param_name") == "fields":
        column = exc.details.get("api_name") or "a column"
        return (f"the catalog selects {column!r}, which {stream or 'the module'} does not have; refresh the "
                "source schema (discover) and deselect it")
    return None


def describe(exc: BaseException, stream: str | None = None) -> tuple[str, FailureType, str]:
    """(user message, failure type, internal message) for an exception raised while reading."""
    where = f"Stream {stream}: " if stream else ""
    mismatch = catalog_mismatch(exc, stream)
    if mismatch:
        return f"{where}{mismatch} ({exc})", FailureType.config_error, f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ZohoCRMError | SourceConfigError | CatalogError):
        return f"{where}{exc}", failure_type(exc), f"{type(exc).__name__}: {exc}"
    # An unexpected error: say what it was, not where in the code (the log has the rest).
    return (f"{where}unexpected {type(exc).__name__}: {exc}", FailureType.system_error,
            f"{type(exc).__name__}: {exc}")


def refusal(exc: BaseException, stream: str) -> str | None:
    """The warning for a stream Zoho refuses (STREAM_REFUSALS), None for any other failure."""
    if not isinstance(exc, STREAM_REFUSALS):
        return None
    if isinstance(exc, StreamRefused):
        return str(exc)
    return (f"Stream {stream}: Zoho refuses to read module {stream} ({exc.code}: {exc}); the other streams go on and "
            f"this one is reported incomplete. Deselect it in the connection, or leave it out of `modules`.")
