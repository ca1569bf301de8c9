"""The Airbyte source: wires spec, check, discover and read to the modules that do the work."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, NoReturn

from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    ConfiguredAirbyteCatalog,
    ConnectorSpecification,
    Level,
    Status,
)
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.sources.source import Source

from source_zoho_crm import edition, messages
from source_zoho_crm.catalog import CatalogError, load_catalog
from source_zoho_crm.check import check_access
from source_zoho_crm.config import SourceConfig, SourceConfigError, check_against_spec
from source_zoho_crm.discover import discover
from source_zoho_crm.failures import SyncFailed, describe
from source_zoho_crm.read_loop import Outcome, read
from source_zoho_crm.spec import CONNECTION_SPECIFICATION, specification
from source_zoho_crm.state import parse_state
from zoho_crm_client import ZohoClient, ZohoConfig, ZohoCRMError
from zoho_crm_client.config import CLIENT_KEYS, read_json_file, read_json_object, unknown_keys
from zoho_crm_client.errors import ConfigError
from zoho_crm_client.limits import DEFAULT_CONCURRENCY, EDITION_CONCURRENCY, edition_concurrency

# every top-level key something reads: the spec's and the client's own (zoho_crm_client.config.CLIENT_KEYS)
KNOWN_KEYS = frozenset(CONNECTION_SPECIFICATION["properties"]) | CLIENT_KEYS

# The client's settings are the user's (ZohoConfig.from_mapping) with what the source derived set as typed fields
# (an edition remembered in the state, a smaller in-flight cap), never written into a copy of the user's config.
ClientFactory = Callable[[ZohoConfig, logging.Logger], ZohoClient]


def zoho_client(config: ZohoConfig, logger: logging.Logger) -> ZohoClient:
    return ZohoClient(config, logger=logger)


def _workers(source_config: SourceConfig, client_config: ZohoConfig) -> int:
    """Streams read at once. The client's in-flight limiter is the real cap (docs/zoho-api.md section 11.4):
    without a configured limit or edition it learns the edition from GET org, so allow the largest."""
    if source_config.max_concurrent_requests:
        return source_config.max_concurrent_requests
    if client_config.edition:
        return edition_concurrency(client_config.edition)
    return max(EDITION_CONCURRENCY.values())


class SourceZohoCrm(Source):
    # The CDK's own spec check does not say which key is wrong; SourceConfig.from_mapping does (config.py).
    check_config_against_spec = False

    def __init__(self, client_factory: ClientFactory = zoho_client):
        self._client_factory = client_factory
        # Messages (error traces) emitted outside read; the CDK entrypoint prints them.
        self.message_repository = InMemoryMessageRepository()

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        return specification()

    @staticmethod
    def read_config(config_path: str) -> dict[str, Any]:
        """The config object; a file that is not JSON or not an object raises a ConfigError naming it
        (run.py reports it), where the CDK's reader ends in "Something went wrong in the connector"."""
        return read_json_object(config_path, "--config")

    @classmethod
    def read_state(cls, state_path: str) -> Any:
        """The raw JSON: state.parse_state accepts per-stream, global and legacy shapes; anything else is the
        user's file to fix (a ConfigError naming it)."""
        if not state_path:
            return None
        raw = read_json_file(state_path, "--state")
        if raw is not None and not isinstance(raw, (dict, list)):
            raise ConfigError(f"the --state file {state_path!r} holds neither a list of STATE messages nor an "
                              "object; pass the state a previous sync emitted, or no --state for a full sync")
        return raw

    @classmethod
    def read_catalog(cls, catalog_path: str) -> ConfiguredAirbyteCatalog | CatalogError:  # type: ignore[override]
        """A malformed catalog is handed to read() as its error, so it is reported like any other failure."""
        try:
            return load_catalog(read_json_file(catalog_path, "--catalog"))
        except (CatalogError, ConfigError) as exc:
            return CatalogError(str(exc))

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """Metadata and one module's records must work; optional features are probed (check.py)."""
        _warn_unknown_keys(config, logger)
        try:
            check_against_spec(dict(config))
            # a refused connection fails the check at once rather than after minutes of backoff
            client = self._client_factory(replace(ZohoConfig.from_mapping(config), retry_unreachable=False), logger)
            result = check_access(client, SourceConfig.from_mapping(dict(config)), config)
        except (ZohoCRMError, SourceConfigError) as exc:
            return AirbyteConnectionStatus(status=Status.FAILED, message=describe(exc)[0])
        if result.failure:
            return AirbyteConnectionStatus(status=Status.FAILED, message=result.failure)
        for warning in result.warnings:
            logger.warning(warning)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=result.message())

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        _warn_unknown_keys(config, logger)
        try:
            check_against_spec(dict(config))
            found = discover(self._client_factory(ZohoConfig.from_mapping(config), logger),
                             SourceConfig.from_mapping(dict(config)), logger)
        except (ZohoCRMError, SourceConfigError) as exc:
            self._fail(exc)
        for problem in found.problems:
            self.message_repository.emit_message(problem)
        return AirbyteCatalog(streams=[s.airbyte_stream() for s in found.streams])

    def read(self, logger: logging.Logger, config: Mapping[str, Any], catalog: ConfiguredAirbyteCatalog,
             state: Any = None) -> Iterator[AirbyteMessage]:
        states, now = parse_state(state), datetime.now(timezone.utc)
        yield from (messages.log(w, Level.WARN) for w in unknown_keys(config, KNOWN_KEYS))
        try:
            check_against_spec(dict(config))
            source_config = SourceConfig.from_mapping(dict(config))
            if isinstance(catalog, CatalogError):
                raise catalog
            # the in-flight limit's edition: configured, else remembered from an earlier sync, else asked of
            # GET org when this sync could use more calls than every edition allows (edition.py)
            client_config = ZohoConfig.from_mapping(config)
            needs_edition = not client_config.max_concurrent_requests and not client_config.edition
            known = edition.remembered(states, now) if needs_edition else None
            if known:
                client_config = replace(client_config, edition=known["name"])
            elif needs_edition and not edition.matters(catalog, source_config):
                client_config, needs_edition = replace(client_config, max_concurrent_requests=DEFAULT_CONCURRENCY), False
            client = self._client_factory(client_config, logger)
        except (ZohoCRMError, SourceConfigError, CatalogError) as exc:
            text, failure_type, internal = describe(exc)
            yield messages.error(text, failure_type, internal=internal)
            raise SyncFailed() from None
        if needs_edition and not known:
            known = edition.learned(client.edition(), now)
        outcome = Outcome()
        yield from read(client, source_config, catalog, states, _workers(source_config, client_config), outcome,
                        edition.state_keys(known))
        yield from self._closing(client, outcome)

    def _closing(self, client: ZohoClient, outcome: Outcome) -> Iterator[AirbyteMessage]:
        yield messages.log(f"Sync used {client.stats.calls} API calls and {client.stats.credits} credits")
        if outcome.refused:
            yield messages.log(f"Streams Zoho refused, reported incomplete: {', '.join(sorted(outcome.refused))}",
                               Level.WARN)
        if outcome.budget is not None:
            # docs/source.md: reaching the budget you set is not an error; the sync ends as a success, each
            # stream's state saved, and the next sync resumes from it
            yield messages.log(f"{outcome.budget} Every stream's progress up to here is saved in its state; the "
                               "next sync resumes from it.", Level.WARN)
        if outcome.failed:
            raise SyncFailed()

    def _fail(self, exc: ZohoCRMError | SourceConfigError) -> NoReturn:
        text, failure_type, internal = describe(exc)
        self.message_repository.emit_message(messages.error(text, failure_type, internal=internal))
        raise SyncFailed() from None


def _warn_unknown_keys(config: Mapping[str, Any], logger: logging.Logger) -> None:
    """A typo of a real key (`dc_regoin`) or a key of another tool (`sort_by`) is named, with the closest key."""
    for warning in unknown_keys(config, KNOWN_KEYS):
        logger.warning(warning)
