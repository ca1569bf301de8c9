"""The configured catalog as read from --catalog: a malformed one is refused with what is wrong in it.

The CDK's own loader ends in "Something went wrong in the connector" with the reason hidden in the
internal message; the user should read which part of the catalog to fix.
"""

from __future__ import annotations

from typing import Any

from airbyte_cdk.models import ConfiguredAirbyteCatalog, ConfiguredAirbyteCatalogSerializer

from zoho_crm_client.errors import Fault


class CatalogError(ValueError):
    """The configured catalog cannot be read; the message says which part is wrong."""

    fault = Fault.USER_CONFIG


def load_catalog(raw: Any) -> ConfiguredAirbyteCatalog:
    if not isinstance(raw, dict) or not isinstance(raw.get("streams"), list):
        raise CatalogError("the configured catalog is not valid: 'streams' must be a list of configured streams")
    seen: set[str] = set()
    for index, entry in enumerate(raw["streams"]):
        stream = entry.get("stream") if isinstance(entry, dict) else None
        if not isinstance(stream, dict) or not isinstance(stream.get("name"), str) or not stream["name"]:
            raise CatalogError(f"the configured catalog is not valid: streams[{index}] has no stream name")
        name = stream["name"]
        if name in seen:
            # read twice, the stream's rows would be emitted twice and its STATEs interleaved
            raise CatalogError(f"the configured catalog lists the stream {name!r} twice (streams[{index}]); "
                               "list each stream once")
        seen.add(name)
        schema = stream.get("json_schema")
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if properties is not None and not isinstance(properties, dict):
            raise CatalogError(f"the configured catalog is not valid: streams[{index}] ({name}) has "
                               "json_schema.properties that is not an object of column name -> schema; run "
                               "discover again and select the stream's columns from its catalog")
    try:
        return ConfiguredAirbyteCatalogSerializer.load(raw)
    except Exception as exc:  # noqa: BLE001 - the serialiser's errors have no common base; say what it said
        raise CatalogError(f"the configured catalog is not valid: {exc}") from None
