"""`check`: what a sync needs works, and what it could use but cannot is named with the scope to grant.

Zoho checks every call against the token's scopes (docs/zoho-api/scopes.md). Tokens users have:
`ZohoCRM.modules.ALL,ZohoCRM.settings.ALL` (Zoho's own example) and the upstream Airbyte source's OAuth flow
(`ZohoCRM.settings.modules.READ, ZohoCRM.settings.fields.READ, ZohoCRM.modules.READ, ZohoCRM.modules.custom.READ,
ZohoCRM.org.READ`). Neither grants users, COQL, search or Bulk Read, so check asks only what a sync needs:
module and field metadata and the records of one module. Each optional feature costs one probe call; a missing
scope fails the check only when the config asks for that feature (a COQL or search stream), else it is a
warning saying what the source does instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from source_zoho_crm.config import SourceConfig
from zoho_crm_client import ScopeMissingError, ZohoClient
from zoho_crm_client.limits import DEFAULT_CONCURRENCY


@dataclass
class CheckResult:
    failure: str | None = None
    warnings: list[str] = field(default_factory=list)

    def message(self) -> str | None:
        if self.failure:
            return self.failure
        return "Warnings: " + " | ".join(self.warnings) if self.warnings else None


def check_access(client: ZohoClient, config: SourceConfig, raw: Mapping[str, Any]) -> CheckResult:
    """Required calls raise (their errors name the scope); optional features add warnings or a failure."""
    modules = [m.api_name for m in client.modules() if m.api_supported]
    module = _probe_module(modules, config)
    result = CheckResult()
    if module is None:
        return result
    client.fields(module)
    refusal = client.probe("records", module)
    if refusal is not None:
        result.failure = f"Reading {module} records was refused: {refusal}"
        return result
    for feature, needed, otherwise in _optional(config):
        refusal = client.probe(feature, _feature_module(feature, config, module, modules))
        if refusal is None:
            continue
        if needed:
            result.failure = f"{otherwise}: {refusal}"
            return result
        result.warnings.append(f"{otherwise} ({_what_is_missing(refusal)})")
    # the client asks GET org itself when the in-flight limit must come from the edition; None: refused or unknown
    if not config.max_concurrent_requests and not raw.get("edition") and client.edition() is None:
        result.warnings.append(f"The org's edition is unknown (GET org needs ZohoCRM.org.READ): syncs allow "
                               f"{DEFAULT_CONCURRENCY} calls in flight; set edition or max_concurrent_requests")
    return result


def _optional(config: SourceConfig) -> list[tuple[str, bool, str]]:
    """(probe, whether the config needs it, what the user reads when it is refused)."""
    out: list[tuple[str, bool, str]] = []
    if config.include_deleted:
        out.append(("deleted", False, "Deleted records cannot be listed, so syncs emit no tombstones; give the "
                                      "Zoho user the privilege or set include_deleted to false"))
    if config.coql_streams:
        out.append(("coql", True, "coql_streams need the ZohoCRM.coql.READ scope"))
    else:
        out.append(("coql", False, "COQL streams (coql_streams) would need ZohoCRM.coql.READ"))
    if config.search_streams:
        out.append(("search", True, "search_streams need the ZohoSearch.securesearch.READ scope"))
    if config.bulk_read != "never":
        out.append(("bulk_read", False, "Bulk Read needs ZohoCRM.bulk.READ: first syncs of large modules read "
                                        "over REST instead (more calls); grant it or set bulk_read to never"))
    return out


def _probe_module(modules: list[str], config: SourceConfig) -> str | None:
    """A module the sync reads: the first configured one Zoho lists, else Leads, else the first listed."""
    for name in config.modules or ("Leads",):
        if name in modules:
            return name
    return modules[0] if modules else None


def _feature_module(feature: str, config: SourceConfig, module: str, modules: list[str]) -> str:
    """The search stream's module when Zoho lists it (a user's value reaches a URL only once known), else `module`."""
    if feature == "search" and config.search_streams and config.search_streams[0].module in modules:
        return config.search_streams[0].module
    return module


def _what_is_missing(refusal: Exception) -> str:
    if isinstance(refusal, ScopeMissingError) and refusal.scopes:
        return f"missing scope {refusal.scopes[0]}"
    return str(refusal)
