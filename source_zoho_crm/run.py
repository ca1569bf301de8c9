"""Console script `source-zoho-crm spec|check|discover|read`."""

from __future__ import annotations

import sys
from typing import Any

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import ConnectorSpecification
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


class Entrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with a spec check whose message starts with the key to fix.

    The CDK validates the config before `check` whatever `check_config_against_spec` says, and its message
    quotes the bad value but not the key ("'Atlantis' is not one of [...]").
    """

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Any) -> None:
        try:
            check_against_spec(dict(config))
        except SourceConfigError as exc:
            raise AirbyteTracedException(message=str(exc), internal_message=str(exc),
                                         failure_type=failure_type(exc)) from None


def run() -> None:
    entrypoint = Entrypoint(SourceZohoCrm())
    redact.subscribe(add_to_secrets)  # the CDK's log and trace filter masks the tokens issued at run time too
    try:
        parsed = entrypoint.parse_args(sys.argv[1:])
        with PRINT_BUFFER:  # as airbyte_cdk.entrypoint.launch does
            for message in entrypoint.run(parsed):
                print(f"{redact.mask_lines(message, is_record)}\n", end="")
    except SyncFailed:
        # The error trace that says what to fix is already on stdout; exit non-zero without a traceback.
        sys.exit(1)
    except ConfigError as exc:
        # An unreadable --config or --state file (SourceZohoCrm.read_config / read_state): the user's to fix.
        trace = messages.error(str(exc), failure_type(exc), internal="ConfigError")
        print(Entrypoint.airbyte_message_to_string(trace), flush=True)
        sys.exit(1)
