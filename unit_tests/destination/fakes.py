"""Builders for destination unit tests: field and module metadata, and an in-memory client with the facade's
write methods. The real client is exercised by the integration tests against the emulator; this fake only
stands in for it so the destination's own logic (validation, batching, ordering, reporting) is tested alone.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    ConfiguredAirbyteCatalogSerializer,
    StreamDescriptor,
    Type,
)

from zoho_crm_client.errors import AmbiguousWriteError
from zoho_crm_client.limits import CallStats
from zoho_crm_client.models import FieldMeta, ModuleMeta, WriteResult


def field(api_name: str, data_type: str = "text", **raw: Any) -> FieldMeta:
    return FieldMeta.from_json({"api_name": api_name, "data_type": data_type, **raw})


def picklist(api_name: str, *values: str, data_type: str = "picklist") -> FieldMeta:
    return field(api_name, data_type, pick_list_values=[{"actual_value": v, "display_value": v} for v in values])


def module(api_name: str, **raw: Any) -> ModuleMeta:
    flags = {"api_supported": True, "creatable": True, "editable": True, "deletable": True}
    return ModuleMeta.from_json({"api_name": api_name, **flags, **raw})


LEAD_FIELDS = [
    field("Last_Name", system_mandatory=True, length=80),
    field("First_Name"),
    field("Email", "email", unique={"casesensitive": False}),
    field("Company"),
    field("No_of_Employees", "integer"),
    field("Annual_Revenue", "currency"),
    field("Email_Opt_Out", "boolean"),
    field("Date_of_Birth", "date"),
    field("Last_Activity_Time", "datetime"),
    picklist("Lead_Status", "New", "Contacted", "Qualified"),
    picklist("Languages_Known", "English", "German", data_type="multiselectpicklist"),
    field("Owner", "ownerlookup"),
    field("Created_Time", "datetime", read_only=True),
    field("Full_Name", "text", operation_type={"api_create": False, "api_update": False}),
]
DEAL_FIELDS = [field("Deal_Name", system_mandatory=True), picklist("Stage", "Qualification", "Closed Won"),
               field("Closing_Date", "date"), field("Amount", "currency")]
NOTE_FIELDS = [field("Note_Title"), field("Note_Content", "textarea", system_mandatory=True),
               field("Parent_Id", "lookup")]
FIELDS = {"Leads": LEAD_FIELDS, "Contacts": LEAD_FIELDS, "Deals": DEAL_FIELDS, "Notes": NOTE_FIELDS,
          "Home": [], "Custom_Module1": [field("Name", system_mandatory=True)]}
MODULES = [module("Leads", convertable=True), module("Contacts"), module("Deals"),
           module("Notes", status="system_hidden"), module("Custom_Module1", generated_type="custom"),
           module("Home", api_supported=False, creatable=False, editable=False, deletable=False),
           module("Readonly_Module", creatable=False, editable=False, deletable=False)]


class FakeClient:
    """The facade methods the destination calls. Records live in `store[module][id]`; upsert matches on
    the duplicate-check fields; `reject` maps a field value to a Zoho error code for that record."""

    def __init__(self, *, reject: dict[str, str] | None = None, ambiguous_ops: set[str] | None = None):
        self.store: dict[str, dict[str, dict[str, Any]]] = {}
        self.calls: list[tuple[str, str, int]] = []
        self.reject = reject or {}
        self.ambiguous_ops = ambiguous_ops or set()
        self.converted: set[str] = set()
        self._ids = itertools.count(5725767000000524157)
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.stats = CallStats()

    # metadata
    def current_user(self) -> dict[str, Any]:
        return {"id": "1", "email": "admin@example.com"}

    def modules(self) -> list[ModuleMeta]:
        return MODULES

    def probe(self, feature: str, module: str) -> Any:
        """zoho_crm_client.access: the refusal a scope probe met; this fake grants every scope."""
        return None

    def edition(self) -> str | None:
        return "enterprise"

    def fields(self, module: str) -> list[FieldMeta]:
        return FIELDS.get(module, [])

    # writes
    def insert(self, module: str, records: list[dict[str, Any]], *, trigger=()) -> list[WriteResult]:
        return self._write("insert", module, records, lambda i, r: self._create(module, i, r))

    def update(self, module: str, records: list[dict[str, Any]], *, trigger=()) -> list[WriteResult]:
        return self._write("update", module, records, lambda i, r: self._update(module, i, r))

    def upsert(self, module: str, records: list[dict[str, Any]], *, duplicate_check_fields=None,
               trigger=()) -> list[WriteResult]:
        keys = duplicate_check_fields or ["Email"]
        return self._write("upsert", module, records, lambda i, r: self._upsert(module, i, r, keys))

    def delete(self, module: str, ids: list[str], *, wf_trigger=False) -> list[WriteResult]:
        return self._write("delete", module, ids, lambda i, rid: self._delete(module, i, rid))

    def convert_lead(self, lead_id: str, body: dict[str, Any]) -> WriteResult:
        def convert(i: int, _: Any) -> WriteResult:
            if lead_id in self.converted:
                return WriteResult(i, False, "ID_ALREADY_CONVERTED", "id already converted")
            self.converted.add(lead_id)
            return WriteResult(i, True, "SUCCESS", details={"Contacts": {"id": self._new_id()}})
        return self._write("convert", "Leads", [body], convert)[0]

    def clone(self, module: str, record_id: str, overrides: dict[str, Any] | None = None) -> WriteResult:
        source = self.store.get(module, {}).get(record_id)
        if source is None:
            return self._write("clone", module, [None], lambda i, _: WriteResult(i, False, "INVALID_DATA", "bad id"))[0]
        return self._write("clone", module, [overrides], lambda i, _: self._create(module, i, {
            **{k: v for k, v in source.items() if k != "id"}, **(overrides or {})}))[0]

    # helpers
    def live(self, module: str) -> list[dict[str, Any]]:
        return list(self.store.get(module, {}).values())

    def _write(self, op: str, module: str, items: list[Any], one) -> list[WriteResult]:
        with self._lock:
            self.calls.append((op, module, len(items)))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if op in self.ambiguous_ops:
                raise AmbiguousWriteError("the connection broke after the request was sent",
                                          indexes=list(range(len(items))))
            with self._lock:
                return [self._rejected(i, item) or one(i, item) for i, item in enumerate(items)]
        finally:
            with self._lock:
                self.in_flight -= 1

    def _rejected(self, i: int, item: Any) -> WriteResult | None:
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str) and value in self.reject:
                    return WriteResult(i, False, self.reject[value], "invalid data", {"api_name": key}, field=key)
        return None

    def _new_id(self) -> str:
        return str(next(self._ids))

    def _create(self, module: str, i: int, record: dict[str, Any]) -> WriteResult:
        rid = self._new_id()
        self.store.setdefault(module, {})[rid] = {**record, "id": rid}
        return WriteResult(i, True, "SUCCESS", "record added", {"id": rid}, id=rid)

    def _update(self, module: str, i: int, record: dict[str, Any]) -> WriteResult:
        existing = self.store.get(module, {}).get(record["id"])
        if existing is None:
            return WriteResult(i, False, "INVALID_DATA", "the id given seems to be invalid", {"api_name": "id"},
                               field="id")
        existing.update(record)
        return WriteResult(i, True, "SUCCESS", "record updated", {"id": record["id"]}, id=record["id"])

    def _upsert(self, module: str, i: int, record: dict[str, Any], keys: list[str]) -> WriteResult:
        for existing in self.live(module):
            if any(record.get(k) is not None and existing.get(k) == record.get(k) for k in keys):
                existing.update(record)
                return WriteResult(i, True, "SUCCESS", "record updated", {"id": existing["id"]},
                                   id=existing["id"], action="update")
        result = self._create(module, i, record)
        result.action = "insert"
        return result

    def _delete(self, module: str, i: int, rid: str) -> WriteResult:
        if self.store.get(module, {}).pop(rid, None) is None:
            return WriteResult(i, False, "INVALID_DATA", "record not deleted", {"id": rid})
        return WriteResult(i, True, "SUCCESS", "record deleted", {"id": rid}, id=rid)


def configured_catalog(*streams: tuple[str, str], primary_key: dict[str, list[list[str]]] | None = None,
                       object_names: dict[str, str] | None = None):
    """A configured catalog of (stream name, destination sync mode) pairs."""
    entries = []
    for name, mode in streams:
        entry: dict[str, Any] = {"stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                                 "sync_mode": "full_refresh", "destination_sync_mode": mode}
        if primary_key and name in primary_key:
            entry["primary_key"] = primary_key[name]
        if object_names and name in object_names:
            entry["destination_object_name"] = object_names[name]
        entries.append(entry)
    return ConfiguredAirbyteCatalogSerializer.load({"streams": entries})


def record(stream: str, **data: Any) -> AirbyteMessage:
    return AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream=stream, data=data, emitted_at=0))


def state(stream: str, value: int) -> AirbyteMessage:
    return AirbyteMessage(type=Type.STATE, state=AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(stream_descriptor=StreamDescriptor(name=stream), stream_state=AirbyteStateBlob(n=value))))
