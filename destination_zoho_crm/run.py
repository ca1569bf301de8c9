"""Console script `destination-zoho-crm` (pyproject.toml)."""

from __future__ import annotations

import sys

from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from destination_zoho_crm.destination import DestinationZohoCrm
from zoho_crm_airbyte.failures import failure_type
from zoho_crm_client.errors import ConfigError


def run() -> None:
    try:
        DestinationZohoCrm().run(sys.argv[1:])
    except AirbyteTracedException as exc:
        # An expected failure (config, rejected records, Zoho refusal): its trace carries the user's message;
        # the CDK's uncaught-exception hook would add a traceback to the log for no benefit.
        exc.emit_message()
        sys.exit(1)
    except ConfigError as exc:
        # An unreadable --config file (DestinationZohoCrm.read_config): the user's to fix, in words.
        AirbyteTracedException(message=str(exc), internal_message="ConfigError",
                               failure_type=failure_type(exc)).emit_message()
        sys.exit(1)
