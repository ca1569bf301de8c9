"""`check`: the token works in the configured data centre, and the configured modules accept the writes asked of them.

docs/zoho-api.md 1.3 (connection check is `users?type=CurrentUser`) and 2.1 (creatable/editable/deletable).
Every failure is a sentence the user can act on; no traceback, no secret (the client's errors carry none).
"""

from __future__ import annotations

from typing import Any

from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.operations import Operation
from destination_zoho_crm.streams import module_problem


def check_access(client: Any, config: DestinationConfig) -> str | None:
    """None when writing can work, else the reason. Zoho errors propagate to the caller (they are messages)."""
    client.current_user()
    modules = {m.api_name: m for m in client.modules()}
    if not config.streams:
        if not any(m.api_supported and m.creatable for m in modules.values()):
            return "This Zoho user cannot create records in any module; check the user's profile permissions."
        return None
    for settings in config.streams.values():
        module = settings.module or settings.name
        problem = module_problem(modules, module, settings.operation or Operation.CREATE)
        if problem:
            return f"Stream '{settings.name}': {problem}"
    return None
