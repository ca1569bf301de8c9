"""The connector specification: the source's auth and region keys (design.md) plus the write settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airbyte_cdk.models import ConnectorSpecification, DestinationSyncMode

from destination_zoho_crm.config import MAX_PARALLEL_BATCHES, ON_REJECTED, TRIGGERS
from destination_zoho_crm.operations import SYNC_MODE_OPERATION, Operation
from zoho_crm_airbyte.spec_check import config_problem as spec_problem
from zoho_crm_client.limits import EDITION_NAMES

DOCS_URL = "https://docs.airbyte.com/integrations/destinations/zoho-crm"

AUTH_PROPERTIES: dict[str, Any] = {
    "client_id": {"type": "string", "title": "Client ID", "airbyte_secret": True, "order": 0,
                  "description": "OAuth client ID from the Zoho API console (api-console.zoho.com)."},
    "client_secret": {"type": "string", "title": "Client Secret", "airbyte_secret": True, "order": 1,
                      "description": "OAuth client secret from the Zoho API console."},
    "refresh_token": {"type": "string", "title": "Refresh Token", "airbyte_secret": True, "order": 2,
                      "description": "Refresh token with ZohoCRM.modules.ALL and ZohoCRM.settings.ALL (or "
                                     "settings.modules.READ and settings.fields.READ); ZohoCRM.org.READ optional."},
    "dc_region": {"type": "string", "title": "Data Center", "order": 3, "default": "US",
                  "enum": ["US", "EU", "IN", "AU", "CN", "JP", "CA", "SA"],
                  "description": "The data centre of your Zoho account (the domain you log in at)."},
    "environment": {"type": "string", "title": "Environment", "order": 4, "default": "Production",
                    "enum": ["Production", "Sandbox", "Developer"]},
    # Test-only overrides (the emulator) and files on the connector's disk: hidden from Airbyte's form
    "accounts_url": {"type": "string", "title": "Accounts URL override", "order": 5, "airbyte_hidden": True,
                     "description": "Only for testing: the OAuth server to use instead of the data centre's."},
    "api_url": {"type": "string", "title": "API URL override", "order": 6, "airbyte_hidden": True,
                "description": "Only for testing: the API domain to use instead of the data centre's."},
}

# Read by the client (zoho_crm_client.ZohoConfig); listed so the UI offers them.
CLIENT_PROPERTIES: dict[str, Any] = {
    "edition": {"type": "string", "title": "Zoho CRM edition", "order": 13,
                "enum": list(EDITION_NAMES),
                "description": "Sets the calls in flight from Zoho's table. Default: the parallel batches below "
                               "(Free allows only 5 calls in flight: choose Free, or 5 parallel batches)."},
    "max_concurrent_requests": {"type": "integer", "title": "Max concurrent requests", "order": 14, "minimum": 1,
                                "description": "Overrides the calls in flight the edition allows."},
    "api_credit_budget": {"type": "integer", "title": "API credit budget", "order": 15, "minimum": 1,
                          "description": "Stop cleanly before this sync spends more credits."},
}

STREAM_SETTING: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "title": "Stream name", "description": "The incoming stream's name."},
        "module": {"type": "string", "title": "Zoho module",
                   "description": "Target module api_name (Leads, Deals, Notes, CustomModule1, ...). Default: "
                                  "the stream's destination object, else the stream name."},
        "operation": {"type": "string", "title": "Default operation", "enum": [op.value for op in Operation],
                      "description": "Default: from the sync mode ("
                                     + ", ".join(f"{m} -> {o.value}" for m, o in SYNC_MODE_OPERATION.items())
                                     + "). A record's _zoho_operation column overrides it."},
        "matching_keys": {"type": "array", "items": {"type": "string"}, "title": "Matching keys",
                          "description": "Upsert: the unique fields to match on (duplicate_check_fields). "
                                         "Default: the stream's primary key, else Zoho's own order."},
    },
}

WRITE_PROPERTIES: dict[str, Any] = {
    "streams": {"type": "array", "title": "Per-stream settings", "order": 7, "items": STREAM_SETTING},
    "trigger": {"type": "array", "title": "Automation to run", "order": 8, "uniqueItems": True, "default": [],
                "items": {"type": "string", "enum": list(TRIGGERS)},
                "description": "Zoho automation the writes may trigger. Default: none."},
    "dry_run": {"type": "boolean", "title": "Dry run", "order": 9, "default": False,
                "description": "Validate and report what would be written; write nothing and emit no state."},
    "on_rejected": {"type": "string", "title": "When records are rejected", "order": 10, "default": "fail",
                    "enum": list(ON_REJECTED),
                    "description": "fail: commit every good record, then end the sync failed with the count and "
                                   "the first reasons. report: only report rejections."},
    "reject_file": {"type": "string", "title": "Reject file", "order": 11, "airbyte_hidden": True,
                    "description": "Optional path of a JSONL file to append each rejected record and its reason."},
    "results_file": {"type": "string", "title": "Results file", "order": 12, "airbyte_hidden": True,
                     "description": "Optional path of a JSONL file to append the new id of each record a create, "
                                    "upsert, clone or convert made, with its stream and position."},
    "max_parallel_batches": {"type": "integer", "title": "Parallel batches", "order": 13, "minimum": 1,
                             "maximum": MAX_PARALLEL_BATCHES, "default": MAX_PARALLEL_BATCHES,
                             "description": "Write calls in flight at once (Zoho allows 10 heavy calls)."},
}


def specification() -> ConnectorSpecification:
    return ConnectorSpecification(
        documentationUrl=DOCS_URL,
        supported_destination_sync_modes=[DestinationSyncMode(m) for m in SYNC_MODE_OPERATION],
        connectionSpecification={
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Zoho CRM Destination Spec",
            "type": "object",
            "required": ["client_id", "client_secret", "refresh_token"],
            "additionalProperties": True,
            "properties": {**AUTH_PROPERTIES, **WRITE_PROPERTIES, **CLIENT_PROPERTIES},
        },
    )


def config_problem(config: Mapping[str, Any]) -> str | None:
    """The first way `config` breaks the spec, naming the key (the check both connectors share)."""
    return spec_problem(config, specification().connectionSpecification)
