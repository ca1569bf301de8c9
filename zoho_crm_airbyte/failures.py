"""Whose fault a failure is (zoho_crm_client.errors.Fault), as Airbyte's failure type: THE one mapping, so the
source's and the destination's error traces agree for the same exception.

Airbyte's types (airbyte_cdk.models.FailureType): `config_error` the user must change something before a rerun
can pass, `transient_error` a rerun later may pass as it is, `system_error` a fault in the connector. The user's
data counts as the user's to fix: Airbyte has no type of its own for it.
"""

from __future__ import annotations

from airbyte_cdk.models import FailureType

from zoho_crm_client.errors import Fault

FAILURE_TYPES: dict[Fault, FailureType] = {
    Fault.USER_CONFIG: FailureType.config_error,
    Fault.USER_DATA: FailureType.config_error,
    Fault.TRANSIENT: FailureType.transient_error,
    Fault.OURS: FailureType.system_error,
}


def fault_of(exc: BaseException) -> Fault:
    """The `fault` an exception class declares (the client's errors, each connector's config errors); anything
    else, an exception nobody foresaw, is ours."""
    fault = getattr(exc, "fault", None)
    return fault if isinstance(fault, Fault) else Fault.OURS


def failure_type(exc: BaseException) -> FailureType:
    return FAILURE_TYPES[fault_of(exc)]
