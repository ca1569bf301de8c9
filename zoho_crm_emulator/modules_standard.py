"""The standard modules beyond the seed's first seven: activities (Events, Calls), inventory (Products, Price_Books,
Quotes, Sales_Orders, Purchase_Orders, Invoices, Vendors), Campaigns and support (Cases, Solutions).

Field tables only, without Created_By/Modified_By/Created_Time/Modified_Time: metadata.py appends
`_system_fields()` to each, so every module shares one definition of them. Names, data types and picklists follow
Zoho's published samples (docs/zoho-api/modules.md): Insert Records' sample inputs for a Quote with
`Quoted_Items`, a Call (`Call_Type`, `Call_Start_Time`, `Call_Duration`, `Call_Purpose`, `Outbound_Call_Status`)
and a recurring Event (`Event_Title`, `Start_DateTime`, `End_DateTime`, `All_day`, `What_Id` + `$se_module`,
`Remind_At`, `Recurring_Activity`), and a published layouts answer that types `Remind_At` as `multireminder`
(jsonarray), `Recurring_Activity` as `RRULE` and `What_Id` as a lookup on the pseudo-module `se_module`.
"""

from __future__ import annotations

from typing import Any

from zoho_crm_emulator.fieldspec import f

# What_Id of an activity points at a record of one of these; `$se_module` beside it names which (Insert Records:
# "$se_module ... Possible values: Accounts, Deals, Products, Quotes, Sales_Orders, Purchase_Orders, Invoices,
# Campaigns, Vendors, and Cases").
WHAT_MODULES = ("Accounts", "Deals", "Products", "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices",
                "Campaigns", "Vendors", "Cases")
SE_MODULE = "se_module"  # the lookup target Zoho's field metadata gives What_Id

# json_type of the activity data types (the layouts answer above)
JSON_TYPES = {"multireminder": "jsonarray", "RRULE": "jsonobject"}

CALL_TYPES = ["Outbound", "Inbound", "Missed"]
CALL_PURPOSES = ["-None-", "Prospecting", "Administrative", "Negotiation", "Demo", "Project", "Desk"]
CALL_STATUSES = ["Scheduled", "Completed", "Overdue", "Cancelled"]
PRODUCT_CATEGORIES = ["-None-", "Hardware", "Software", "CRM Applications"]
QUOTE_STAGES = ["Draft", "Negotiation", "Delivered", "On Hold", "Confirmed", "Closed Won", "Closed Lost"]
SO_STATUSES = ["Created", "Approved", "Delivered", "Cancelled"]
PO_STATUSES = ["Created", "Approved", "Delivered", "Cancelled"]
INVOICE_STATUSES = ["Created", "Approved", "Delivered", "Cancelled"]
CAMPAIGN_TYPES = ["-None-", "Conference", "Webinar", "Trade Show", "Public Relations", "Partners", "Referral Program",
                  "Advertisement", "Banner Ads", "Direct mail", "Email", "Telemarketing", "Others"]
CAMPAIGN_STATUSES = ["-None-", "Planning", "Active", "Inactive", "Complete"]
CASE_STATUSES = ["New", "On Hold", "Escalated", "Closed"]
CASE_ORIGINS = ["-None-", "Email", "Phone", "Web"]
CASE_TYPES = ["-None-", "Problem", "Feature Request", "Question"]
CASE_PRIORITIES = ["-None-", "High", "Medium", "Low"]
SOLUTION_STATUSES = ["Draft", "Reviewed", "Published"]
PRICING_MODELS = ["-None-", "Flat", "Differential"]


def _address(prefix: str) -> list[dict[str, Any]]:
    return [f(f"{prefix}_Street", "text", length=250), f(f"{prefix}_City", "text", length=30),
            f(f"{prefix}_State", "text", length=30), f(f"{prefix}_Code", "text", length=30),
            f(f"{prefix}_Country", "text", length=30)]


