"""A Zoho user without the deleted-records privilege (docs/zoho-api/scopes.md): the module's records are synced,
its state saved with the deletions cursor where it was, and a warning names include_deleted."""

from __future__ import annotations

import pytest

from unit_tests.source.test_read import CONFIG, as_input_state, catalog, org, records, run_read, states
from zoho_crm_client.errors import PermissionError_


@pytest.mark.parametrize(("status", "code"), [(403, "NO_PERMISSION"), (400, "AUTHORIZATION_FAILED")])
def test_given_the_deleted_list_refused_then_records_and_state_are_kept_and_include_deleted_is_named(
        status: int, code: str) -> None:
    client = org(n_leads=10)
    configured = catalog(client, CONFIG, ["Leads"])
    first = run_read(client, CONFIG, configured)
    saved_deleted = states(first, "Leads")[-1]["deleted"]

    client.deleted_refusal = PermissionError_("the Zoho user's profile lacks a privilege", status=status, code=code)
    second = run_read(client, CONFIG, configured, as_input_state(first))

    warnings = [m["log"]["message"] for m in second if m.get("type") == "LOG" and m["log"]["level"] == "WARN"]
    assert any("include_deleted" in w and code in w and "Stream Leads" in w for w in warnings)
    assert not any(r.get("_ab_cdc_deleted_at") for r in records(second, "Leads"))
    last = states(second, "Leads")[-1]
    assert last["deleted"] == saved_deleted  # the next sync asks again from the same point
    assert last["Modified_Time"] == states(first, "Leads")[-1]["Modified_Time"]
    assert not [m for m in second if m.get("type") == "TRACE" and m["trace"]["type"] == "ERROR"]
