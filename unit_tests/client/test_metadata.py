from __future__ import annotations

import threading

import requests_mock

from unit_tests.client.builders import API, client, token_ok

FIELDS = {"fields": [{"api_name": "Last_Name", "data_type": "text", "system_mandatory": True},
                     {"api_name": "Account_Name", "data_type": "lookup",
                      "lookup": {"module": {"api_name": "Accounts"}}}]}


def test_modules_ask_for_hidden_statuses_so_notes_appears() -> None:
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{API}/crm/v8/settings/modules", json={"modules": [
            {"api_name": "Leads", "generated_type": "default", "api_supported": True, "creatable": True},
            {"api_name": "Notes", "status": "system_hidden"}, {"api_name": "Home", "api_supported": False}]})
        modules = client().modules()
    assert hit.last_request.qs["status"] == ["visible,user_hidden,system_hidden"]
    assert [(m.api_name, m.api_supported, m.status) for m in modules] == [
        ("Leads", True, "visible"), ("Notes", True, "system_hidden"), ("Home", False, "visible")]


def test_fields_are_fetched_once_even_when_two_threads_ask_together() -> None:
    zoho = client()
    start = threading.Barrier(4)
    seen = []
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{API}/crm/v8/settings/fields", json=FIELDS)

        def ask() -> None:
            start.wait()
            seen.append(zoho.fields("Leads"))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert hit.call_count == 1 and len(seen) == 4 and all(s is seen[0] for s in seen)
    assert seen[0][1].lookup_module == "Accounts" and seen[0][0].system_mandatory


def test_fields_of_two_modules_are_two_calls() -> None:
    zoho = client()
    with requests_mock.Mocker() as mock:
        token_ok(mock)
        hit = mock.get(f"{API}/crm/v8/settings/fields", json=FIELDS)
        zoho.fields("Leads")
        zoho.fields("Contacts")
        zoho.fields("Leads")
    assert [h.qs["module"] for h in hit.request_history] == [["leads"], ["contacts"]]
