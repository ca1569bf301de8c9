"""The reader of the organisation streams (org_streams.py): one list, or one list per module, read whole.

Users is incremental on Modified_Time: Zoho's Get Users takes If-Modified-Since (docs/zoho-api/org.md), the
client sends it a second early and the cursor (cursor.py) keeps rows at or after the saved boundary, recognising
those already emitted by id. Zoho documents no order for the list, so the state is saved once the whole list is
read, as for deleted records. The other lists are small and full refresh.

Refusals (docs/zoho-api/scopes.md): a token without the list's scope, or a Zoho user whose profile may not read
it, ends the stream INCOMPLETE with a warning naming what to grant (failures.StreamRefused); the other streams go
on. An org without the feature (no Territory Management, no multi-currency) has an empty list: the stream
completes with no rows and says why. A module whose layouts or tags Zoho refuses is skipped with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from airbyte_cdk.models import Level

from source_zoho_crm import messages
from source_zoho_crm.cursor import Cursor
from source_zoho_crm.failures import StreamRefused
from source_zoho_crm.org_streams import ORG_STREAMS, USERS_CURSOR, OrgStream
from source_zoho_crm.stream_run import FULL_REFRESH_DONE, StreamRun, is_new
from zoho_crm_client import ZohoClient
from zoho_crm_client.errors import FeatureNotEnabled, ModuleNotSupported, PermissionError_, ScopeMissingError
from zoho_crm_client.models import Page


def read_org(client: ZohoClient, run: StreamRun) -> None:
    spec = ORG_STREAMS[run.stream.name]
    try:
        if spec.per_module:
            _read_per_module(client, run, spec)
        elif spec.cursor_field and run.incremental:
            _read_users_since(client, run)
        else:
            _read_whole(client, run, client.iter_org_list(spec.list_name))
    except ScopeMissingError as exc:
        raise StreamRefused(
            f"Stream {run.stream.name}: the refresh token lacks the OAuth scope {spec.scope} ({exc.code}); the other "
            f"streams go on and this one is reported incomplete. Create a refresh token that also grants "
            f"{spec.scope}, or deselect the stream.") from exc
    except PermissionError_ as exc:
        raise StreamRefused(
            f"Stream {run.stream.name}: the Zoho user's profile may not read it ({exc.code}: {exc}); the other "
            "streams go on and this one is reported incomplete. Give the user the permission in Zoho, or "
            "deselect the stream.") from exc


def _read_whole(client: ZohoClient, run: StreamRun, pages: Iterator[Page]) -> None:
    try:
        for page in pages:
            run.page_done(page.records, page, None)
    except FeatureNotEnabled as exc:
        run.emit([messages.log(f"Stream {run.stream.name}: this Zoho org does not have the feature ({exc.code}: "
                               f"{exc}); the stream has no rows", Level.INFO)])
    run.emit([run.checkpoint(FULL_REFRESH_DONE)])


def _read_users_since(client: ZohoClient, run: StreamRun) -> None:
    """Users modified at or after the saved boundary; start_datetime does not apply (a user table is whole)."""
    cursor = Cursor.from_state(USERS_CURSOR, run.state, None)
    for page in client.iter_org_list("users", since=cursor.floor):
        run.page_done([r for r in page.records if is_new(cursor, r, USERS_CURSOR)], page, None)
    run.emit([run.checkpoint(cursor.to_state() or dict(run.state))])


def _read_per_module(client: ZohoClient, run: StreamRun, spec: OrgStream) -> None:
    for module in modules_of(run):
        try:
            for page in client.iter_org_list(spec.list_name, module=module):
                run.page_done([{**row, "module": module} for row in page.records], page, None)
        except ModuleNotSupported as exc:
            run.emit([messages.log(f"Stream {run.stream.name}: Zoho has no {spec.list_name} for module {module} "
                                   f"({exc.code}: {exc}); skipped", Level.WARN)])
    run.emit([run.checkpoint(FULL_REFRESH_DONE)])


def modules_of(run: StreamRun) -> list[str]:
    """The modules discovery listed in the stream's `module` column (org_streams.OrgStream.definition)."""
    column: Any = run.stream.properties.get("module") or {}
    found = column.get("enum") if isinstance(column, dict) else None
    return [m for m in found if isinstance(m, str)] if isinstance(found, list) else []
