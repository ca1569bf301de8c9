"""The destination's own error: a configuration or catalog problem the user must fix before writing."""

from __future__ import annotations

from zoho_crm_client.errors import Fault


class DestinationConfigError(ValueError):
    """Raised before any write when the config or the configured catalog cannot work; the message names the fix."""

    fault = Fault.USER_CONFIG
