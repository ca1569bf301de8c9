"""Search, COQL and Bulk Read: thin wiring to criteria.py, coql.py and bulk.py (written separately).

Those modules own the query languages; this file only adapts their `(status, body)` answers and prices
the calls (section 11.3). Until one of them exists its routes answer 404 INVALID_URL_PATTERN.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import exceptions
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.wire import Request, Response

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.app import App

LIMIT = re.compile(r"\blimit\s+(?:\d+\s*,\s*)?(\d+)", re.IGNORECASE)
BULK_CREATE_COST = 50  # UNCONFIRMED in Zoho's docs; the emulator's choice (section 11.3)


def _load(name: str) -> ModuleType:
    try:
        return importlib.import_module(f"zoho_crm_emulator.{name}")
    except ModuleNotFoundError as err:
        if err.name == f"zoho_crm_emulator.{name}":
            raise exceptions.invalid_url() from None
        raise


def _answer(status: int, body: Any, content_type: str | None = None) -> Response:
    if isinstance(body, bytes):
        return Response(status, body, content_type=content_type or "application/zip")
    return Response(status, body)


def search(app: App, req: Request) -> Response:
    criteria = _load("criteria")
    return _answer(*criteria.handle_search(app.org, req.params["module"], dict(req.query), req.version))


def coql(app: App, req: Request) -> Response:
    engine = _load("coql")
    body = req.json()
    if not isinstance(body, dict):
        raise ZohoError(400, "MANDATORY_NOT_FOUND", "mandatory key not found", {"api_name": "select_query"})
    return _answer(*engine.handle_coql(app.org, body, req.version))


def coql_cost(req: Request) -> int:
    """COQL credits by LIMIT tier: 1-200 -> 1, 201-1000 -> 2, above -> 3 (section 7); default LIMIT 200."""
    try:
        body = req.json()
    except ZohoError:
        return 1
    query = body.get("select_query", "") if isinstance(body, dict) else ""
    match = LIMIT.search(query) if isinstance(query, str) else None
    limit = int(match.group(1)) if match else 200
    return 1 if limit <= 200 else 2 if limit <= 1000 else 3


def bulk_create(app: App, req: Request) -> Response:
    bulk = _load("bulk")
    if "application/json" not in (req.header("Content-Type") or ""):
        raise ZohoError(415, "MEDIA_TYPE_NOT_SUPPORTED", "the media type is not supported")
    body = req.json()
    if not isinstance(body, dict):
        raise exceptions.invalid_data("invalid data", json_path="$")
    return _answer(*bulk.handle_create_read_job(app.org, body, app.base_url))


def bulk_status(app: App, req: Request) -> Response:
    return _answer(*_load("bulk").handle_job_status(app.org, req.params["job_id"]))


def bulk_download(app: App, req: Request) -> Response:
    return _answer(*_load("bulk").handle_download(app.org, req.params["job_id"]))
