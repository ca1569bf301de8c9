"""THE check of a config against a connector's spec, for both connectors: one message shape, key first.

`{key path}: {what is wrong}` (`dc_region: 'Atlantis' is not one of ['US', ...]`, `streams.0.operation: 'merge'
is not one of [...]`), or `config: {message}` for a rule of the whole object (a missing required key, which
jsonschema's message names). A secret's value is never quoted. The CDK's own check says "'Atlantis' is not one
of [...]" without the key, and quotes any value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft7Validator

from zoho_crm_client.config import canonical_spelling


def config_problem(config: Mapping[str, Any], spec: Mapping[str, Any]) -> str | None:
    """The first way `config` breaks `spec` (a `connectionSpecification`), or None. Enum values spelled in another
    case pass (canonical_spelling): the client reads them in any case."""
    properties = spec.get("properties") or {}
    config = canonical_spelling(config, properties)
    error = min(Draft7Validator(spec).iter_errors(config), key=lambda e: list(map(str, e.absolute_path)),
                default=None)
    if error is None:
        return None
    path = ".".join(str(p) for p in error.absolute_path)
    if not path:
        return f"config: {error.message}"
    if (properties.get(str(error.absolute_path[0])) or {}).get("airbyte_secret"):
        return f"{path}: must be a non-empty {error.schema.get('type', 'value')}"
    return f"{path}: {error.message}"
