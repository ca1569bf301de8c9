"""Where each configured stream goes: module, default operation and matching keys, checked against metadata.

Resolution (docs/destination-operations.md): the module is the configured stream's `destination_object_name`,
else the `streams[].module` setting for that stream name, else the stream name itself; the default operation is
the `streams[].operation` setting, else the sync mode's (operations.py); the matching keys are the
`streams[].matching_keys` setting, else the configured stream's primary key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from airbyte_cdk.models import ConfiguredAirbyteStream

from destination_zoho_crm.config import DestinationConfig, StreamSettings
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.matching import duplicate_check_fields
from destination_zoho_crm.operations import (
    REQUIRED_PERMISSION,
    Operation,
    operation_for_sync_mode,
    unsupported,
)
from zoho_crm_client.models import FieldMeta, ModuleMeta

ID = "id"


@dataclass(frozen=True)
class StreamTarget:
    stream: str
    module: str
    operation: Operation
    matching_keys: tuple[str, ...] = ()


def resolve(configured_stream: ConfiguredAirbyteStream, config: DestinationConfig) -> StreamTarget:
    """The target of one `ConfiguredAirbyteStream`; refuses overwrite before anything else happens."""
    name = configured_stream.stream.name
    settings = config.streams.get(name) or StreamSettings(name=name)
    mode = _enum_value(configured_stream.destination_sync_mode)
    default = operation_for_sync_mode(name, mode)
    keys = settings.matching_keys or _primary_key(configured_stream.primary_key)
    operation = settings.operation or default
    if operation is Operation.UPSERT and keys == (ID,):
        operation = Operation.UPDATE  # matching on Zoho's own id is an update of an existing record
    module = configured_stream.destination_object_name or settings.module or name
    return StreamTarget(stream=name, module=module, operation=operation, matching_keys=keys)


def check_target(target: StreamTarget, modules: dict[str, ModuleMeta], fields: Iterable[FieldMeta]) -> None:
    """Refuse a target Zoho would refuse for every record: unknown module, missing permission, bad keys."""
    problem = module_problem(modules, target.module, target.operation)
    if problem:
        raise DestinationConfigError(f"Stream '{target.stream}': {problem}")
    allowed = duplicate_check_fields(modules[target.module], fields)
    bad = [k for k in target.matching_keys if k != ID and k not in allowed]
    if bad and target.operation is Operation.UPSERT:
        raise DestinationConfigError(
            f"Stream '{target.stream}': {', '.join(bad)} cannot be a matching key of '{target.module}'; Zoho "
            f"upserts only on unique fields: {', '.join(allowed) or 'none in this module'}."
        )


def module_problem(modules: dict[str, ModuleMeta], module: str, operation: Operation) -> str | None:
    """Why `operation` cannot work on `module` at all (docs/zoho-api.md 2.1), or None."""
    meta = modules.get(module)
    if meta is None or not meta.api_supported:
        known = ", ".join(sorted(m for m, meta in modules.items() if meta.api_supported and meta.creatable))
        return (f"the module '{module}' is not available through the API in this org; set the stream's "
                f"destination object (or streams[].module) to one of: {known}.")
    reason = unsupported(operation, module)
    if reason:
        return f"{reason}; choose another operation (or sync mode) for this stream."
    permission = REQUIRED_PERMISSION[operation]
    if not getattr(meta, permission):
        return (f"the module '{module}' is not {permission} for this Zoho user, so '{operation.value}' would fail; "
                "grant the permission in Zoho (Setup > Profiles) or change the stream's operation.")
    return None


def _primary_key(primary_key: list[list[str]] | None) -> tuple[str, ...]:
    # Only top-level columns can name a Zoho field; nested paths are not matching keys.
    return tuple(path[0] for path in primary_key or [] if len(path) == 1)


def _enum_value(value: Any) -> str:
    return getattr(value, "value", value)
