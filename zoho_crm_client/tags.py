"""Add tags to records and remove them (docs/zoho-api/tags.md): POST {module}/actions/add_tags|remove_tags.

One call names one list of tags and up to 500 record ids ("You can specify a maximum of 500 records IDs", Zoho's
v8 Add Tags and Remove Tags pages), so records asking for the same tags share a call. Zoho answers one result per
id with `details.id`; they are matched back to the caller's records by that id (in input order among repeats),
so every input gets one WriteResult at its own index, as writes.py does for record writes. Adding a tag a record
already has, or removing one it lacks, leaves it as it was: both calls are safe to resend after a timeout.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Sequence
from typing import Any

from zoho_crm_client.errors import RequestError
from zoho_crm_client.models import WriteResult
from zoho_crm_client.paths import INVALID_ID, InvalidIdentifier, module_name, record_id
from zoho_crm_client.transport import Call, Transport
from zoho_crm_client.writes import _request_failed

IDS_PER_CALL = 500
ACTIONS = ("add_tags", "remove_tags")
TagItem = tuple[Any, Sequence[dict[str, Any]]]  # (record id, tags as [{"name"} or {"id"}, ...])


class TagWriter:
    def __init__(self, transport: Transport):
        self._transport = transport

    def tag(self, module: str, action: str, items: Sequence[TagItem], *, over_write: bool = False
            ) -> list[WriteResult]:
        """One WriteResult per item, in input order. `over_write` (add only) replaces the records' tags."""
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, not {action!r}")
        module = module_name(module)
        results: dict[int, WriteResult] = {}
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        tags_of: dict[str, list[dict[str, Any]]] = {}
        for index, (raw_id, tags) in enumerate(items):
            try:
                rid = record_id(raw_id)
            except InvalidIdentifier as exc:
                results[index] = WriteResult(index, False, INVALID_ID, exc.message, field="id")
                continue
            key = json.dumps(list(tags), sort_keys=True)
            tags_of[key] = list(tags)
            groups[key].append((index, rid))
        for key, members in groups.items():
            for start in range(0, len(members), IDS_PER_CALL):
                chunk = members[start:start + IDS_PER_CALL]
                for result in self._send(module, action, tags_of[key], chunk, over_write):
                    results[result.index] = result
        return [results[i] for i in sorted(results)]

    def _send(self, module: str, action: str, tags: list[dict[str, Any]], chunk: list[tuple[int, str]],
              over_write: bool) -> list[WriteResult]:
        body: dict[str, Any] = {"tags": tags, "ids": [rid for _, rid in chunk]}
        if action == "add_tags":
            body["over_write"] = over_write
        call = Call.to("POST", f"/crm/v8/{{module}}/actions/{action}", {"module": module}, json=body)
        try:
            resp = self._transport.request(call)
        except RequestError as exc:
            failed = _request_failed(exc, 0, len(chunk))
            for result, (index, _) in zip(failed, chunk, strict=True):
                result.index = index
            return failed
        data = resp.body.get("data") if isinstance(resp.body, dict) else None
        return _matched(data if isinstance(data, list) else [], chunk)


def _matched(data: list[Any], chunk: list[tuple[int, str]]) -> list[WriteResult]:
    """Zoho's results by `details.id`; one without an id takes the place of its position; a record Zoho said
    nothing about is reported as such."""
    by_id: dict[str, deque[Any]] = defaultdict(deque)
    for position, item in enumerate(data):
        details = item.get("details") if isinstance(item, dict) else None
        rid = details.get("id") if isinstance(details, dict) else None
        by_id[str(rid) if rid is not None else f"#{position}"].append(item)
    out = []
    for position, (index, rid) in enumerate(chunk):
        queue = by_id.get(rid) or by_id.get(f"#{position}")
        if queue:
            result = WriteResult.from_item(index, queue.popleft())
            result.id = result.id or rid
        else:
            result = WriteResult(index, False, "NO_RESULT", "Zoho returned no result for this record", id=rid)
        out.append(result)
    return out
