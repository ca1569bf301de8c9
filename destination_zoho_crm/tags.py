"""The `add_tags` and `remove_tags` operations: a row's `id` and its `Tag` column (docs/destination-operations.md,
"Tags"; evidence in docs/zoho-api/tags.md).

`Tag` is what a warehouse holds for it: the source's own column (`[{"name", "id", "color_code"}]`), a list of
names, or a comma-separated text ("Hot, VIP"). Each tag is sent as Zoho's Add/Remove Tags pages take it: by `id`
when the row has one (the id "takes precedence over the name"), else by `name`, with `color_code` on add. Rows
are checked against the limits Zoho publishes before anything is sent: a name of at most 25 characters and a
colour from Zoho's list (crm-oas v8.0 tags.json `Tag`), so a bad tag rejects its own row, not its batch.
"""

from __future__ import annotations

import json
from typing import Any

from destination_zoho_crm.operations import Operation
from zoho_crm_client.models import WriteResult

TAG = "Tag"
NAME_LENGTH = 25  # crm-oas v8.0 tags.json: Tag.name maxLength
COLORS = frozenset({"#57B1FD", "#879BFC", "#658BA8", "#FD87BD", "#969696", "#F48435", "#1DB9B4", "#E7A826",
                    "#63C57E", "#F17574", "#D297EE", "#A8C026", "#B88562"})  # tags.json: Tag.color_code enum


def tag_list(value: Any, operation: Operation) -> list[dict[str, Any]] | WriteResult:
    """The tags of a row in the shape Zoho's tag actions take, or why the row cannot be sent."""
    items = _items(value)
    if not items:
        return WriteResult.refused("MANDATORY_NOT_FOUND", f"required field not found: {operation.value} needs the tags in the "
                         f"{TAG} column (names, or the objects the source emits)", TAG, {"api_name": TAG})
    out = []
    for i, item in enumerate(items):
        tag = _tag(item, operation)
        if isinstance(tag, str):
            return WriteResult.refused("INVALID_DATA", f"invalid data: {TAG}[{i}] {tag}", TAG,
                             {"api_name": TAG, "json_path": f"$.{TAG}[{i}]"})
        if tag not in out:
            out.append(tag)
    return out


def _items(value: Any) -> list[Any]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):  # a JSON array kept as text by the warehouse
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return parsed
        return [name.strip() for name in text.split(",") if name.strip()]
    return list(value) if isinstance(value, list) else []


def _tag(item: Any, operation: Operation) -> dict[str, Any] | str:
    """Zoho's object for one tag, or what is wrong with it."""
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict):
        return f"is {item!r:.40}, not a tag name or object"
    tag_id, name, color = item.get("id"), item.get("name"), item.get("color_code")
    if tag_id not in (None, ""):
        return {"id": str(tag_id)} if str(tag_id).isdigit() else f"has id {tag_id!r:.40}, not a Zoho id"
    if not isinstance(name, str) or not name.strip():
        return "has neither a name nor an id"
    if len(name) > NAME_LENGTH:
        return f"name {name[:40]!r} is longer than Zoho's {NAME_LENGTH} characters"
    if operation is Operation.ADD_TAGS and color not in (None, ""):
        if color not in COLORS:
            return f"color_code {color!r:.20} is not one of Zoho's tag colours ({', '.join(sorted(COLORS))})"
        return {"name": name, "color_code": color}
    return {"name": name}
