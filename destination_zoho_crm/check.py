"""`check`: the token works in the configured data centre, and the configured modules accept the writes asked of them.

docs/zoho-api.md 2.1 (creatable/editable/deletable) and docs/zoho-api/scopes.md: Zoho checks every call against
the token's scopes, and the tokens users have (`ZohoCRM.modules.ALL,ZohoCRM.settings.ALL`, or the upstream
Airbyte source's read-only set) grant no users scope, so the check asks only what writing needs: module metadata,
then, per target module, a write of no records (Zoho refuses it as empty once the scope passed; nothing is
written). A target configured in `streams` whose write scope is missing fails the check; without `streams`,
a missing write scope is a warning naming it. Every failure is a sentence the user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.operations import Operation
from destination_zoho_crm.streams import module_problem
from zoho_crm_client import ScopeMissingError, ZohoClient

# which probe says whether the token may do an operation (zoho_crm_client/access.py)
_PROBE = {Operation.CREATE: "create", Operation.CLONE: "create", Operation.CONVERT: "create",
          Operation.UPDATE: "update", Operation.UPSERT: "update", Operation.ADD_TAGS: "update",
          Operation.REMOVE_TAGS: "update"}


@dataclass
class CheckResult:
    failure: str | None = None
    warnings: list[str] = field(default_factory=list)


def check_access(client: ZohoClient, config: DestinationConfig) -> CheckResult:
    """Zoho errors of the required calls propagate to the caller (they are messages)."""
    modules = {m.api_name: m for m in client.modules()}
    result = CheckResult()
    if not config.streams:
        if not any(m.api_supported and m.creatable for m in modules.values()):
            result.failure = "This Zoho user cannot create records in any module; check the user's profile permissions."
            return result
        target = "Leads" if "Leads" in modules else next(n for n, m in modules.items() if m.creatable)
        refusal = client.probe("create", target)
        if refusal is not None:
            result.warnings.append(f"Writing records will be refused: {_missing(refusal)}")
    for settings in config.streams.values():
        module = settings.module or settings.name
        operation = settings.operation or Operation.CREATE
        problem = module_problem(modules, module, operation)
        if problem:
            result.failure = f"Stream '{settings.name}': {problem}"
            return result
        refusal = client.probe(_PROBE[operation], module) if operation in _PROBE else None
        if refusal is not None:
            result.failure = f"Stream '{settings.name}': {operation.value} into {module} was refused: {refusal}"
            return result
    if client.edition() is None:
        result.warnings.append("The org's edition is unknown (GET org needs ZohoCRM.org.READ): writes allow the "
                               "default calls in flight; set edition or max_concurrent_requests")
    return result


def _missing(refusal: Exception) -> str:
    if isinstance(refusal, ScopeMissingError) and refusal.scopes:
        return f"missing scope {refusal.scopes[0]} (or ZohoCRM.modules.ALL)"
    return str(refusal)
