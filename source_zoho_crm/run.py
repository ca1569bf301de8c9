"""Console script `source-zoho-crm spec|check|discover|read`."""

from __future__ import annotations

import sys

from airbyte_cdk.entrypoint import launch

from source_zoho_crm.failures import SyncFailed
from source_zoho_crm.source import SourceZohoCrm


def run() -> None:
    try:
        launch(SourceZohoCrm(), sys.argv[1:])
    except SyncFailed:
        # The error trace that says what to fix is already on stdout; exit non-zero without a traceback.
        sys.exit(1)
