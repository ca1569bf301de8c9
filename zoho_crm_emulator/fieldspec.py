"""One row of a module's field table, as metadata.py and modules_standard.py write them (expanded by
metadata.build_fields into Zoho's field-metadata shape)."""

from __future__ import annotations

from typing import Any


def f(api_name: str, data_type: str, **opts: Any) -> dict[str, Any]:
    """One row of a module's field table (expanded later)."""
    return {"api_name": api_name, "data_type": data_type, **opts}
