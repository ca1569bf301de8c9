"""Zoho's published module list, replayed through the real client and the real discovery.

The fixture is the sample answer of GET /settings/modules on Zoho's Modules API page (v7,
https://www.zoho.com/crm/developer/docs/api/v7/modules-api.html), its 68 modules cut down to the keys a
connector reads. docs/zoho-api/modules.md says which of them Get Records reads.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import requests_mock

from source_zoho_crm.config import SourceConfig
from source_zoho_crm.discover import discover
from source_zoho_crm.streams import Kind
from unit_tests.client.builders import API, client, token_ok

SAMPLE = json.loads((Path(__file__).parent / "fixtures" / "zoho_modules_sample.json").read_text())
FIELDS = {"fields": [{"api_name": "Name", "data_type": "text", "json_type": "string"},
                     {"api_name": "Modified_Time", "data_type": "datetime", "json_type": "string"}]}
# Get Records' supported modules (v8 page) present in the sample, plus its two custom modules
READABLE = ["Vehicles", "Leads", "Contacts", "Deals", "Tasks", "Events", "Calls", "Products", "Quotes",
            "Sales_Orders", "Purchase_Orders", "Invoices", "Campaigns", "Vendors", "Price_Books", "Cases",
            "Solutions", "Services__s", "Notes", "Appointments__s", "Repairs", "Accounts",
            "Appointments_Rescheduled_History__s"]
REFUSED = {"Approvals", "Attachments", "Actions_Performed", "Visits", "Consents", "Data_Subject_Requests",
           "Data_Enrichment_Stats__s"}


def test_given_zohos_sample_module_list_when_discovering_then_exactly_the_readable_modules_are_streams() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        mock.get(f"{API}/crm/v8/settings/modules", json=SAMPLE)
        fields = mock.get(re.compile(re.escape(f"{API}/crm/v8/settings/fields")), json=FIELDS)

        found = discover(client(), SourceConfig.from_mapping({}), logging.getLogger("test"))

        asked = {request.qs["module"][0].lower() for request in fields.request_history}
    names = [s.name for s in found.streams if s.kind is not Kind.ORG]
    assert names == READABLE
    assert not REFUSED & set(names) and not found.problems
    assert asked == {name.lower() for name in READABLE}  # no metadata call for a module left out
    listed = {m["api_name"]: m for m in SAMPLE["modules"]}
    assert all(listed[name]["api_supported"] and listed[name]["viewable"] for name in REFUSED)