def _totals() -> list[dict[str, Any]]:
    """The money fields every inventory record computes from its line items."""
    return [f("Sub_Total", "currency", read_only=True), f("Discount", "currency"), f("Tax", "currency", read_only=True),
            f("Adjustment", "currency"), f("Grand_Total", "currency", read_only=True)]


EVENTS = [
    f("Owner", "ownerlookup"), f("Event_Title", "text", length=255, mandatory=True),
    f("Start_DateTime", "datetime", mandatory=True), f("End_DateTime", "datetime", mandatory=True),
    f("All_day", "boolean"), f("Venue", "text", length=255), f("What_Id", "lookup", lookup=SE_MODULE),
    f("Who_Id", "lookup", lookup="Contacts"), f("Remind_At", "multireminder"), f("Recurring_Activity", "RRULE"),
    f("Description", "textarea"),
]

CALLS = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=255, mandatory=True),
    f("Call_Type", "picklist", picklist=CALL_TYPES, mandatory=True), f("Call_Purpose", "picklist", picklist=CALL_PURPOSES),
    f("Call_Start_Time", "datetime"), f("Call_Duration", "text", length=10),
    f("Call_Duration_in_seconds", "integer", read_only=True), f("Call_Status", "picklist", picklist=CALL_STATUSES),
    f("Outbound_Call_Status", "picklist", picklist=["Scheduled", "Completed"]), f("Call_Result", "text", length=255),
    f("What_Id", "lookup", lookup=SE_MODULE), f("Who_Id", "lookup", lookup="Contacts"), f("Description", "textarea"),
]

VENDORS = [
    f("Owner", "ownerlookup"), f("Vendor_Name", "text", length=120, mandatory=True), f("Email", "email"),
    f("Phone", "phone"), f("Website", "website"), f("GL_Account", "text", length=100), f("Category", "text", length=100),
    f("Street", "text", length=250), f("City", "text", length=30),
    f("State", "text", length=30), f("Zip_Code", "text", length=30), f("Country", "text", length=30),
    f("Description", "textarea"),
]

PRODUCTS = [
    f("Owner", "ownerlookup"), f("Product_Name", "text", length=120, mandatory=True),
    f("Product_Code", "text", length=40), f("Product_Active", "boolean"),
    f("Product_Category", "picklist", picklist=PRODUCT_CATEGORIES), f("Vendor_Name", "lookup", lookup="Vendors"),
    f("Manufacturer", "text", length=100), f("Unit_Price", "currency"), f("Commission_Rate", "currency"),
    f("Qty_in_Stock", "double"), f("Qty_Ordered", "double"), f("Reorder_Level", "double"),
    f("Usage_Unit", "picklist", picklist=["-None-", "Box", "Carton", "Dozen", "Each", "Pieces", "Quantity"]),
    f("Taxable", "boolean"), f("Description", "textarea"),
]

PRICE_BOOKS = [
    f("Owner", "ownerlookup"), f("Price_Book_Name", "text", length=120, mandatory=True), f("Active", "boolean"),
    f("Pricing_Model", "picklist", picklist=PRICING_MODELS), f("Pricing_Details", "subform"),
    f("Description", "textarea"),
]

CAMPAIGNS = [
    f("Owner", "ownerlookup"), f("Campaign_Name", "text", length=120, mandatory=True),
    f("Type", "picklist", picklist=CAMPAIGN_TYPES), f("Status", "picklist", picklist=CAMPAIGN_STATUSES),
    f("Start_Date", "date"), f("End_Date", "date"), f("Expected_Revenue", "currency"), f("Budgeted_Cost", "currency"),
    f("Actual_Cost", "currency"), f("Expected_Response", "integer"), f("Num_sent", "integer"),
    f("Parent_Campaign", "lookup", lookup="Campaigns"), f("Description", "textarea"),
]

SOLUTIONS = [
    f("Owner", "ownerlookup"), f("Solution_Title", "text", length=255, mandatory=True),
    f("Solution_Number", "autonumber", read_only=True, prefix="SOL-"),
    f("Status", "picklist", picklist=SOLUTION_STATUSES), f("Product_Name", "lookup", lookup="Products"),
    f("Question", "textarea"), f("Answer", "textarea"), f("Published", "boolean"),
]

