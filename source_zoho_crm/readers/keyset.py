"""A module stream's records over REST: the client's Modified_Time keyset, from the stream's cursor.

The client owns the paging (zoho_crm_client/paging.py `ModifiedTimeKeyset`): it starts a new query from the
last instant after every page, so rows shifted by people editing during the sync are not skipped, uses page and
page_token only inside one instant, drops rows the read already has, and asks for the next page while this one
is printed. The source only starts it from the saved position and follows it, page by page, into the state.
"""

from __future__ import annotations

from collections.abc import Iterator

from source_zoho_crm.cursor import Cursor
from zoho_crm_client import Page, ZohoClient


def keyset_pages(client: ZohoClient, module: str, fields: list[str], cursor: Cursor,
                 max_pages: int | None = None) -> Iterator[Page]:
    """Every page of new rows from the cursor, or the first `max_pages`; `cursor` follows each page."""
    # only the first page may hold nothing but rows already read (a no-change incremental sync)
    probe = cursor.value is not None
    if max_pages is None:  # windows side by side when the module is large (zoho_crm_client/windows.py)
        pages = client.module_pages(module, fields, cursor.position(), cursor.segments, probe_known=probe)
    else:  # a look at the first pages before choosing Bulk Read: one keyset
        pages = client.pages(module, fields, cursor.position(), probe_known=probe, max_pages=max_pages)
    try:
        for page in pages:
            cursor.take(page.position, page.segments)
            yield page
    finally:
        pages.close()
