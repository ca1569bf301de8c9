"""The organisation streams' reader (source_zoho_crm/readers/org.py) with every answer Zoho may give.

Users' If-Modified-Since is documented ("to get the list of recently modified users", Zoho's Get Users page) but
whether Zoho applies it inclusively, or at all, is not published (docs/zoho-api/org.md): the reader must keep
exactly the users at or after the boundary whatever Zoho sends back, and never lose one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from unit_tests.source.fakes import FakeClient, datetime_field, module, text_field
from unit_tests.source.test_read import CONFIG, catalog, run_read, states
from zoho_crm_client.errors import FeatureNotEnabled, ScopeMissingError
from zoho_crm_client.models import Page

USERS = [{"id": str(i), "full_name": f"User {i}", "Modified_Time": f"2025-12-0{i}T10:00:00+05:30"}
         for i in range(1, 5)]


@dataclass
class OrgClient(FakeClient):
    """FakeClient plus the org's lists; `honours_since` False: Zoho ignores If-Modified-Since."""

    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    refusals: dict[str, Exception] = field(default_factory=dict)
    honours_since: bool = True
    asked: list[tuple[str, str | None, datetime | None]] = field(default_factory=list)

    def iter_org_list(self, name: str, *, module: str | None = None, since: datetime | None = None
                      ) -> Iterator[Page]:
        self.asked.append((name, module, since))
        if name in self.refusals:
            raise self.refusals[name]
        rows = [{**r} for r in self.lists.get(name, [])]
        if since is not None and self.honours_since:
            rows = [r for r in rows if datetime.fromisoformat(r["Modified_Time"]) >= since]
        yield Page(records=rows)


def org(**kwargs: Any) -> OrgClient:
    return OrgClient(modules_meta=[module("Leads"), module("Notes")],
                     fields_meta={"Leads": [text_field("Last_Name"), datetime_field("Modified_Time")],
                                  "Notes": [text_field("Note_Title"), datetime_field("Modified_Time")]},
                     lists={"users": USERS, "tags": [{"id": "9", "name": "Hot", "color_code": "#F17574"}]}, **kwargs)


def user_ids(out: list[dict]) -> list[str]:
    return [m["record"]["data"]["id"] for m in out if m["type"] == "RECORD" and m["record"]["stream"] == "Users"]


def users_state(boundary: str, ids: list[str]) -> list[dict]:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "Users"},
                                          "stream_state": {"Modified_Time": boundary, "ids_at_cursor": ids}}}]


def test_given_zoho_ignores_if_modified_since_then_only_users_at_or_after_the_boundary_are_emitted() -> None:
    client = org(honours_since=False)
    state = users_state("2025-12-02T04:30:00Z", ["2"])  # user 2's Modified_Time in UTC, already emitted

    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Users"]), state)

    assert user_ids(out) == ["3", "4"]
    assert states(out, "Users")[-1]["Modified_Time"] == "2025-12-04T04:30:00Z"


def test_given_zoho_honours_it_then_the_boundary_row_is_recognised_by_id_and_the_state_is_saved_at_the_end() -> None:
    client = org()
    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Users"]), users_state("2025-12-04T04:30:00Z", ["4"]))

    assert user_ids(out) == [] and states(out, "Users")[-1]["ids_at_cursor"] == ["4"]
    assert client.asked[-1][2] is not None  # the boundary went to the client, which sends If-Modified-Since


def test_given_a_first_sync_then_start_datetime_does_not_cut_users() -> None:
    client = org()
    out = run_read(client, {**CONFIG, "start_datetime": "2025-12-03"}, catalog(client, CONFIG, ["Users"]))

    assert user_ids(out) == ["1", "2", "3", "4"] and client.asked[-1][2] is None


def test_given_a_missing_scope_then_the_stream_is_incomplete_with_a_warning_and_the_sync_does_not_fail() -> None:
    client = org(refusals={"users": ScopeMissingError("no", code="OAUTH_SCOPE_MISMATCH")})
    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Users", "Leads"]))

    ends = {m["trace"]["stream_status"]["stream_descriptor"]["name"]: m["trace"]["stream_status"]["status"]
            for m in out if m["type"] == "TRACE" and m["trace"]["type"] == "STREAM_STATUS"}
    assert ends == {"Users": "INCOMPLETE", "Leads": "COMPLETE"} and {"type": "EXIT", "code": 1} not in out
    warnings = [m["log"]["message"] for m in out if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert any("ZohoCRM.users.READ" in w and "Stream Users" in w for w in warnings)


def test_given_a_feature_the_org_lacks_then_the_stream_completes_empty() -> None:
    client = org(refusals={"territories": FeatureNotEnabled("Territory Management is not enabled",
                                                            code="FEATURE_NOT_ENABLED")})
    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Territories"]))

    assert not [m for m in out if m["type"] == "RECORD"]
    assert states(out, "Territories")[-1] == {"__ab_no_cursor_state_message": True}


def test_given_tags_then_each_module_of_the_catalog_is_asked_and_its_rows_carry_the_module() -> None:
    client = org()
    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Tags"]))

    rows = [m["record"]["data"] for m in out if m["type"] == "RECORD"]
    assert rows == [{"id": "9", "name": "Hot", "color_code": "#F17574", "module": "Leads"}]
    assert [a for a in client.asked if a[0] == "tags"] == [("tags", "Leads", None)]
