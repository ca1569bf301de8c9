"""Lead conversion (single and mass) and record clone: business rules (docs/zoho-api.md sections 9 and 10).

Everything a conversion needs is validated before anything is created, so a refused conversion leaves no
half-made account or contact behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoho_crm_emulator import exceptions, metadata
from zoho_crm_emulator.exceptions import ZohoError
from zoho_crm_emulator.jobs import MassConvertJob
from zoho_crm_emulator.models import Module, Org, Row
from zoho_crm_emulator.validation import RecordError, invalid, record_id
from zoho_crm_emulator.writes import check_mandatory, check_unique, create_row, prepare, success

# Lead field -> (module, field) it is copied to on conversion.
CONTACT_MAP = {"First_Name": "First_Name", "Last_Name": "Last_Name", "Email": "Email", "Phone": "Phone",
               "Mobile": "Mobile", "Designation": "Title", "Lead_Source": "Lead_Source", "Street": "Mailing_Street",
               "City": "Mailing_City", "State": "Mailing_State", "Zip_Code": "Mailing_Zip",
               "Country": "Mailing_Country", "Description": "Description", "Email_Opt_Out": "Email_Opt_Out"}
ACCOUNT_MAP = {"Company": "Account_Name", "Phone": "Phone", "Website": "Website", "Industry": "Industry",
               "Annual_Revenue": "Annual_Revenue", "No_of_Employees": "Employees", "Street": "Billing_Street",
               "City": "Billing_City", "State": "Billing_State", "Zip_Code": "Billing_Code",
               "Country": "Billing_Country"}
NOT_CLONED = frozenset({"fileupload", "imageupload", "profileimage", "formula", "autonumber"})
DEAL_EXTRAS = frozenset({"Contact_Role"})  # accepted in the convert body, not a Deals field


def convert_lead(org: Org, lead_id: str, opts: dict[str, Any], version: str) -> dict[str, Any]:
    """Convert one lead; returns the SUCCESS item. Raises ZohoError (request) or RecordError (the data item)."""
    leads = org.modules["Leads"]
    with org.lock:
        lead = leads.rows.get(lead_id)
        if lead is None:
            raise exceptions.invalid_id()
        if leads.value(lead, "Converted__s"):
            raise exceptions.already_converted()
        return _convert(org, lead, _targets(org, lead, opts, version))


@dataclass(frozen=True)
class Targets:
    """What a conversion will make or link, all checked before anything is written."""

    owner: dict[str, Any]
    account_id: str | None  # an existing account to link
    make_account: bool  # no account given or found, and the lead has a Company: make one
    contact_id: str | None  # an existing contact to link
    deal: dict[int, Any] | None  # the deal's column values, when a deal was asked for


def _targets(org: Org, lead: Row, opts: dict[str, Any], version: str) -> Targets:
    leads, contacts, accounts = org.modules["Leads"], org.modules["Contacts"], org.modules["Accounts"]
    owner = _owner(org, opts.get("assign_to"), version)
    account_id = _existing(accounts, opts.get("Accounts"), "Accounts", version)
    company = leads.value(lead, "Company")
    if account_id is None and company:
        account_id = accounts.find_unique("Account_Name", company)
    contact_id = _existing(contacts, opts.get("Contacts"), "Contacts", version)
    if contact_id is None:
        contact_id = contacts.find_unique("Email", leads.value(lead, "Email"))
    deal_values = _deal_values(org, opts.get("Deals"))
    return Targets(owner, account_id, account_id is None and bool(company), contact_id, deal_values)


def _convert(org: Org, lead: Row, targets: Targets) -> dict[str, Any]:
    leads, contacts, accounts = org.modules["Leads"], org.modules["Contacts"], org.modules["Accounts"]
    now = org.now_epoch()
    account = accounts.rows.get(targets.account_id or "")
    if targets.make_account:
        account = create_row(org, accounts, _copied(leads, lead, accounts, ACCOUNT_MAP, targets.owner), now)
    contact = contacts.rows.get(targets.contact_id or "")
    if contact is None:
        values = _copied(leads, lead, contacts, CONTACT_MAP, targets.owner)
        if account is not None:
            values[contacts.col["Account_Name"]] = accounts.ref(account)
        contact = create_row(org, contacts, values, now)
    deal = None
    if targets.deal is not None:
        deals = org.modules["Deals"]
        values = dict(targets.deal)
        values.setdefault(deals.col["Owner"], targets.owner)
        values[deals.col["Contact_Name"]] = contacts.ref(contact)
        if account is not None:
            values.setdefault(deals.col["Account_Name"], accounts.ref(account))
        deal = create_row(org, deals, {k: v for k, v in values.items() if v is not None}, now)
    converted = list(lead)
    converted[leads.col["Converted__s"]] = True
    converted[leads.col["Converted_Date_Time"]] = converted[leads.col["Modified_Time"]] = now
    leads.put(converted)
    return {"code": "SUCCESS", "status": "success", "message": "The record has been converted successfully",
            "details": {"Contacts": contacts.ref(contact), "Accounts": accounts.ref(account) if account else None,
                        "Deals": org.modules["Deals"].ref(deal) if deal else None}}


def _ref_id(value: Any, key: str, version: str) -> str | None:
    """v8 takes `{"id": ...}`, v2 a plain id string (section 13)."""
    if value is None:
        return None
    raw = value.get("id") if isinstance(value, dict) and version == "v8" else (
        value if version != "v8" and not isinstance(value, dict) else None)
    rid = record_id(raw)
    if rid is None:
        raise invalid(key, f"$.data[0].{key}")
    return rid


def _existing(module: Module, value: Any, key: str, version: str) -> str | None:
    rid = _ref_id(value, key, version)
    if rid is not None and rid not in module.rows:
        raise invalid(key, f"$.data[0].{key}", "the related id given seems to be invalid")
    return rid


def _owner(org: Org, value: Any, version: str) -> dict[str, Any]:
    uid = _ref_id(value, "assign_to", version)
    if uid is None:
        return org.known_user_ref(org.current_user["id"])
    user = org.user_ref(uid)
    if user is None:
        raise invalid("assign_to", "$.data[0].assign_to", "the id given seems to be invalid")
    return user


def _deal_values(org: Org, spec: Any) -> dict[int, Any] | None:
    if spec is None:
        return None
    deals = org.modules["Deals"]
    prefix = "$.data[0].Deals"
    values = prepare(org, deals, {k: v for k, v in spec.items() if k not in DEAL_EXTRAS}
                     if isinstance(spec, dict) else spec, 0, prefix=prefix)
    check_mandatory(deals, values, prefix)
    check_unique(org, deals, values, 0, prefix=prefix)
    return values


def _copied(src: Module, row: Row, dst: Module, mapping: dict[str, str], owner: dict[str, Any]) -> dict[int, Any]:
    values = {dst.col[to]: src.value(row, frm) for frm, to in mapping.items() if src.value(row, frm) is not None}
    values[dst.col["Owner"]] = owner
    return values


def mass_convert(org: Org, ids: list[str], opts: dict[str, Any]) -> MassConvertJob:
    """Converts now and records the job in the org's job store; it is `completed` from the first poll (9.2)."""
    counts = {"Converted_Count": 0, "Not_Converted_Count": 0, "Failed_Count": 0}
    for rid in ids:
        try:
            convert_lead(org, rid, opts, "v8")
            counts["Converted_Count"] += 1
        except ZohoError as err:
            counts["Not_Converted_Count" if err.code == "ID_ALREADY_CONVERTED" else "Failed_Count"] += 1
        except RecordError:
            counts["Failed_Count"] += 1
    return org.jobs.add(MassConvertJob(org.new_id(), len(ids), counts["Converted_Count"],
                                       counts["Not_Converted_Count"], counts["Failed_Count"]))


def clone(org: Org, module: Module, record_id_: str, overrides: Any) -> dict[str, Any]:
    """A copy of a record with `overrides` applied; unique fields still enforced (section 10)."""
    with org.lock:
        source = module.rows.get(record_id_)
        if source is None:
            raise exceptions.invalid_id()
        values = {i: source[i] for i, fd in enumerate(module.fields, 1)
                  if metadata.api_writable(fd) and fd["data_type"] not in NOT_CLONED and source[i] is not None}
        values.update(prepare(org, module, overrides or {}, 0))
        check_mandatory(module, values, "$.data[0]")
        check_unique(org, module, values, 0)
        row = create_row(org, module, values)
        return success("record added", module, row)


def clonable(module: Module) -> bool:
    return module.api_name != "Notes" and module.meta["generated_type"] in ("default", "custom")


