"""One failure taxonomy (issue 13): every client exception names whose fault it is, and both connectors turn it
into the same Airbyte failure type (zoho_crm_airbyte/failures.py)."""

from __future__ import annotations

import pytest
from airbyte_cdk.models import FailureType

from destination_zoho_crm.destination import traced
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.writer import RejectedRecordsError
from source_zoho_crm.catalog import CatalogError
from source_zoho_crm.config import SourceConfigError
from source_zoho_crm.failures import describe
from zoho_crm_airbyte.failures import failure_type
from zoho_crm_client import errors


def every_subclass(cls: type) -> list[type]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in every_subclass(child))]


CLIENT_ERRORS = every_subclass(errors.ZohoCRMError)


def instance(cls: type[errors.ZohoCRMError]) -> errors.ZohoCRMError:
    return cls("usage", "bad") if cls is errors.UsageError else cls("it failed", status=500, code="X")


@pytest.mark.parametrize("cls", CLIENT_ERRORS, ids=lambda c: c.__name__)
def test_given_a_client_exception_when_either_connector_reports_it_then_the_failure_type_is_the_same(cls) -> None:
    exc = instance(cls)
    assert isinstance(cls.fault, errors.Fault)
    assert describe(exc)[1] == traced(exc).failure_type == failure_type(exc)


@pytest.mark.parametrize(("exc", "expected"), [
    (errors.ServerError("5xx after every retry"), FailureType.transient_error),
    (errors.InvalidResponseError("an HTML page"), FailureType.transient_error),
    (errors.RateLimitError("429"), FailureType.transient_error),
    (errors.CreditBudgetExhausted("budget"), FailureType.transient_error),
    (errors.AuthError("invalid_code"), FailureType.config_error),
    (errors.ScopeMissingError("scope"), FailureType.config_error),
    (errors.PermissionError_("profile"), FailureType.config_error),
    (errors.CoqlError("syntax"), FailureType.config_error),
    (errors.RequestError("a 4xx we caused"), FailureType.system_error),
    (SourceConfigError("key"), FailureType.config_error),
    (CatalogError("catalog"), FailureType.config_error),
    (DestinationConfigError("key"), FailureType.config_error),
    (RejectedRecordsError("3 rejected"), FailureType.config_error),
    (KeyError("unforeseen"), FailureType.system_error),
])
def test_given_a_failure_when_mapped_then_whose_fault_it_is_decides_the_type(exc, expected) -> None:
    assert failure_type(exc) == expected
