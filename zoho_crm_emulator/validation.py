"""Per-field checks of written values, by data type (docs/zoho-api.md sections 2.2 and 8).

`coerce` turns one JSON value into what a row stores, or raises `RecordError` carrying the per-record
error item Zoho would answer with (INVALID_DATA naming the field's api_name and json_path).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zoho_crm_emulator import metadata, timeutil

if TYPE_CHECKING:  # annotations only: no import cycle at run time
    from zoho_crm_emulator.models import Org

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STRING_TYPES = frozenset({"text", "email", "phone", "website", "textarea", "mediumtext", "picklist"})
NUMBER_TYPES = frozenset({"double", "decimal", "currency", "percent"})
LIST_TYPES = frozenset({"multiselectlookup", "multiuserlookup", "subform", "fileupload", "imageupload"})
INT32 = 2**31
ID_PATTERN = re.compile(r"^\d{1,19}$")


class RecordError(Exception):
    """One record's failure; `item()` is its entry in the `data` array of the answer."""

    def __init__(self, code: str, message: str, details: dict[str, Any]):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.details = code, message, details

    def item(self) -> dict[str, Any]:
        return {"code": self.code, "details": self.details, "message": self.message, "status": "error"}


def invalid(api_name: str, path: str, message: str = "invalid data", **extra: Any) -> RecordError:
    return RecordError("INVALID_DATA", message, {**extra, "api_name": api_name, "json_path": path})


def mandatory_missing(api_name: str, path: str) -> RecordError:
    return RecordError("MANDATORY_NOT_FOUND", "required field not found", {"api_name": api_name, "json_path": path})


def record_id(value: Any) -> str | None:
    """Ids arrive as strings or as 19-digit JSON numbers (section 0.1); never through a float."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    return value if isinstance(value, str) and ID_PATTERN.match(value) else None


def coerce(org: Org, field: dict[str, Any], value: Any, path: str) -> Any:
    """A written value -> its stored form, or RecordError. `Tag` (text holding a jsonarray) goes by its json_type."""
    if value is None:
        return None
    check = _tags if field.get("json_type") == "jsonarray" and field["data_type"] in STRING_TYPES else \
        _COERCERS.get(field["data_type"])
    return value if check is None else check(org, field, value, path)


TAG_NAME_LENGTH = 25  # Zoho's OAS v8 tags.json: Tag.name maxLength 25


def _tags(org: Org, field: dict[str, Any], value: Any, path: str) -> list[dict[str, Any]]:
    """`[{"name": ...}]` or `[{"id": ...}]` (the SDK's Record.set_tag sample; the id wins over the name on Add Tags).
    A new name becomes a new tag of the org; stored as records serve it, `{"name", "id", "color_code"}`."""
    if not isinstance(value, list):
        raise invalid(field["api_name"], path, expected_data_type="jsonarray")
    out = []
    for i, item in enumerate(value):
        tag = _tag(org, item)
        if tag is None:
            raise invalid(field["api_name"], f"{path}[{i}]", expected_data_type="jsonobject")
        if tag not in out:
            out.append(tag)
    return out


def _tag(org: Org, item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    tid, name = record_id(item.get("id")), item.get("name")
    if item.get("id") is not None:
        return next((dict(t) for t in org.tags.values() if t["id"] == tid), None)
    if not isinstance(name, str) or not name.strip() or len(name) > TAG_NAME_LENGTH:
        return None
    color = item.get("color_code")
    if color is not None and color not in metadata.TAG_COLORS:
        return None
    tag = org.tags.get(name.lower())
    if tag is None:
        tag = org.tags[name.lower()] = {"name": name, "id": metadata.tag_id(len(org.tags)), "color_code": color}
    return dict(tag)


def _integer(org: Org, field: dict[str, Any], value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= INT32:
        raise invalid(field["api_name"], path, expected_data_type="integer")
    return value


def _bigint(org: Org, field: dict[str, Any], value: Any, path: str) -> str:
    """Long Integer: a digit string (Insert Records: `"EAN_Code": "0012345600012"`) or a JSON number; stored and
    served as the string Zoho's metadata announces (`json_type: string`, docs/zoho-api/fields.md)."""
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value):
        return str(int(value))
    if isinstance(value, bool) or not isinstance(value, int) or len(str(abs(value))) > 18:
        raise invalid(field["api_name"], path, expected_data_type="bigint")
    return str(value)


