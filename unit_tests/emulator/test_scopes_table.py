"""The scope table covers every authenticated route, and a scope grants what Zoho's scope grammar says."""

from __future__ import annotations

import pytest

from zoho_crm_emulator import scopes, urls


def test_every_authenticated_route_has_its_scopes():
    missing = [r.template_key for r in urls.ROUTES if r.handler is not None and r.template_key not in scopes.TABLE]
    assert missing == []
    assert set(scopes.TABLE) <= {r.template_key for r in urls.ROUTES}


@pytest.mark.parametrize(("granted", "needed", "expected"), [
    ("ZohoCRM.modules.ALL", "ZohoCRM.modules.leads.READ", True),
    ("ZohoCRM.modules.all", "ZohoCRM.modules.leads.DELETE", True),
    ("ZohoCRM.modules.READ", "ZohoCRM.modules.leads.READ", True),
    ("ZohoCRM.modules.READ", "ZohoCRM.modules.leads.CREATE", False),
    ("ZohoCRM.modules.leads.WRITE", "ZohoCRM.modules.leads.CREATE", True),
    ("ZohoCRM.settings.ALL", "ZohoCRM.settings.fields.READ", True),
    ("ZohoCRM.settings.modules.READ", "ZohoCRM.settings.fields.READ", False),
    ("ZohoCRM.modules.ALL", "ZohoCRM.coql.READ", False),
    ("ZohoCRM.modules.ALL", "ZohoCRM.modulesx.READ", False),
    ("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.READ", True),
])
def test_grants(granted, needed, expected):
    assert scopes.grants(granted, needed) is expected


def test_module_scope_names():
    assert scopes.module_scope_names("Sales_Orders", custom=False) == ("salesorders",)
    assert scopes.module_scope_names("CustomModule1", custom=True) == ("custommodule1", "custom")