CASES = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=255, mandatory=True),
    f("Case_Number", "autonumber", read_only=True, prefix="CS-"),
    f("Status", "picklist", picklist=CASE_STATUSES, mandatory=True),
    f("Case_Origin", "picklist", picklist=CASE_ORIGINS, mandatory=True), f("Type", "picklist", picklist=CASE_TYPES),
    f("Priority", "picklist", picklist=CASE_PRIORITIES), f("Product_Name", "lookup", lookup="Products"),
    f("Account_Name", "lookup", lookup="Accounts"), f("Deal_Name", "lookup", lookup="Deals"),
    f("Related_To", "lookup", lookup="Contacts"), f("Email", "email"), f("Phone", "phone"),
    f("No_of_comments", "integer", read_only=True), f("Description", "textarea"), f("Solution", "textarea"),
]

QUOTES = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=255, mandatory=True),
    f("Quote_Number", "autonumber", read_only=True, prefix="QT-"),
    f("Quote_Stage", "picklist", picklist=QUOTE_STAGES), f("Valid_Till", "date"),
    f("Deal_Name", "lookup", lookup="Deals"), f("Account_Name", "lookup", lookup="Accounts"),
    f("Contact_Name", "lookup", lookup="Contacts"), f("Carrier", "picklist", picklist=["FedEX", "UPS", "USPS", "DHL"]),
    f("Quoted_Items", "subform", mandatory=True), *_totals(), *_address("Billing"), *_address("Shipping"),
    f("Terms_and_Conditions", "textarea"), f("Description", "textarea"),
]

SALES_ORDERS = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=255, mandatory=True),
    f("SO_Number", "autonumber", read_only=True, prefix="SO-"), f("Status", "picklist", picklist=SO_STATUSES),
    f("Due_Date", "date"), f("Quote_Name", "lookup", lookup="Quotes"), f("Deal_Name", "lookup", lookup="Deals"),
    f("Account_Name", "lookup", lookup="Accounts"), f("Contact_Name", "lookup", lookup="Contacts"),
    f("Ordered_Items", "subform", mandatory=True), *_totals(), *_address("Billing"), *_address("Shipping"),
    f("Terms_and_Conditions", "textarea"), f("Description", "textarea"),
]

PURCHASE_ORDERS = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=255, mandatory=True),
    f("PO_Number", "autonumber", read_only=True, prefix="PO-"), f("Status", "picklist", picklist=PO_STATUSES),
    f("PO_Date", "date"), f("Due_Date", "date"), f("Vendor_Name", "lookup", lookup="Vendors", mandatory=True),
    f("Contact_Name", "lookup", lookup="Contacts"), f("Tracking_Number", "text", length=100),
    f("Purchase_Items", "subform", mandatory=True), *_totals(), *_address("Billing"), *_address("Shipping"),
    f("Terms_and_Conditions", "textarea"), f("Description", "textarea"),
]

INVOICES = [
    f("Owner", "ownerlookup"), f("Subject", "text", length=255, mandatory=True),
    f("Invoice_Number", "autonumber", read_only=True, prefix="INV-"),
    f("Status", "picklist", picklist=INVOICE_STATUSES), f("Invoice_Date", "date"), f("Due_Date", "date"),
    f("Sales_Order", "lookup", lookup="Sales_Orders"), f("Deal_Name__s", "lookup", lookup="Deals"),
    f("Account_Name", "lookup", lookup="Accounts"), f("Contact_Name", "lookup", lookup="Contacts"),
    f("Invoiced_Items", "subform", mandatory=True), *_totals(), *_address("Billing"), *_address("Shipping"),
    f("Terms_and_Conditions", "textarea"), f("Description", "textarea"),
]

# line-item subform field -> the subform module Zoho's module list names for it
LINE_ITEMS = {"Quoted_Items": "Quotes", "Ordered_Items": "Sales_Orders", "Purchase_Items": "Purchase_Orders",
              "Invoiced_Items": "Invoices"}
