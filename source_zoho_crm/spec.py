"""The connector specification: every config key of design.md, grouped and ordered for Airbyte's form.

Keys, enums and the `start_datetime` formats are those of the older Airbyte Zoho source so that its
configs work unchanged (its `edition` key is accepted too). `additionalProperties` stays true for that
reason and for the test-only `accounts_url`/`api_url` overrides.
"""

from __future__ import annotations

from typing import Any

from airbyte_cdk.models import ConnectorSpecification, ConnectorSpecificationSerializer

from zoho_crm_client.limits import EDITION_CONCURRENCY, EDITION_NAMES
from zoho_crm_client.regions import REGIONS as DATA_CENTRES

DOCS_URL = "https://docs.airbyte.com/integrations/sources/zoho-crm"
REGIONS = ["US", "EU", "IN", "AU", "CN", "JP", "CA", "SA"]
ENVIRONMENTS = ["Production", "Sandbox", "Developer"]


def _secret(title: str, description: str, order: int) -> dict[str, Any]:
    return {"type": "string", "title": title, "description": description, "airbyte_secret": True,
            "order": order, "group": "auth"}


AUTH = {
    "client_id": _secret("Client ID", "OAuth client ID of your Zoho self-client or server-based client "
                         "(api-console.zoho.com).", 0),
    "client_secret": _secret("Client Secret", "OAuth client secret of the same client.", 1),
    "refresh_token": _secret("Refresh Token", "A refresh token granted at least ZohoCRM.modules.READ and "
                             "ZohoCRM.settings.READ (or .ALL); COQL, search and Bulk Read need their own scopes "
                             "(see the docs).", 2),
    "dc_region": {"type": "string", "title": "Data Center Location", "enum": REGIONS, "default": "US",
                  "description": "The Zoho data centre of your account: the domain you log in at "
                                 "(zoho.com = US, zoho.eu = EU, zoho.in = IN, ...).", "order": 3, "group": "auth"},
    "environment": {"type": "string", "title": "Environment", "enum": ENVIRONMENTS, "default": "Production",
                    "description": "Which Zoho CRM environment to read.", "order": 4, "group": "auth"},
    "edition": {"type": "string", "title": "Zoho CRM Edition", "enum": list(EDITION_NAMES),
                "description": "Your Zoho CRM edition; sets how many requests may run at once when "
                               "max_concurrent_requests is not given.", "order": 5, "group": "auth"},
}

DATA = {
    "start_datetime": {
        "type": ["string", "null"], "title": "Start Date",
        "description": "Read records modified at or after this moment. A date or a date-time, with Z or an "
                       "offset (without one, UTC). Leave empty to read everything.",
        "examples": ["2000-01-01", "2000-01-01 13:00", "2000-01-01T13:00:00Z", "2000-01-01T13:00:00-07:00"],
        "order": 10, "group": "data"},
    "modules": {"type": "array", "items": {"type": "string"}, "title": "Modules",
                "description": "API names of the modules to offer as streams; leave empty for every module "
                               "the API supports, custom ones included.",
                "examples": [["Leads", "Contacts", "Deals", "Notes"]], "order": 11, "group": "data"},
    "include_deleted": {"type": "boolean", "title": "Include Deleted Records", "default": True,
                        "description": "Emit records deleted in Zoho as rows with _ab_cdc_deleted_at set, so "
                                       "deduplicating destinations remove them (one extra call per module).",
                        "order": 12, "group": "data"},
    "coql_streams": {
        "type": "array", "title": "COQL Streams", "order": 13, "group": "data",
        "description": "Extra streams defined by a COQL SELECT (without LIMIT/OFFSET). With a cursor field "
                       "they sync incrementally.",
        "items": {"type": "object", "required": ["name", "query"], "properties": {
            "name": {"type": "string", "title": "Stream Name", "examples": ["open_deals"]},
            "query": {"type": "string", "title": "Query",
                      "examples": ["select Deal_Name, Amount, Stage, Modified_Time from Deals where Stage != 'Closed Lost'"]},
            "cursor_field": {"type": "string", "title": "Cursor Field", "examples": ["Modified_Time"]},
            "primary_key": {"type": "array", "items": {"type": "string"}, "title": "Primary Key",
                            "default": ["id"]},
        }}},
    "search_streams": {
        "type": "array", "title": "Search Streams", "order": 14, "group": "data",
        "description": "Extra full-refresh streams defined by Zoho search criteria. Past Zoho's 2,000 rows per "
                       "search they are read in Modified_Time ranges, which takes 2 of the criteria's 10 "
                       "conditions: use at most 8, or a COQL stream.",
        "items": {"type": "object", "required": ["name", "module", "criteria"], "properties": {
            "name": {"type": "string", "title": "Stream Name", "examples": ["zylker_leads"]},
            "module": {"type": "string", "title": "Module", "examples": ["Leads"]},
            "criteria": {"type": "string", "title": "Criteria", "examples": ["(Company:equals:Zylker)"]},
        }}},
}