def _number(org: Org, field: dict[str, Any], value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid(field["api_name"], path, expected_data_type="double")
    return float(value)


def _boolean(org: Org, field: dict[str, Any], value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field["api_name"], path, expected_data_type="boolean")
    return value


def _date(org: Org, field: dict[str, Any], value: Any, path: str) -> str:
    if not timeutil.is_date(value):
        raise invalid(field["api_name"], path, expected_data_type="date")
    return value


def _datetime(org: Org, field: dict[str, Any], value: Any, path: str) -> int:
    epoch = timeutil.parse_datetime(value) if isinstance(value, str) else None
    if epoch is None:
        raise invalid(field["api_name"], path, expected_data_type="datetime")
    return epoch


def _user(org: Org, field: dict[str, Any], value: Any, path: str) -> dict[str, Any]:
    """`{"id": ...}` or a bare id; `{"email": ...}` too, as Zoho's SDK sample sets Owner on insert."""
    if isinstance(value, dict) and value.get("id") is None and isinstance(value.get("email"), str):
        value = next((uid for uid, u in org.users.items() if u["email"].lower() == value["email"].lower()), "")
    user = org.user_ref(record_id(value.get("id") if isinstance(value, dict) else value) or "")
    if user is None:
        raise invalid(field["api_name"], path, "the id given seems to be invalid", expected_data_type="jsonobject")
    return user


def _array(org: Org, field: dict[str, Any], value: Any, path: str) -> list[Any]:
    """Subforms, multi-select lookups and files: stored as sent (docs/emulator.md)."""
    if not isinstance(value, list):
        raise invalid(field["api_name"], path, expected_data_type="jsonarray")
    return value


def _string(org: Org, field: dict[str, Any], value: Any, path: str) -> str:
    name = field["api_name"]
    if not isinstance(value, str):
        raise invalid(name, path, expected_data_type="string")
    if len(value) > field["length"]:
        raise invalid(name, path, maximum_length=field["length"])
    if field["data_type"] == "email" and value and not EMAIL.match(value):
        raise invalid(name, path, expected_data_type="email")
    if field["data_type"] == "picklist":
        allowed = [p["actual_value"] for p in field["pick_list_values"]]
        if value not in allowed:
            raise invalid(name, path, supported_values=allowed)
    return value


def _multi(org: Org, field: dict[str, Any], value: Any, path: str) -> list[str]:
    allowed = [p["actual_value"] for p in field["pick_list_values"]]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(field["api_name"], path, expected_data_type="jsonarray")
    bad = [v for v in value if v not in allowed]
    if bad:
        raise invalid(field["api_name"], path, supported_values=allowed)
    return list(dict.fromkeys(value))


def _lookup(org: Org, field: dict[str, Any], value: Any, path: str) -> dict[str, Any]:
    target_name = field["lookup"].get("module", {}).get("api_name")
    rid = record_id(value.get("id") if isinstance(value, dict) else value)
    target = org.modules.get(target_name)
    row = target.rows.get(rid) if target and rid else None
    if target is None or row is None:
        raise invalid(field["api_name"], path, "the related id given seems to be invalid")
    return target.ref(row)


_COERCERS = {
    **dict.fromkeys(STRING_TYPES, _string), "multiselectpicklist": _multi, "integer": _integer, "bigint": _bigint,
    **dict.fromkeys(NUMBER_TYPES, _number), "boolean": _boolean, "date": _date, "datetime": _datetime,
    "lookup": _lookup, "ownerlookup": _user, "userlookup": _user, **dict.fromkeys(LIST_TYPES, _array),
}
