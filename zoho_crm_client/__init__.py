"""Zoho CRM REST client shared by the source and the destination: regions, OAuth, transport, limits, paging;
and `ZohoCRM`, each Zoho CRM action as one call (docs/actions.md)."""

from __future__ import annotations

from zoho_crm_client.actions import ZohoCRM
from zoho_crm_client.client import ZohoClient
from zoho_crm_client.config import ZohoConfig
from zoho_crm_client.coql import parse_query
from zoho_crm_client.errors import (
    AmbiguousWriteError,
    AuthError,
    ConfigError,
    CoqlError,
    CreditBudgetExhausted,
    CriteriaError,
    InvalidResponseError,
    ModuleNotSupported,
    PageTokenExpired,
    PaginationLimitExceeded,
    PermissionError_,
    RateLimitError,
    RequestError,
    ScopeMissingError,
    SearchCeilingReached,
    ServerError,
    UsageError,
    ZohoCRMError,
)
from zoho_crm_client.limits import CallStats
from zoho_crm_client.models import (
    FieldMeta,
    ModuleMeta,
    Page,
    Position,
    WriteResult,
    converted_ids,
    note_parent,
)
from zoho_crm_client.schema import field_schema, record_schema
from zoho_crm_client.search import criterion, escape_criteria_value

__all__ = [
    "AmbiguousWriteError", "AuthError", "CallStats", "CoqlError", "ConfigError", "CreditBudgetExhausted",
    "CriteriaError", "FieldMeta", "InvalidResponseError", "ModuleMeta", "ModuleNotSupported",
    "Page", "PageTokenExpired", "PaginationLimitExceeded", "Position",
    "PermissionError_", "RateLimitError", "RequestError", "ScopeMissingError", "SearchCeilingReached", "ServerError", "UsageError",
    "WriteResult", "ZohoCRM", "ZohoCRMError", "ZohoClient", "ZohoConfig", "converted_ids", "criterion",
    "escape_criteria_value", "field_schema",
    "note_parent", "parse_query", "record_schema",
]
