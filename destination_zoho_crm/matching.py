"""Which fields identify a record for upsert: Zoho's system duplicate-check fields plus user-unique fields.

docs/zoho-api.md section 8 (`duplicate_check_fields`): only system-unique fields or user-defined unique fields
may be named. The metadata flags user-unique fields (`unique`); the system ones are Zoho's fixed table below.
"""

from __future__ import annotations

from collections.abc import Iterable

from zoho_crm_client.models import FieldMeta, ModuleMeta

# Section 8: the system duplicate-check field of each standard module; every custom module uses `Name`.
SYSTEM_DUPLICATE_CHECK: dict[str, str] = {
    "Leads": "Email",
    "Contacts": "Email",
    "Accounts": "Account_Name",
    "Deals": "Deal_Name",
    "Campaigns": "Campaign_Name",
    "Cases": "Subject",
    "Quotes": "Subject",
    "Sales_Orders": "Subject",
    "Purchase_Orders": "Subject",
    "Invoices": "Subject",
    "Solutions": "Solution_Title",
    "Products": "Product_Name",
    "Vendors": "Vendor_Name",
    "Price_Books": "Price_Book_Name",
}
CUSTOM_MODULE_KEY = "Name"


def system_key(module: ModuleMeta) -> str | None:
    if module.generated_type == "custom":
        return CUSTOM_MODULE_KEY
    return SYSTEM_DUPLICATE_CHECK.get(module.api_name)


def duplicate_check_fields(module: ModuleMeta, fields: Iterable[FieldMeta]) -> list[str]:
    """The fields Zoho may match an upsert on, system field first (the order Zoho applies when none is given)."""
    names = {f.api_name for f in fields}
    system = system_key(module)
    keys = [system] if system in names else []
    keys += [f.api_name for f in fields if f.unique and f.api_name not in keys]
    return keys