ADVANCED = {
    # No `maximum`: the upstream 0.x source accepted any positive value, and a saved config must stay valid
    # (docs/source-migrations.md). Above the edition's limit Zoho answers 429 and the client backs off.
    "max_concurrent_requests": {"type": "integer", "minimum": 1, "title": "Max Concurrent Requests",
                                "description": "Requests in flight at once; default from the edition ("
                                               + ", ".join(f"{name.title()} {limit}"
                                                           for name, limit in EDITION_CONCURRENCY.items())
                                               + "). A value above your edition's limit only earns 429 answers.",
                                "examples": [5], "order": 20, "group": "advanced"},
    "api_credit_budget": {"type": "integer", "minimum": 1, "title": "API Credit Budget",
                          "description": "Stop the sync cleanly, state saved, after spending this many API "
                                         "credits; the next sync resumes.", "examples": [10000],
                          "order": 21, "group": "advanced"},
    "bulk_read": {"type": "string", "enum": ["auto", "always", "never"], "default": "auto", "title": "Bulk Read",
                  "description": "Zoho's Bulk Read API for a module's first sync (Notes excepted): 50 credits "
                                 "per 200,000 rows, lookups as ids only. always: export every module first; "
                                 "auto: switch to it when a module still has rows after 10,000; never: REST.",
                  "order": 22, "group": "advanced"},
    "formula_refresh": {"type": "number", "minimum": 0, "title": "Formula Refresh (days)", "examples": [1, 7],
                        "description": "Zoho does not move Modified_Time when a formula field's value changes through "
                                       "Now()/Today() or a change elsewhere. Every this many days an incremental "
                                       "module stream re-reads only its formula columns (a call per 200 rows, or "
                                       "Bulk Read) and emits, whole, the rows whose formula values changed. Absent "
                                       "or 0: off. See docs/source.md \"Formula fields\".",
                        "order": 27, "group": "advanced"},
    # Test-only overrides (the emulator): hidden from Airbyte's form, still accepted in a config
    "accounts_url": {"type": "string", "title": "Accounts URL Override", "airbyte_hidden": True, "examples": ["https://accounts.zoho.eu"],
                     "description": "Only for testing or unusual deployments: overrides the data centre's "
                                    "accounts server.", "order": 23, "group": "advanced"},
    "api_url": {"type": "string", "title": "API URL Override", "airbyte_hidden": True, "examples": ["https://www.zohoapis.eu"],
                "description": "Only for testing or unusual deployments: overrides the API domain.",
                "order": 24, "group": "advanced"},
}

CONNECTION_SPECIFICATION: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Zoho CRM Source Spec",
    "type": "object",
    "required": ["client_id", "client_secret", "refresh_token"],  # region and environment have defaults
    "additionalProperties": True,
    "properties": {**AUTH, **DATA, **ADVANCED},
    "groups": [{"id": "auth", "title": "Authentication"}, {"id": "data", "title": "Data"},
               {"id": "advanced", "title": "Advanced"}],
}


def _path(key: str) -> dict[str, Any]:
    return {"type": "string", "path_in_connector_config": [key]}


# Declarative OAuth (Airbyte renders these templates; docs/zoho-api/oauth.md). The consent and the code exchange
# both go to the accounts server of the data centre the user picked, taken from the client's one region table:
# Zoho's multi-DC flow answers the consent with the user's `accounts-server`, which the token call must use,
# and a consent started at the user's own accounts server names that same server (CA: zohocloud.ca).
_ACCOUNTS = "{{ " + repr({name: dc.accounts for name, dc in DATA_CENTRES.items()}) + "[dc_region] }}"
# The scopes of the upstream connector's flow (a saved connection keeps working), plus what COQL streams, Bulk
# Read and the edition need; each optional one missing is only a warning (docs/source.md, "OAuth scopes").
OAUTH_SCOPES = ("ZohoCRM.settings.modules.READ", "ZohoCRM.settings.fields.READ", "ZohoCRM.modules.READ",
                "ZohoCRM.modules.custom.READ", "ZohoCRM.org.READ", "ZohoCRM.coql.READ", "ZohoCRM.bulk.READ")

ADVANCED_AUTH: dict[str, Any] = {
    "auth_flow_type": "oauth2.0",
    "oauth_config_specification": {
        "oauth_connector_input_specification": {
            "consent_url": f"{_ACCOUNTS}/oauth/v2/auth?response_type=code&access_type=offline&prompt=consent"
                           "&{{client_id_param}}&{{redirect_uri_param}}&{{scopes_param}}&{{state_param}}",
            "access_token_url": f"{_ACCOUNTS}/oauth/v2/token?grant_type=authorization_code&{{{{client_id_param}}}}"
                                "&{{client_secret_param}}&{{auth_code_param}}&{{redirect_uri_param}}",
            "scopes": [{"scope": scope} for scope in OAUTH_SCOPES],
            "scopes_join_strategy": "comma",
            "extract_output": ["refresh_token"],
        },
        "oauth_user_input_from_connector_config_specification": {
            "type": "object", "properties": {"dc_region": _path("dc_region"), "environment": _path("environment")}},
        "complete_oauth_output_specification": {
            "type": "object", "properties": {"refresh_token": _path("refresh_token")}},
        "complete_oauth_server_input_specification": {
            "type": "object", "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string"}}},
        "complete_oauth_server_output_specification": {
            "type": "object", "properties": {"client_id": _path("client_id"), "client_secret": _path("client_secret")}},
    },
}


def specification() -> ConnectorSpecification:
    return ConnectorSpecificationSerializer.load({
        "documentationUrl": DOCS_URL,
        "connectionSpecification": CONNECTION_SPECIFICATION,
        "supportsIncremental": True,
        "supported_destination_sync_modes": ["overwrite", "append", "append_dedup"],
        "advanced_auth": ADVANCED_AUTH,
    })
