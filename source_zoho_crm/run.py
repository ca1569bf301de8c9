"""Console script `source-zoho-crm spec|check|discover|read`."""

from __future__ import annotations

import functools
import gc
import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import AirbyteMessage, ConnectorSpecification, Type
from airbyte_cdk.sources.connector_state_manager import HashableStreamDescriptor
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zoho_crm import messages
from source_zoho_crm.config import SourceConfigError, check_against_spec
from source_zoho_crm.failures import SyncFailed
from source_zoho_crm.source import SourceZohoCrm
from zoho_crm_airbyte.failures import failure_type
from zoho_crm_client import redact
from zoho_crm_client.errors import ConfigError


def is_record(line: str) -> bool:
    """A RECORD line is data and printed as is; every other line is masked (zoho_crm_client/redact.py)."""
    return line.startswith('{"type":"RECORD"')


# RECORD lines go out in one write per page (at most this many): two writes per record through the CDK's print
# buffer cost about as much CPU as building the record (docs/benchmarks.md, "Where the time goes").
RECORDS_PER_WRITE = 200


def print_lines(lines: Iterable[str]) -> None:
    """Print every line the entrypoint yields, in its order: RECORD lines as they are, gathered until the next
    other line (a page's records are followed by its STATE or progress LOG), every other line masked."""
    records: list[str] = []
    try:
        for line in lines:
            if is_record(line):
                records.append(line)
                if len(records) >= RECORDS_PER_WRITE:
                    _print_records(records)
            else:
                _print_records(records)
                print(f"{redact.mask_lines(line, is_record)}\n", end="")
    finally:
        _print_records(records)  # records read before a failure are still data


def _print_records(records: list[str]) -> None:
    if records:
        records.append("")  # the last line's newline
        print("\n".join(records), end="")
        records.clear()


class Entrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with a spec check whose message starts with the key to fix.

    The CDK validates the config before `check` whatever `check_config_against_spec` says, and its message
    quotes the bad value but not the key ("'Atlantis' is not one of [...]").
    """

    @staticmethod
    def handle_record_counts(message: AirbyteMessage,
                             stream_message_count: defaultdict[HashableStreamDescriptor, float]) -> AirbyteMessage:
        """The CDK's count of records per stream for each STATE's sourceStats, with one descriptor per stream: the
        CDK builds a new one for every RECORD, whose hashing and comparing cost more than the count itself."""
        record = message.record
        if message.type is Type.RECORD and record is not None:
            stream_message_count[_descriptor(record.stream, record.namespace)] += 1.0
            return message
        return AirbyteEntrypoint.handle_record_counts(message, stream_message_count)

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Any) -> None:
        try:
            check_against_spec(dict(config))
        except SourceConfigError as exc:
            raise AirbyteTracedException(message=str(exc), internal_message=str(exc),
                                         failure_type=failure_type(exc)) from None


@functools.cache
def _descriptor(name: str, namespace: str | None) -> HashableStreamDescriptor:
    return HashableStreamDescriptor(name=name, namespace=namespace)


def run() -> None:
    # The modules imported so far (the CDK, pydantic, serpyco-rs: about 100,000 objects) live as long as the
    # process: frozen, the collector stops walking them at every full collection that a read's pages trigger
    # (a tenth of a read's CPU; docs/benchmarks.md, "Where the time goes").
    gc.freeze()
    entrypoint = Entrypoint(SourceZohoCrm())
    redact.subscribe(add_to_secrets)  # the CDK's log and trace filter masks the tokens issued at run time too
    try:
        parsed = entrypoint.parse_args(sys.argv[1:])
        with PRINT_BUFFER:  # as airbyte_cdk.entrypoint.launch does
            print_lines(entrypoint.run(parsed))
    except SyncFailed:
        # The error trace that says what to fix is already on stdout; exit non-zero without a traceback.
        sys.exit(1)
    except ConfigError as exc:
        # An unreadable --config or --state file (SourceZohoCrm.read_config / read_state): the user's to fix.
        trace = messages.error(str(exc), failure_type(exc), internal="ConfigError")
        print(Entrypoint.airbyte_message_to_string(trace), flush=True)
        sys.exit(1)
