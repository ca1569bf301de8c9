"""What happened to one input record: committed (with the Zoho id) or rejected (with Zoho's kind of reason)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """A reason in Zoho's own vocabulary (docs/zoho-api.md section 8: code, details.api_name, message)."""

    code: str
    message: str
    field: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """The result for one record; `source` says who decided: "zoho", "local" (validation) or "dry_run"."""

    ok: bool
    id: str | None = None
    action: str | None = None
    rejection: Rejection | None = None
    source: str = "zoho"
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def rejected(cls, rejection: Rejection, *, source: str = "zoho", record_id: str | None = None) -> Outcome:
        return cls(ok=False, id=record_id, rejection=rejection, source=source)
