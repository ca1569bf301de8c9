"""A small in-memory org implementing the interface the query modules use (models.Org / Module).

A builder, not a mock: real records in Zoho's API shape, real field metadata, real lookups between modules.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from zoho_crm_emulator import handlers_queries
from zoho_crm_emulator.exceptions import invalid_module
from zoho_crm_emulator.jobs import JobStore
from zoho_crm_emulator.wire import Request

IST = timezone(timedelta(hours=5, minutes=30))
PREFIX = "5725767"
OWNER = {"name": "Patricia Boyle", "id": f"{PREFIX}000000411001", "email": "p.boyle@zylker.com"}
_IDS = itertools.count(100_000_000_001)
OTHER_OWNER = {"name": "Kris Adams", "id": f"{PREFIX}000000411002", "email": "k.adams@zylker.com"}


def field(api_name: str, data_type: str, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"api_name": api_name, "data_type": data_type, "lookup": {}, "crypt": None}
    if "lookup" in extra:
        meta["lookup"] = {"module": {"api_name": extra.pop("lookup"), "id": "1"}}
    meta.update(extra)
    return meta


ACCOUNT_FIELDS = [field("Account_Name", "text"), field("Owner", "ownerlookup"), field("Employees", "integer"),
                  field("Parent_Account", "lookup", lookup="Accounts"), field("Modified_Time", "datetime")]
CONTACT_FIELDS = [
    field("Last_Name", "text"), field("First_Name", "text"), field("Email", "email"), field("Phone", "phone"),
    field("Owner", "ownerlookup"), field("Account_Name", "lookup", lookup="Accounts"),
    field("Lead_Source", "picklist"), field("Languages_Known", "multiselectpicklist"),
    field("Annual_Revenue", "currency"), field("No_of_Employees", "integer"), field("Email_Opt_Out", "boolean"),
    field("Date_of_Birth", "date"), field("Description", "textarea"), field("Created_Time", "datetime"),
    field("Modified_Time", "datetime"), field("Lead_Number", "autonumber"), field("Converted__s", "boolean"),
    field("Secret", "text", crypt={"mode": "decryption"}), field("Linked", "multiselectlookup"),
    field("Expected_Revenue", "formula", formula={"return_type": "currency"}),
]


class Module:
    def __init__(self, api_name: str, fields: list[dict[str, Any]], supported: bool = True):
        self.api_name, self.fields = api_name, fields
        self.meta = {"api_name": api_name, "api_supported": supported}
        self.records: dict[str, dict[str, Any]] = {}

    def field(self, api_name: str) -> dict[str, Any] | None:
        return next((f for f in self.fields if f["api_name"] == api_name), None)

    def live_records(self) -> list[dict[str, Any]]:
        return list(self.records.values())

    def get(self, record_id: str) -> dict[str, Any] | None:
        return self.records.get(record_id)

    def add(self, **values: Any) -> dict[str, Any]:
        record = {"id": values.pop("id", None) or f"{PREFIX}{next(_IDS):012d}", **values}
        self.records[record["id"]] = record
        return record


class Org:
    def __init__(self, tz: tzinfo = IST, clock: Callable[[], float] = time.time):
        self.tz, self.lock, self.current_user = tz, threading.RLock(), {"id": OWNER["id"], "name": OWNER["name"],
                                                                         "email": OWNER["email"]}
        self.jobs = JobStore(self.new_id, clock)
        self.modules = {"Accounts": Module("Accounts", ACCOUNT_FIELDS), "Contacts": Module("Contacts", CONTACT_FIELDS),
                        "Home": Module("Home", [], supported=False)}

    def module(self, api_name: str) -> Module:
        module = self.modules.get(api_name)
        if module is None or not module.meta["api_supported"]:
            raise invalid_module()
        return module

    def now(self) -> datetime:
        return datetime.now(self.tz).replace(microsecond=0)

    def new_id(self) -> str:
        return f"{PREFIX}{next(_IDS):012d}"


def ref(record: dict[str, Any], name_field: str) -> dict[str, str]:
    return {"name": record[name_field], "id": record["id"]}


def search(org: Any, module: str, params: dict[str, str], version: str = "v8") -> tuple[int, Any]:
    """GET /crm/{version}/{module}/search answered by the search handler, as (status, body)."""
    req = Request("GET", f"/crm/{version}/{module}/search", dict(params), {}, params={"module": module},
                  version=version)
    answer = handlers_queries.search_answer(org, req)
    return answer.status, answer.body


def coql(org: Any, body: Any, version: str = "v8") -> tuple[int, Any]:
    """POST /crm/{version}/coql answered by the COQL handler, as (status, body)."""
    req = Request("POST", f"/crm/{version}/coql", {}, {"content-type": "application/json"},
                  body=json.dumps(body).encode(), version=version)
    answer = handlers_queries.coql_answer(org, req)
    return answer.status, answer.body


def sample_org(clock: Callable[[], float] = time.time) -> Org:
    """Two accounts (one the parent of the other) and five contacts covering every kind of value."""
    org = Org(clock=clock)
    accounts, contacts = org.modules["Accounts"], org.modules["Contacts"]
    parent = accounts.add(Account_Name="Zylker Group", Owner=OTHER_OWNER, Employees=900, Parent_Account=None,
                          Modified_Time="2024-01-01T09:00:00+05:30")
    zylker = accounts.add(Account_Name="Zylker", Owner=OWNER, Employees=40, Parent_Account=ref(parent, "Account_Name"),
                          Modified_Time="2024-01-02T09:00:00+05:30")
    base = {"Owner": OWNER, "Description": "long text", "Secret": "s3", "Lead_Number": "LD-1", "Converted__s": False}
    contacts.add(**base, Last_Name="Boyle", First_Name="Paul", Email="paul@zylker.com", Phone="+1 (555) 010-0001",
                 Account_Name=ref(zylker, "Account_Name"), Lead_Source="Web", Languages_Known=["English", "German"],
                 Annual_Revenue=1500.5, No_of_Employees=10, Email_Opt_Out=False, Date_of_Birth="1990-04-01",
                 Created_Time="2024-05-01T10:15:00+05:30", Modified_Time="2024-05-02T08:00:00+05:30")
    contacts.add(**{**base, "Owner": OTHER_OWNER}, Last_Name="Burns,B (Jr)", First_Name="Mary", Email="MARY@x.com",
                 Phone="555-0002", Account_Name=ref(parent, "Account_Name"), Lead_Source="Cold Call",
                 Languages_Known=["French"], Annual_Revenue=99.0, No_of_Employees=250, Email_Opt_Out=True,
                 Date_of_Birth="1985-12-31", Created_Time="2024-05-01T10:15:00+05:30",
                 Modified_Time="2024-05-02T02:30:00Z".replace("Z", "+00:00"))
    contacts.add(**base, Last_Name="Chen", First_Name=None, Email=None, Phone=None, Account_Name=None,
                 Lead_Source=None, Languages_Known=[], Annual_Revenue=None, No_of_Employees=None,
                 Email_Opt_Out=False, Date_of_Birth=None, Created_Time="2024-06-01T00:00:00+05:30",
                 Modified_Time="2024-06-01T00:00:00+05:30")
    contacts.add(**{**base, "Converted__s": True}, Last_Name="Daly\\", First_Name="Ann", Email="ann@zylker.com",
                 Phone=None, Account_Name=ref(zylker, "Account_Name"), Lead_Source="Web",
                 Languages_Known=["German"], Annual_Revenue=3000, No_of_Employees=10, Email_Opt_Out=False,
                 Date_of_Birth="2000-01-01", Created_Time="2024-07-01T00:00:00+05:30",
                 Modified_Time="2024-07-01T00:00:00-07:00")
    contacts.add(**base, Last_Name="Evans", First_Name="Eve", Email="eve@x.com", Phone=None, Account_Name=None,
                 Lead_Source="Web", Languages_Known=["English"], Annual_Revenue=10, No_of_Employees=3,
                 Email_Opt_Out=False, Date_of_Birth="1970-02-02", Created_Time="2024-07-02T00:00:00+05:30",
                 Modified_Time="2024-05-02T08:00:00+05:30")
    return org
