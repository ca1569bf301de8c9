"""The org's modules and fields, served by settings/modules and settings/fields (docs/zoho-api.md section 2).

One table per module, expanded into Zoho's full field-metadata shape by `build_fields`. Every data type of
section 2.2 appears in Leads, which has more than 50 fields so that clients must split `fields` into groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoho_crm_emulator import modules_standard as std
from zoho_crm_emulator.fieldspec import f

ORG_PREFIX = "5725767"  # the 19-digit ids of this org share it (section 0: "fixed org prefix")

JSON_TYPES = {
    "text": "string", "email": "string", "phone": "string", "website": "string", "autonumber": "string",
    "profileimage": "string", "mediumtext": "string", "textarea": "string", "picklist": "string",
    "date": "string", "datetime": "string", "multiselectpicklist": "jsonarray", "integer": "integer",
    "bigint": "string", "double": "double", "decimal": "double", "currency": "double", "percent": "double",
    "boolean": "boolean", "lookup": "jsonobject", "ownerlookup": "jsonobject", "userlookup": "jsonobject",
    "multiselectlookup": "jsonarray", "multiuserlookup": "jsonarray", "subform": "jsonarray",
    "fileupload": "jsonarray", "imageupload": "jsonarray",
}
# Section 2.2: these come back only when a single record is fetched.
SINGLE_RECORD_ONLY = frozenset({"multiselectlookup", "multiuserlookup", "subform"})
DEFAULT_LENGTH = {"text": 255, "email": 100, "phone": 30, "website": 255, "textarea": 32000, "mediumtext": 5000,
                  "picklist": 120, "multiselectpicklist": 2000, "integer": 9, "bigint": 18, "double": 16,
                  "decimal": 16, "currency": 16, "percent": 5, "autonumber": 50}

SALUTATIONS = ["-None-", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."]
LEAD_SOURCES = ["-None-", "Advertisement", "Cold Call", "Employee Referral", "External Referral", "Online Store",
                "Partner", "Public Relations", "Seminar Partner", "Trade Show", "Web Download", "Web Research"]
LEAD_STATUSES = ["-None-", "Attempted to Contact", "Contact in Future", "Contacted", "Junk Lead", "Lost Lead",
                 "Not Contacted", "Pre-Qualified", "Not Qualified"]
INDUSTRIES = ["-None-", "ASP (Application Service Provider)", "Data/Telecom OEM", "ERP (Enterprise Resource Planning)",
              "Government/Military", "Large Enterprise", "Management ISV", "Network Equipment Enterprise",
              "Non-management ISV", "Optical Networking", "Service Provider", "Small/Medium Enterprise"]
RATINGS = ["-None-", "Acquired", "Active", "Market Failed", "Project Cancelled", "Shut Down"]
LANGUAGES = ["English", "German", "French", "Spanish", "Hindi", "Tamil", "Japanese"]
PRIORITIES = ["-None-", "High", "Highest", "Low", "Lowest", "Normal"]
STAGES = ["Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Proposal/Price Quote",
          "Negotiation/Review", "Closed Won", "Closed Lost", "Closed-Lost to Competition"]
TASK_STATUSES = ["Not Started", "Deferred", "In Progress", "Completed", "Waiting for input"]
ACCOUNT_TYPES = ["-None-", "Analyst", "Competitor", "Customer", "Distributor", "Integrator", "Investor", "Partner",
                 "Press", "Prospect", "Reseller", "Other"]
DEAL_TYPES = ["-None-", "Existing Business", "New Business"]
PIPELINES = ["Standard (Standard)"]
CM_STATUSES = ["Draft", "Active", "Archived"]


# Zoho's sample Leads metadata (docs/zoho-api/fields.md): `Owner` is `field_read_only: true` and still written
# through the API (`operation_type.api_create/api_update: true`, `read_only: false`).
FIELD_READ_ONLY_BUT_WRITABLE = frozenset({"Owner"})
# Tags of the seeded org: {"name", "id", "color_code"} as records carry them (docs/zoho-api/fields.md, "Tag").
# The colours a tag may have (Zoho's OAS v8 tags.json, Tag.color_code enum; null when none was given).
TAG_COLORS = ("#57B1FD", "#879BFC", "#658BA8", "#FD87BD", "#969696", "#F48435", "#1DB9B4", "#E7A826", "#63C57E",
              "#F17574", "#D297EE", "#A8C026", "#B88562")


def tag_id(n: int) -> str:
    return f"{ORG_PREFIX}{800_000 + n:012d}"


SEED_TAGS: list[dict[str, Any]] = [{"name": name, "id": tag_id(i), "color_code": color} for i, (name, color) in enumerate(
    [("Hot", "#F17574"), ("Partner", "#57B1FD"), ("Renewal 2025", "#63C57E"), ("VIP", "#D297EE"), ("Webinar", None)])]


def _system_fields() -> list[dict[str, Any]]:
    """Every module's: the record id and Tag are fields too in Zoho's metadata (id `bigint` served as a string,
    Tag `text` holding a `jsonarray`); Created/Modified are set by Zoho (`operation_type` all false)."""
    return [
        f("Created_By", "ownerlookup", computed=True), f("Modified_By", "ownerlookup", computed=True),
        f("Created_Time", "datetime", computed=True), f("Modified_Time", "datetime", computed=True),
        f("Tag", "text", json_type="jsonarray", length=2000, sortable=False),
        f("id", "bigint", read_only=True, length=18),
    ]


LEADS = [
    f("Owner", "ownerlookup"), f("Company", "text", length=200), f("First_Name", "text", length=40),
    f("Last_Name", "text", length=80, mandatory=True), f("Full_Name", "text", computed=True),
    f("Salutation", "picklist", picklist=SALUTATIONS), f("Designation", "text", length=100),
    f("Email", "email", unique=True), f("Secondary_Email", "email"), f("Phone", "phone"), f("Mobile", "phone"),
    f("Fax", "phone"), f("Website", "website"), f("Lead_Source", "picklist", picklist=LEAD_SOURCES),
    f("Lead_Status", "picklist", picklist=LEAD_STATUSES), f("Industry", "picklist", picklist=INDUSTRIES),
    f("No_of_Employees", "integer"), f("Annual_Revenue", "currency"), f("Rating", "picklist", picklist=RATINGS),
    f("Email_Opt_Out", "boolean"), f("Skype_ID", "text", length=50), f("Twitter", "text", length=50),
    f("Street", "text", length=250), f("City", "text", length=100), f("State", "text", length=100),
    f("Zip_Code", "text", length=30), f("Country", "text", length=100), f("Description", "textarea"),
    *_system_fields(),
    f("Last_Activity_Time", "datetime", read_only=True), f("Converted__s", "boolean", read_only=True),
    f("Converted_Date_Time", "datetime", computed=True),
    f("Record_Status__s", "picklist", read_only=True, picklist=["Available", "Draft"]),
    f("Lead_Number", "autonumber", read_only=True, prefix="LD-"),
    f("Middle_Name", "text", length=40, custom=True), f("Date_of_Birth", "date", custom=True),
    f("Languages_Known", "multiselectpicklist", picklist=LANGUAGES, custom=True),
    f("Big_Number", "bigint", custom=True), f("Discount", "percent", custom=True),
    f("Score", "decimal", custom=True, decimal_place=2), f("Rate", "double", custom=True),
    f("Budget", "currency", custom=True),
    f("Expected_Revenue", "formula", read_only=True, return_type="currency", custom=True,
      expression="Budget * (100 - Discount) / 100"),
    f("Referred_By", "lookup", lookup="Contacts", custom=True),
    f("Parent_Account", "lookup", lookup="Accounts", custom=True), f("Reviewer", "userlookup", custom=True),
    f("Last_Contacted_At", "datetime", custom=True), f("Follow_Up_Date", "date", custom=True),
    f("Is_Partner", "boolean", custom=True), f("Priority_Level", "picklist", picklist=PRIORITIES, custom=True),
    f("Visits", "integer", custom=True), f("Record_Image", "profileimage", read_only=True),
    f("Summary", "mediumtext", custom=True), f("Attachment_File", "fileupload", custom=True),
    f("Photos", "imageupload", custom=True), f("Linked_Contacts", "multiselectlookup", lookup="Contacts", custom=True),
    f("Team_Members", "multiuserlookup", custom=True), f("Line_Items", "subform", custom=True),
    f("Unsubscribed_Time", "datetime", custom=True), f("Tracking_Code", "text", length=60, custom=True),
]

CONTACTS = [
    f("Owner", "ownerlookup"), f("First_Name", "text", length=40), f("Last_Name", "text", length=80, mandatory=True),
    f("Full_Name", "text", computed=True), f("Email", "email", unique=True), f("Secondary_Email", "email"),
    f("Phone", "phone"), f("Mobile", "phone"), f("Title", "text", length=100), f("Department", "text", length=100),
    f("Account_Name", "lookup", lookup="Accounts"), f("Lead_Source", "picklist", picklist=LEAD_SOURCES),
    f("Date_of_Birth", "date"), f("Mailing_Street", "text", length=250), f("Mailing_City", "text", length=100),
    f("Mailing_State", "text", length=100), f("Mailing_Zip", "text", length=30),
    f("Mailing_Country", "text", length=100), f("Description", "textarea"), f("Email_Opt_Out", "boolean"),
    f("Reports_To", "lookup", lookup="Contacts"), *_system_fields(),
    f("Last_Activity_Time", "datetime", read_only=True),
]

ACCOUNTS = [
    f("Owner", "ownerlookup"), f("Account_Name", "text", length=200, mandatory=True, unique=True),
    f("Account_Number", "bigint"), f("Website", "website"), f("Phone", "phone"),
    f("Industry", "picklist", picklist=INDUSTRIES), f("Annual_Revenue", "currency"), f("Employees", "integer"),
    f("Account_Type", "picklist", picklist=ACCOUNT_TYPES), f("Rating", "picklist", picklist=RATINGS),
    f("Billing_Street", "text", length=250), f("Billing_City", "text", length=100),
    f("Billing_State", "text", length=100), f("Billing_Code", "text", length=30),
    f("Billing_Country", "text", length=100), f("Description", "textarea"),
    f("Parent_Account", "lookup", lookup="Accounts"), *_system_fields(),
    f("Last_Activity_Time", "datetime", read_only=True),
]

DEALS = [
    f("Owner", "ownerlookup"), f("Deal_Name", "text", length=120, mandatory=True, unique=True),
    f("Stage", "picklist", picklist=STAGES, mandatory=True), f("Amount", "currency"), f("Closing_Date", "date"),
    f("Account_Name", "lookup", lookup="Accounts"), f("Contact_Name", "lookup", lookup="Contacts"),
    f("Probability", "percent"),
    f("Expected_Revenue", "formula", read_only=True, return_type="currency", expression="Amount * Probability / 100"),
    # A formula over Now(): its value moves with the clock while Modified_Time stays (docs/zoho-api/formulas.md)
    f("Days_In_Pipeline", "formula", read_only=True, return_type="double", custom=True, dynamic=True,
      expression="Datecomp(Now(),Created_Time)/1440"),
    f("Type", "picklist", picklist=DEAL_TYPES), f("Lead_Source", "picklist", picklist=LEAD_SOURCES),
    f("Next_Step", "text", length=100), f("Pipeline", "picklist", picklist=PIPELINES), f("Description", "textarea"),
    *_system_fields(),
]

TASKS = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=300, mandatory=True), f("Due_Date", "date"),
    f("Status", "picklist", picklist=TASK_STATUSES), f("Priority", "picklist", picklist=PRIORITIES),
    f("What_Id", "lookup", lookup="Deals"), f("Who_Id", "lookup", lookup="Contacts"), f("Description", "textarea"),
    f("Closed_Time", "datetime", read_only=True), f("Send_Notification_Email", "boolean"), *_system_fields(),
]

NOTES = [
    f("Owner", "ownerlookup"), f("Note_Title", "text", length=120), f("Note_Content", "textarea", mandatory=True),
    f("Parent_Id", "lookup", mandatory=True), *_system_fields(),
]

CUSTOM = [
    f("Owner", "ownerlookup"), f("Name", "text", length=120, mandatory=True, unique=True), f("Email", "email"),
    f("Amount", "currency"), f("Status", "picklist", picklist=CM_STATUSES),
    f("Related_Account", "lookup", lookup="Accounts"), f("Due_Date", "date"), f("Quantity", "integer"),
    *_system_fields(),
]

LINKING = [
    f("Linked_Leads", "lookup", lookup="Leads"), f("Linked_Contacts", "lookup", lookup="Contacts"),
    *_system_fields(),
]

JSON_TYPES.update(std.JSON_TYPES)


@dataclass(frozen=True)
class ModuleSpec:
    """One module of settings/modules, with the flags Zoho's sample module list gives it (docs/zoho-api/modules.md).

    `table` None: the module is listed but has no records here: a module the API does not support (Home, Reports),
    or one Zoho lists as api_supported that Get Records refuses (Approvals, Attachments, subforms...)."""

    singular: str
    plural: str
    table: list[dict[str, Any]] | None = None
    generated: str = "default"
    api_supported: bool = True
    status: str = "visible"
    viewable: bool = True
    tab: bool | None = None  # show_as_tab; None: shown when its status is visible
    parent: str | None = None  # subform and field-tracker modules name the module they belong to
    module_name: str | None = None


def _ui(label: str) -> ModuleSpec:
    """A module of the UI that the API does not serve (api_supported false in Zoho's sample)."""
    return ModuleSpec(label, label, api_supported=False, tab=True)


def _refused(singular: str, plural: str, status: str = "visible", *, viewable: bool = True, tab: bool = False,
             generated: str = "default", parent: str | None = None) -> ModuleSpec:
    """Listed as api_supported (Zoho's sample) yet refused by Get Records: 400 INVALID_MODULE."""
    return ModuleSpec(singular, plural, status=status, viewable=viewable, tab=tab, generated=generated,
                      parent=parent)


def _record(singular: str, plural: str, table: list[dict[str, Any]], status: str = "visible",
            **opts: Any) -> ModuleSpec:
    return ModuleSpec(singular, plural, table, status=status, **opts)


def _std(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*table, *_system_fields()]


# In the order of Zoho's sample answer (GET settings/modules on the v7 Modules API page), without its two custom,
# three extra linking and the Services/Appointments modules, which this org does not have.
MODULES: dict[str, ModuleSpec] = {
    "Home": _ui("Home"),
    "Leads": _record("Lead", "Leads", LEADS),
    "Contacts": _record("Contact", "Contacts", CONTACTS),
    "Deals": _record("Deal", "Deals", DEALS),
    "Tasks": _record("Task", "Tasks", TASKS),
    "Events": _record("Meeting", "Meetings", _std(std.EVENTS), module_name="Meetings"),
    "Calls": _record("Call", "Calls", _std(std.CALLS)),
    "Reports": _ui("Reports"),
    "Analytics": _ui("Analytics"),
    "Products": _record("Product", "Products", _std(std.PRODUCTS)),
    "Quotes": _record("Quote", "Quotes", _std(std.QUOTES)),
    "Sales_Orders": _record("Sales Order", "Sales Orders", _std(std.SALES_ORDERS), module_name="SalesOrders"),
    "Purchase_Orders": _record("Purchase Order", "Purchase Orders", _std(std.PURCHASE_ORDERS),
                               module_name="PurchaseOrders"),
    "Invoices": _record("Invoice", "Invoices", _std(std.INVOICES)),
    "SalesInbox": _ui("SalesInbox"),
    "Feeds": _ui("Feeds"),
    "Campaigns": _record("Campaign", "Campaigns", _std(std.CAMPAIGNS)),
    "Vendors": _record("Vendor", "Vendors", _std(std.VENDORS)),
    "Price_Books": _record("Price Book", "Price Books", _std(std.PRICE_BOOKS), module_name="PriceBooks"),
    "Cases": _record("Case", "Cases", _std(std.CASES)),
    "Solutions": _record("Solution", "Solutions", _std(std.SOLUTIONS)),
    "Documents": _ui("Documents"),
    "Forecasts": _ui("Forecasts"),
    "Visits": _refused("Visit", "Visits", tab=True),
    "Social": _ui("Social"),
    **{name: _refused(name.replace("_", " "), name.replace("_", " "), generated="subform", parent=parent)
       for name, parent in (*std.LINE_ITEMS.items(), ("Alternate_Address", "Leads"), ("Contact_details", "Accounts"),
                            ("Line_Items", "Leads"))},
    "Google_AdWords": _ui("Google AdWords"),
    "DealHistory": _refused("Stage History", "Stage History", "system_hidden", generated="field_tracker",
                            parent="Deals"),
    "Email_Sentiment": _refused("Email Sentiment", "Email Sentiment", viewable=False),
    "Email_Analytics": _refused("Email Analytics", "Email Analytics", viewable=False),
    "Email_Template_Analytics": _refused("Email Template Analytics", "Email Template Analytics", viewable=False),
    "Approvals": _refused("Approval", "Approvals", tab=True),
    "Projects": _ui("Projects"),
    "Notes": _record("Note", "Notes", NOTES, "system_hidden", tab=False),
    "Attachments": _refused("Attachment", "Attachments", "system_hidden"),
    "CustomModule1": _record("Custom Module 1", "Custom Module 1", CUSTOM, generated="custom"),
    "Accounts": _record("Account", "Accounts", ACCOUNTS),
    "Emails": _ui("Emails"),
    "Leads_X_Contacts": _record("Leads X Contacts", "Leads X Contacts", LINKING, "user_hidden", generated="linking"),
    "Actions_Performed": _refused("Actions Performed", "Actions Performed", "system_hidden"),
    "ShiftHours": ModuleSpec("Shift Hours", "Shift Hours", api_supported=False, viewable=False, tab=False),
    **{name: ModuleSpec(name.replace("_", " "), name.replace("_", " "), api_supported=False, status="system_hidden",
                        viewable=False, tab=False) for name in ("Forecast_Quotas", "Forecast_Items", "Forecast_Groups")},
    "Consents": _refused("Consent", "Consents"),
    "Data_Subject_Requests": _refused("Data Subject Request", "Data Subject Requests"),
    "Scoring_Rules__s": _refused("Scoring Rule", "Scoring Rules", viewable=False),
    "Entity_Scores__s": _refused("Entity Score", "Entity Scores", viewable=False),
    "Quote_Stage_History": _refused("Quote Stage History", "Quote Stage History", "user_hidden",
                                    generated="field_tracker", parent="Quotes"),
    "Data_Enrichment_Stats__s": _refused("Data Enrichment Stat", "Data Enrichment Stats"),
    "Locking_Information__s": _refused("Locking Information", "Locking Information", viewable=False),
    **{name: ModuleSpec(name.replace("__s", "").replace("_", " "), name.replace("__s", "").replace("_", " "),
                        api_supported=False, viewable=False, tab=False)
       for name in ("File_Upload_1__s", "Image_Upload_1__s")},  # Leads' file and image upload fields
}
# The modules `--records N` seeds N records in (design.md); the other record modules get a few (seed.py).
STANDARD = ("Leads", "Contacts", "Accounts", "Deals", "Tasks", "Notes", "CustomModule1")


def module_id(api_name: str) -> str:
    return f"{ORG_PREFIX}{1000 + list(MODULES).index(api_name):012d}"


def build_module_meta(api_name: str, modified_time: str, admin: dict[str, str]) -> dict[str, Any]:
    spec = MODULES[api_name]
    served = spec.table is not None
    return {
        "id": module_id(api_name), "api_name": api_name, "module_name": spec.module_name or api_name,
        "singular_label": spec.singular, "plural_label": spec.plural, "generated_type": spec.generated,
        "api_supported": spec.api_supported, "status": spec.status, "visibility": 1, "creatable": served,
        "editable": served, "deletable": served, "viewable": spec.viewable, "convertable": api_name == "Leads",
        "quick_create": served, "global_search_supported": served, "recycle_bin_on_delete": served,
        "isBlueprintSupported": served and spec.generated in ("default", "custom"),
        "show_as_tab": spec.status == "visible" if spec.tab is None else spec.tab,
        "sequence_number": list(MODULES).index(api_name) + 1,
        "modified_time": modified_time if served else None,
        "modified_by": {"name": admin["full_name"], "id": admin["id"]} if served else None,
        "parent_module": {"api_name": spec.parent, "id": module_id(spec.parent)} if spec.parent else {},
        "profiles": [{"name": "Administrator", "id": f"{ORG_PREFIX}000000000497"}],
        "web_link": None, "arguments": [], "access_type": "org_based", "lookupable": served,
        "presence_sub_menu": served, "sub_menu_available": served, "feeds_required": False,
    }


def build_fields(api_name: str) -> list[dict[str, Any]]:
    return expand_table(api_name, MODULES[api_name].table or [])


def expand_table(api_name: str, table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A field table in Zoho's field-metadata shape, with ids unique to the module (subforms.py uses it too)."""
    base = 100_000 + list(MODULES).index(api_name) * 1000
    return [_expand(api_name, spec, f"{ORG_PREFIX}{base + i:012d}") for i, spec in enumerate(table)]


def _expand(module: str, spec: dict[str, Any], field_id: str) -> dict[str, Any]:
    dtype = spec["data_type"]
    read_only, field_read_only, writable = _write_flags(spec)
    label = "Record Id" if spec["api_name"] == "id" else spec["api_name"].replace("__s", "").replace("_", " ")
    json_type = spec.get("json_type") or JSON_TYPES.get(spec.get("return_type", dtype), "string")
    return {
        "id": field_id, "api_name": spec["api_name"], "field_label": label, "display_label": label,
        "data_type": dtype, "json_type": json_type, "length": spec.get("length", DEFAULT_LENGTH.get(dtype, 120)),
        "decimal_place": spec.get("decimal_place", 2 if json_type == "double" else None),
        "system_mandatory": bool(spec.get("mandatory")), "read_only": read_only, "field_read_only": field_read_only,
        "custom_field": bool(spec.get("custom")), "visible": True, "type": "used",
        "sortable": spec.get("sortable", True),
        "filterable": dtype not in SINGLE_RECORD_ONLY, "searchable": dtype not in SINGLE_RECORD_ONLY,
        "mass_update": writable, "virtual_field": False,
        "operation_type": {"web_update": writable, "api_create": writable, "web_create": writable,
                           "api_update": writable},
        "pick_list_values": _picklist(spec.get("picklist") or []), "lookup": _lookup(spec, field_id),
        "unique": {"casesensitive": "0"} if spec.get("unique") else {},
        "formula": {"return_type": spec["return_type"], "expression": spec["expression"],
                    "dynamic": bool(spec.get("dynamic"))}
        if dtype == "formula" else {},
        "currency": {"rounding_option": "normal", "precision": 2} if dtype == "currency" else {},
        "auto_number": {"prefix": spec["prefix"], "start_number": 1} if dtype == "autonumber" else {},
        "multiselectlookup": {"connected_module": {"api_name": spec["lookup"]}} if dtype == "multiselectlookup"
        else {},
        **_subform_keys(module, spec),
        "convert_mapping": {}, "column_name": spec["api_name"].upper(), "ui_type": 1, "created_source":
        "custom" if spec.get("custom") else "default", "history_tracking": None, "crypt": None,
    }


def _subform_keys(module: str, spec: dict[str, Any]) -> dict[str, Any]:
    """A subform field names its subform module: `associated_module: {"module", "id"}` in Zoho's sample Leads
    metadata, `subform: {"module", "id"}` in the v8 OpenAPI file (docs/zoho-api/subforms.md S4); null elsewhere."""
    from zoho_crm_emulator.subforms import module_of  # noqa: PLC0415 - subforms.py builds on this module

    name = module_of(module, spec["api_name"]) if spec["data_type"] == "subform" else None
    ref = {"module": name, "id": module_id(name)} if name else None
    return {"associated_module": ref, "subform": ref}


def _write_flags(spec: dict[str, Any]) -> tuple[bool, bool, bool]:
    """(read_only, field_read_only, operation_type.api_*) the way Zoho's sample Leads metadata combines them:
    system-set fields (`computed`: Created_Time, Full_Name) are read_only false with every operation false;
    read-only ones (`read_only`: id, Converted__s) are both flags true; formulas are read_only only; Owner is
    field_read_only and writable; subforms carry every operation false yet take rows through the Records API
    (api_writable)."""
    dtype = spec["data_type"]
    if dtype == "formula":
        return True, False, False
    if spec.get("read_only") or dtype == "autonumber":
        return True, True, False
    if spec.get("computed"):
        return False, False, False
    if dtype == "subform":
        return False, False, False
    return False, spec["api_name"] in FIELD_READ_ONLY_BUT_WRITABLE, True


def api_writable(fd: dict[str, Any]) -> bool:
    """Whether a write through the API sets this field (writes, clone, seed): `read_only` and `operation_type`
    decide, never `field_read_only`; subforms are written although their operations say false (Insert Records
    page: subform rows go through the Records API)."""
    if fd["read_only"]:
        return False
    ops = fd.get("operation_type") or {}
    return bool(ops.get("api_create") or ops.get("api_update")) or fd["data_type"] == "subform"


def _picklist(values: list[str]) -> list[dict[str, Any]]:
    return [{"display_value": v, "actual_value": v, "id": f"{ORG_PREFIX}{900_000 + i:012d}", "sequence_number": i + 1,
             "type": "used"} for i, v in enumerate(values)]


def _lookup(spec: dict[str, Any], field_id: str) -> dict[str, Any]:
    target = spec.get("lookup")
    if not target or spec["data_type"] != "lookup":
        return {}
    target_id = module_id(target) if target in MODULES else None  # What_Id: the pseudo-module se_module
    return {"module": {"api_name": target, "id": target_id}, "display_label": spec["api_name"],
            "api_name": spec["api_name"], "id": field_id}
