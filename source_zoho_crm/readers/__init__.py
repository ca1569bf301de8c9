"""The reader of each kind of stream: module streams (readers/modules.py), COQL and search streams."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from airbyte_cdk.models import Level

from source_zoho_crm import messages
from source_zoho_crm.dates import format_utc, require_datetime
from source_zoho_crm.readers import formulas as formula_refresh
from source_zoho_crm.readers.modules import read_module
from source_zoho_crm.readers.notes import read_notes
from source_zoho_crm.readers.org import read_org
from source_zoho_crm.readers.subforms import read_subform
from source_zoho_crm.stream_run import FULL_REFRESH_DONE, StreamRun
from source_zoho_crm.streams import Kind
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import SearchCeilingReached


def read_coql(client: ZohoClient, run: StreamRun) -> None:
    """Keyset pages on (cursor, id): the state is the last row's position, so nothing repeats or is skipped."""
    name = run.stream.cursor_field if run.incremental else None
    since = run.state.get(name) if name else None
    last_id = run.state.get("last_id") if name else None
    assert run.stream.query is not None  # a COQL stream is built with its query (streams.coql_stream)
    for page in client.iter_coql(run.stream.query, cursor_field=name, since=_as_literal(since), last_id=last_id):
        if name and page.records:
            since, last_id = _utc_if_datetime(page.cursor_max), page.last_id
        run.page_done(page.records, page, {name: since, "last_id": last_id} if name else None)
    run.emit([run.checkpoint({name: since, "last_id": last_id} if name else FULL_REFRESH_DONE)])


def _as_literal(value: Any) -> Any:
    """A saved UTC date-time goes back to the client as a datetime, which it writes as Zoho expects."""
    if isinstance(value, str) and "T" in value:
        try:
            return require_datetime(value)
        except ValueError:
            return value
    return value


def _utc_if_datetime(value: Any) -> Any:
    """State cursors are UTC (issue 4 item 9); a non-datetime cursor (a number, a name) is kept as is."""
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, str) and "T" in value:
        try:
            return format_utc(require_datetime(value))
        except ValueError:
            return value
    return value


def read_search(client: ZohoClient, run: StreamRun) -> None:
    """Every row the search matches, each once: past Zoho's 2,000-row ceiling the client reads the search again
    in Modified_Time ranges side by side (zoho_crm_client/search.py); wide selections are read in field groups.
    A search it cannot split (over 2,000 rows modified within one second, or a criteria with more than 8
    conditions) ends with the rows read and a warning that gives the reason and the COQL alternative, rather
    than failing the sync or stopping in silence."""
    assert run.stream.criteria is not None  # a search stream is built with its criteria (streams.search_stream)
    try:
        for page in client.search_pages(run.stream.module, run.stream.criteria, run.fields):
            run.page_done(page.records, page, None)
    except SearchCeilingReached as exc:
        run.emit([messages.log(f"Stream {run.stream.name}: not every row was read. {exc}", Level.WARN)])
    run.emit([run.checkpoint(FULL_REFRESH_DONE)])


# Modules Zoho does not read like the others: Notes have no deleted records and no If-Modified-Since
# or page_token (readers/notes.py).
OWN_READERS: dict[str, Callable[[Any, StreamRun], None]] = {"Notes": read_notes}


def read_module_stream(client: ZohoClient, run: StreamRun) -> None:
    refresh = formula_refresh.prepare(client, run)  # formula columns re-read every `formula_refresh` days
    OWN_READERS.get(run.stream.module, read_module)(client, run)
    if refresh is not None:
        refresh.run_refresh()


READERS: dict[Kind, Callable[[Any, StreamRun], None]] = {
    Kind.MODULE: read_module_stream, Kind.COQL: read_coql, Kind.SEARCH: read_search,
    Kind.SUBFORM: read_subform,
    Kind.ORG: read_org,
}
