"""The Airbyte destination: wiring only. spec.py, check.py, catalog.py and writer.py do the work.

The Python CDK's `Destination` knows spec, check and write; `discover` (the data-activation protocol's
DESTINATION_CATALOG message) is added here.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

import orjson
from airbyte_cdk.destinations import Destination
from airbyte_cdk.exception_handler import init_uncaught_exception_handler
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConnectorSpecification,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, get_secrets, update_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from destination_zoho_crm.catalog import build_catalog, catalog_message
from destination_zoho_crm.check import check_access
from destination_zoho_crm.config import MAX_PARALLEL_BATCHES, DestinationConfig
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.inputs import parse_messages, read_catalog
from destination_zoho_crm.spec import config_problem, specification
from destination_zoho_crm.writer import RejectedRecordsError, Writer
from zoho_crm_airbyte.failures import failure_type
from zoho_crm_client import ZohoClient, ZohoConfig, redact
from zoho_crm_client.config import CLIENT_KEYS, read_json_object, unknown_keys
from zoho_crm_client.errors import ZohoCRMError

logger = logging.getLogger("airbyte")


def make_client(config: Mapping[str, Any], *, parallel_batches: int = MAX_PARALLEL_BATCHES,
                for_check: bool = False) -> ZohoClient:
    """The client, its in-flight cap defaulting to the destination's own parallelism (`parallel_batches`): the
    client would otherwise spend a GET org on the edition, and every edition but Free allows 10 heavy calls
    (section 11.4). For `check`, a refused connection fails at once rather than after minutes of backoff.
    What is derived is set on the client's typed settings, not written into a copy of the user's config."""
    settings = ZohoConfig.from_mapping(config)
    if not settings.max_concurrent_requests and not settings.edition:
        settings = replace(settings, max_concurrent_requests=parallel_batches)
    if for_check:
        settings = replace(settings, retry_unreachable=False)
    return ZohoClient(settings, logger=logger)


def traced(exc: Exception) -> AirbyteTracedException:
    """A failure as an Airbyte error trace whose message is the one the user reads (never a secret), its type
    from the one mapping both connectors use (zoho_crm_airbyte/failures.py)."""
    return AirbyteTracedException(message=str(exc), internal_message=type(exc).__name__,
                                  failure_type=failure_type(exc), exception=exc)


def warn_unknown_keys(config: Mapping[str, Any]) -> None:
    """A typo of a real key or a key of another tool is named, with the closest known key (config.unknown_keys)."""
    known = set(specification().connectionSpecification["properties"]) | CLIENT_KEYS
    for warning in unknown_keys(config, known):
        logger.warning(warning)


class DestinationZohoCrm(Destination):
    VALID_CMDS = {"spec", "check", "discover", "write"}

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        return specification()

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        warn_unknown_keys(config)
        try:
            settings = DestinationConfig.from_mapping(config)
            client = make_client(config, parallel_batches=settings.max_parallel_batches, for_check=True)
            result = check_access(client, settings)
        except (ZohoCRMError, DestinationConfigError) as exc:
            return AirbyteConnectionStatus(status=Status.FAILED, message=str(exc))
        if result.failure:
            return AirbyteConnectionStatus(status=Status.FAILED, message=result.failure)
        for warning in result.warnings:
            logger.warning(warning)
        message = "Warnings: " + " | ".join(result.warnings) if result.warnings else None
        return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=message)

    def discover(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The DESTINATION_CATALOG message as a JSON-ready dict (the CDK's AirbyteMessage cannot carry it)."""
        warn_unknown_keys(config)
        try:
            client = make_client(config)
            return catalog_message(build_catalog(client.modules(), client.fields))
        except (ZohoCRMError, DestinationConfigError) as exc:
            raise traced(exc) from exc

    def write(self, config: Mapping[str, Any], configured_catalog: ConfiguredAirbyteCatalog,
              input_messages: Iterable[AirbyteMessage]) -> Iterator[AirbyteMessage]:
        warn_unknown_keys(config)
        try:
            settings = DestinationConfig.from_mapping(config)
            writer = Writer(make_client(config, parallel_batches=settings.max_parallel_batches), settings,
                            configured_catalog)
            yield from writer.write(input_messages)
        except (ZohoCRMError, DestinationConfigError, RejectedRecordsError) as exc:
            raise traced(exc) from exc

    def parse_args(self, args: list[str]) -> argparse.Namespace:
        if args[:1] == ["discover"]:
            parser = argparse.ArgumentParser(prog="destination-zoho-crm discover")
            parser.add_argument("--config", required=True, help="path to the JSON configuration file")
            parsed = parser.parse_args(args[1:])
            parsed.command = "discover"
            return parsed
        return super().parse_args(args)

    def run_cmd(self, parsed_args: argparse.Namespace) -> Iterable[AirbyteMessage]:
        """Check the config against the spec first, with a message that names the key (spec.config_problem)."""
        if parsed_args.command in ("check", "write"):
            problem = config_problem(self._config(parsed_args))
            if problem and parsed_args.command == "check":
                yield AirbyteMessage(type=Type.CONNECTION_STATUS, connectionStatus=AirbyteConnectionStatus(
                    status=Status.FAILED, message=problem))
                return
            if problem:
                raise AirbyteTracedException(message=problem, failure_type=FailureType.config_error)
        yield from super().run_cmd(parsed_args)

    def run(self, args: list[str]) -> None:
        """The CDK's run, with every line masked (zoho_crm_client/redact.py): a destination prints no records,
        and a report or trace may quote what a server echoed."""
        redact.subscribe(add_to_secrets)  # the CDK's own filter then masks the tokens issued at run time too
        init_uncaught_exception_handler(logger)
        if args[:1] != ["discover"]:
            for message in self.run_cmd(self.parse_args(args)):
                print(redact.mask(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode()))
            return
        config = self._config(self.parse_args(args))
        problem = config_problem(config)
        if problem:
            raise AirbyteTracedException(message=problem, failure_type=FailureType.config_error)
        print(redact.mask(json.dumps(self.discover(config))), flush=True)

    def _config(self, parsed_args: argparse.Namespace) -> Mapping[str, Any]:
        """Read the config and, as the CDK's run_cmd does, register its secrets with the log filter first."""
        config = self.read_config(config_path=parsed_args.config)
        update_secrets(get_secrets(self.spec(logger).connectionSpecification, config))
        return config

    def _parse_input_stream(self, input_stream: io.TextIOWrapper) -> Iterator[AirbyteMessage]:
        return parse_messages(input_stream)

    def _run_write(self, config: Mapping[str, Any], configured_catalog_path: str,
                   input_stream: io.TextIOWrapper) -> Iterable[AirbyteMessage]:
        """As the CDK's, with a catalog that is refused in words when malformed (inputs.read_catalog)."""
        try:
            catalog = read_catalog(configured_catalog_path)
        except (ZohoCRMError, DestinationConfigError) as exc:
            raise traced(exc) from exc
        yield from self.write(config=config, configured_catalog=catalog,
                              input_messages=self._parse_input_stream(input_stream))

    @staticmethod
    def read_config(config_path: str) -> dict[str, Any]:
        """The config object; a ConfigError names the file when it is not JSON or not an object (run.py)."""
        return read_json_object(config_path, "--config")
