"""Discovery: one stream per syncable module, plus the configured COQL and search streams.

Metadata costs one `settings/modules` call and one `settings/fields` call per module (the client caches
them, so a module used by a COQL or search stream is not fetched twice; a COQL column on a lookup reads
the looked-up module's fields too). A module whose fields cannot be
read is reported with a warning and an error trace, not silently dropped (issue 4 item 3).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from airbyte_cdk.models import AirbyteMessage

from source_zoho_crm import messages
from source_zoho_crm.config import SourceConfig, SourceConfigError
from source_zoho_crm.org_streams import offered
from source_zoho_crm.streams import Kind, StreamDef, coql_stream, is_syncable, module_stream, search_stream
from source_zoho_crm.subform_streams import discover_subforms
from zoho_crm_airbyte.failures import failure_type
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import RequestError, ZohoCRMError
from zoho_crm_client.schema import field_schema

# Metadata calls are small; a few at once keep discovery of a 60-module org short.
METADATA_WORKERS = 4


@dataclass
class Discovery:
    streams: list[StreamDef] = field(default_factory=list)
    problems: list[AirbyteMessage] = field(default_factory=list)


def discover(client: ZohoClient, config: SourceConfig, logger: logging.Logger) -> Discovery:
    found = Discovery()
    names = _module_names(client, config, logger)
    with ThreadPoolExecutor(max_workers=METADATA_WORKERS, thread_name_prefix="metadata") as pool:
        schemas = dict(zip(names, pool.map(lambda m: _schemas(client, m, logger), names), strict=True))
    for name in names:
        schema = schemas[name]
        if isinstance(schema, ZohoCRMError):
            found.problems.append(_skipped(name, schema, logger))
        else:
            found.streams.append(module_stream(name, schema))
    subforms, problems = discover_subforms(client, [n for n in names if not isinstance(schemas[n], ZohoCRMError)],
                                           logger)
    found.streams.extend(subforms)
    found.problems.extend(problems)
    for i, coql in enumerate(config.coql_streams):
        with _naming(f"coql_streams[{i}] ({coql.name})"):
            found.streams.append(coql_stream(coql, client.coql_columns(coql.query)))
    for i, search in enumerate(config.search_streams):
        with _naming(f"search_streams[{i}] ({search.name})"):
            found.streams.append(search_stream(search, _schemas_or_raise(client, search.module, schemas, logger)))
    _refuse_duplicates(found.streams)
    _add_org_streams(client, found, logger)
    return found


def _add_org_streams(client: ZohoClient, found: Discovery, logger: logging.Logger) -> None:
    """Users, Roles, ... (org_streams.py); Layouts and Tags over the module streams' modules."""
    modules = [s.module for s in found.streams if s.kind is Kind.MODULE]
    streams, left_out = offered({s.name for s in found.streams}, modules)
    for reason in left_out:
        logger.warning("Organisation stream left out of the catalog: %s", reason)
    found.streams.extend(streams)


@contextmanager
def _naming(entry: str) -> Iterator[None]:
    """A module Zoho does not know, in a COQL or search stream, is the user's entry to fix: say which one."""
    try:
        yield
    except RequestError as exc:
        if exc.code != "INVALID_MODULE":
            raise
        raise SourceConfigError(f"{entry}: {exc}; use a module's API name (Setup > Developer Space > APIs > "
                                "API names)") from None


def _module_names(client: ZohoClient, config: SourceConfig, logger: logging.Logger) -> list[str]:
    """Every readable module (streams.is_syncable), or the configured `modules`. A module named there may be any
    API-supported module of the org: the user asked for it, and a refusal at read time only leaves that stream
    incomplete (read_loop.py)."""
    modules = client.modules()
    offered = [m.api_name for m in modules if is_syncable(m)]
    if config.modules is None:
        return offered
    listed = {m.api_name for m in modules if m.api_supported}
    unknown = sorted(set(config.modules) - listed)
    if unknown:
        logger.warning("modules: %s not found among the API-supported modules of this org; skipped",
                       ", ".join(unknown))
    beyond = [m for m in config.modules if m in listed and m not in offered]
    if beyond:
        logger.warning("modules: %s named explicitly, though Zoho does not document Get Records for them; a sync "
                       "reports each one Zoho refuses as incomplete", ", ".join(beyond))
    return [m for m in config.modules if m in listed]


def _schemas(client: ZohoClient, module: str, logger: logging.Logger) -> dict[str, dict[str, Any]] | ZohoCRMError:
    try:
        return {f.api_name: field_schema(f, logger) for f in client.fields(module)}
    except ZohoCRMError as exc:
        return exc


def _schemas_or_raise(client: ZohoClient, module: str, known: dict[str, Any],
                      logger: logging.Logger) -> dict[str, dict[str, Any]]:
    """A COQL or search stream's module: reuse the module streams' metadata (one fields call per module)."""
    result = known[module] if module in known else known.setdefault(module, _schemas(client, module, logger))
    if isinstance(result, ZohoCRMError):
        raise result
    return result


def _skipped(module: str, exc: ZohoCRMError, logger: logging.Logger) -> AirbyteMessage:
    text = f"Module {module} left out of the catalog: its field metadata could not be read ({exc})"
    logger.warning(text)
    return messages.error(text, failure_type(exc), stream=module, internal=type(exc).__name__)


def _refuse_duplicates(streams: list[StreamDef]) -> None:
    seen: set[str] = set()
    for stream in streams:
        if stream.name in seen:
            raise SourceConfigError(f"the stream name {stream.name!r} is used by a module and a COQL or search "
                                    "stream; rename the COQL or search stream")
        seen.add(stream.name)
