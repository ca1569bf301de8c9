from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from airbyte_cdk.models import AirbyteMessageSerializer, ConfiguredAirbyteCatalogSerializer

from source_zoho_crm.failures import SyncFailed
from source_zoho_crm.org_streams import ORG_STREAMS
from source_zoho_crm.source import SourceZohoCrm
from source_zoho_crm.streams import utc_text
from unit_tests.source.fakes import FakeClient, datetime_field, leads, module, text_field, zoho_time
from zoho_crm_client.errors import ModuleNotSupported
from zoho_crm_client.models import FieldMeta

LOG = logging.getLogger("test")
T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
CONFIG = {"client_id": "x", "client_secret": "y", "refresh_token": "z", "start_datetime": "2020-01-01"}


def org(n_leads: int = 450) -> FakeClient:
    fields = [text_field("Last_Name"), text_field("Email"), datetime_field("Modified_Time")]
    notes = [{"id": "n1", "Note_Title": "hi", "Modified_Time": zoho_time(T0),
              "Parent_Id": {"module": {"api_name": "Leads"}, "id": "1", "name": "Lead 1"}}]
    return FakeClient(
        modules_meta=[module("Leads"), module("Notes")],
        fields_meta={"Leads": fields, "Notes": [text_field("Note_Title"), text_field("Parent_Id"),
                                                datetime_field("Modified_Time")]},
        records={"Leads": leads(n_leads, start=T0), "Notes": notes},
        deleted={"Leads": [{"id": "900", "deleted_time": zoho_time(T0 + timedelta(days=1))},
                           {"id": "901", "deleted_time": zoho_time(T0 + timedelta(days=2))}]},
        coql_rows=[{"id": str(i), "Last_Name": f"L{i}", "Modified_Time": f"2024-05-01T00:00:{i:02d}+00:00"}
                   for i in range(10, 60)],
    )


def catalog(client: FakeClient, config: dict[str, Any], names: list[str] | None = None,
            sync_mode: str = "incremental") -> Any:
    source = SourceZohoCrm(lambda c, log: client)
    streams = source.discover(LOG, config).streams
    entries = [{"stream": AirbyteMessageSerializer.dump(_catalog_message(s))["catalog"]["streams"][0],
                "sync_mode": sync_mode if sync_mode in [m.value for m in s.supported_sync_modes] else "full_refresh",
                "destination_sync_mode": "append"}
               for s in streams if (s.name in names if names is not None else s.name not in ORG_STREAMS)]
    return ConfiguredAirbyteCatalogSerializer.load({"streams": entries})


def _catalog_message(stream: Any) -> Any:
    from airbyte_cdk.models import AirbyteCatalog, AirbyteMessage, Type
    return AirbyteMessage(type=Type.CATALOG, catalog=AirbyteCatalog(streams=[stream]))


def run_read(client: FakeClient, config: dict[str, Any], configured: Any, state: Any = None) -> list[dict]:
    source = SourceZohoCrm(lambda c, log: client)
    out: list[dict] = []
    try:
        for message in source.read(LOG, config, configured, state):
            out.append(AirbyteMessageSerializer.dump(message))
    except SyncFailed:
        out.append({"type": "EXIT", "code": 1})
    return out


def records(out: list[dict], stream: str) -> list[dict]:
    return [m["record"]["data"] for m in out if m["type"] == "RECORD" and m["record"]["stream"] == stream]


def states(out: list[dict], stream: str) -> list[dict]:
    return [m["state"]["stream"]["stream_state"] for m in out
            if m["type"] == "STATE" and m["state"]["stream"]["stream_descriptor"]["name"] == stream]


def as_input_state(out: list[dict]) -> list[dict]:
    last: dict[str, dict] = {}
    for m in out:
        if m["type"] == "STATE":
            last[m["state"]["stream"]["stream_descriptor"]["name"]] = m["state"]
    return list(last.values())


def test_given_a_first_sync_then_every_record_and_tombstone_is_emitted_with_a_state_per_page() -> None:
    client = org()
    configured = catalog(client, CONFIG, ["Leads"])
    client.calls.clear()

    out = run_read(client, CONFIG, configured)

    rows = records(out, "Leads")
    assert [r["id"] for r in rows[:450]] == [str(i) for i in range(1, 451)]
    assert rows[0].get("_ab_cdc_deleted_at") is None  # the CDK's serialiser leaves null values out
    assert {r["id"]: r["_ab_cdc_deleted_at"] for r in rows[450:]} == {
        "901": utc_text(zoho_time(T0 + timedelta(days=2))), "900": utc_text(zoho_time(T0 + timedelta(days=1)))}
    assert rows[450]["Modified_Time"] == rows[450]["_ab_cdc_deleted_at"]
    assert len(states(out, "Leads")) == 4  # 3 pages of records, then the deleted cursor
    assert states(out, "Leads")[-1] == {
        "Modified_Time": "2024-05-01T00:07:29Z", "ids_at_cursor": ["450"],
        "deleted": {"deleted_time": "2024-05-03T00:00:00Z", "ids_at_cursor": ["901"]}}
    assert not any(k.startswith(("modules", "fields")) for k in client.calls)


def test_given_the_catalog_when_reading_then_only_its_columns_are_requested() -> None:
    client = org()
    configured = catalog(client, CONFIG, ["Leads", "Notes"])

    run_read(client, CONFIG, configured)

    assert client.requested_fields["Leads"] == ["Last_Name", "Email", "Modified_Time"]
    assert client.requested_fields["Notes"] == ["Note_Title", "Parent_Id", "Modified_Time"]


def test_given_notes_then_the_parent_is_emitted_as_plain_columns() -> None:
    client = org()

    note = records(run_read(client, CONFIG, catalog(client, CONFIG, ["Notes"])), "Notes")[0]

    assert (note["parent_module"], note["parent_id"]) == ("Leads", "1")


def test_given_the_previous_state_and_no_changes_then_nothing_is_emitted_and_one_call_per_endpoint_is_made() -> None:
    client = org()
    configured = catalog(client, CONFIG, ["Leads"])
    first = run_read(client, CONFIG, configured)
    client.calls.clear()

    second = run_read(client, CONFIG, configured, as_input_state(first))

    assert records(second, "Leads") == []
    assert dict(client.calls) == {"records:Leads": 1, "deleted:Leads": 1}
    assert states(second, "Leads")[-1] == states(first, "Leads")[-1]


def test_given_changes_at_the_boundary_second_then_new_ids_there_are_read_and_old_ones_are_not() -> None:
    client = org(n_leads=3)
    configured = catalog(client, CONFIG, ["Leads"])
    first = run_read(client, CONFIG, configured)
    last = client.records["Leads"][-1]["Modified_Time"]
    client.records["Leads"].append({"id": "77", "Last_Name": "same second", "Modified_Time": last})
    client.deleted["Leads"].append({"id": "3", "deleted_time": zoho_time(T0 + timedelta(days=3))})

    second = run_read(client, CONFIG, configured, as_input_state(first))

    assert [r["id"] for r in records(second, "Leads")] == ["77", "3"]
    assert states(second, "Leads")[-1]["ids_at_cursor"] == ["3", "77"]


def test_given_people_editing_between_pages_then_no_row_slips_past_the_cursor() -> None:
    client = org(n_leads=450)
    configured = catalog(client, CONFIG, ["Leads"])
    edited = []

    def edit(fake: FakeClient) -> None:
        # An update moves row 1 to the end and a delete removes row 2: the rows behind shift back by two.
        if not edited:
            rows = fake.records["Leads"]
            rows[0]["Modified_Time"] = zoho_time(T0 + timedelta(hours=1))
            del rows[1]
            edited.append(True)

    client.between_pages = edit
    out = run_read(client, CONFIG, configured)

    assert {r["id"] for r in client.records["Leads"]} <= set(live_ids(out, "Leads"))


def live_ids(out: list[dict], stream: str) -> list[str]:
    return [r["id"] for r in records(out, stream) if not r.get("_ab_cdc_deleted_at")]


def test_given_full_refresh_then_no_tombstones_and_a_final_state_only() -> None:
    client = org(n_leads=5)

    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Leads"], sync_mode="full_refresh"))

    assert len(records(out, "Leads")) == 5
    assert states(out, "Leads") == [{"__ab_no_cursor_state_message": True}]


def test_given_include_deleted_off_then_no_deleted_call_is_made() -> None:
    client = org(n_leads=5)
    config = {**CONFIG, "include_deleted": False}

    run_read(client, config, catalog(client, config, ["Leads"]))

    assert client.calls["deleted:Leads"] == 0


def test_given_the_budget_runs_out_then_the_last_state_is_emitted_and_the_next_run_completes() -> None:
    client = org(n_leads=1000)
    configured = catalog(client, CONFIG, ["Leads"])
    client.budget_calls = client.stats.calls + 3

    first = run_read(client, CONFIG, configured)

    assert first[-1] != {"type": "EXIT", "code": 1}  # reaching the budget is not an error (docs/source.md)
    assert not [m for m in first if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    warnings = [m["log"]["message"] for m in first if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert any("budget" in w and "resumes" in w for w in warnings)
    # three calls of 200; each restart from the cursor tells the client the ids it already has there
    assert len(records(first, "Leads")) == 600
    assert states(first, "Leads")[-1]["Modified_Time"] == "2024-05-01T00:09:59Z"
    client.budget_calls = None
    second = run_read(client, CONFIG, configured, as_input_state(first))
    live = [r["id"] for r in records(first, "Leads") + records(second, "Leads") if not r.get("_ab_cdc_deleted_at")]
    assert sorted(live, key=int) == [str(i) for i in range(1, 1001)]


def test_given_several_streams_in_parallel_then_each_states_comes_after_the_records_it_covers() -> None:
    client = org(n_leads=1000)
    configured = catalog(client, CONFIG)

    out = run_read(client, {**CONFIG, "max_concurrent_requests": 4}, configured)

    seen: dict[str, set[str]] = {"Leads": set(), "Notes": set()}
    for m in out:
        if m["type"] == "RECORD":
            seen[m["record"]["stream"]].add(m["record"]["data"]["id"])
        elif m["type"] == "STATE" and "ids_at_cursor" in m["state"]["stream"]["stream_state"]:
            state = m["state"]["stream"]["stream_state"]
            assert set(state["ids_at_cursor"]) <= seen[m["state"]["stream"]["stream_descriptor"]["name"]]


def test_given_a_sync_then_stream_statuses_and_a_summary_are_emitted() -> None:
    client = org()

    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Leads"]))

    statuses = [m["trace"]["stream_status"]["status"] for m in out
                if m["type"] == "TRACE" and m["trace"]["type"] == "STREAM_STATUS"]
    assert statuses == ["STARTED", "RUNNING", "COMPLETE"]
    logs = [m["log"]["message"] for m in out if m["type"] == "LOG"]
    assert any(line.startswith("Leads: page 1, 200 records") for line in logs)
    assert any(line.startswith("Leads: complete: 450 records, 2 tombstones") for line in logs)
    assert any(m["type"] == "TRACE" and m["trace"]["type"] == "ESTIMATE" for m in out)


COQL_CONFIG = {**CONFIG, "modules": ["Leads"], "coql_streams": [
    {"name": "recent", "query": "select Last_Name, Modified_Time from Leads where Last_Name is not null",
     "cursor_field": "Modified_Time"}]}


def test_given_an_incremental_coql_stream_then_its_state_is_the_last_keyset_position() -> None:
    client = org()
    configured = catalog(client, COQL_CONFIG, ["recent"])

    first = run_read(client, COQL_CONFIG, configured)
    client.coql_rows.append({"id": "99", "Last_Name": "new", "Modified_Time": "2024-05-01T00:01:00+00:00"})
    second = run_read(client, COQL_CONFIG, configured, as_input_state(first))

    assert len(records(first, "recent")) == 50
    assert states(first, "recent")[-1] == {"Modified_Time": "2024-05-01T00:00:59Z", "last_id": "59"}
    assert [r["id"] for r in records(second, "recent")] == ["99"]


SEARCH_CONFIG = {**CONFIG, "modules": ["Leads"],
                 "search_streams": [{"name": "all_leads", "module": "Leads", "criteria": "(Email:starts_with:l)"}]}


def test_given_a_search_past_its_ceiling_then_every_row_is_read_without_a_warning() -> None:
    client = org(n_leads=2500)

    out = run_read(client, SEARCH_CONFIG, catalog(client, SEARCH_CONFIG, ["all_leads"]))

    assert sorted(r["id"] for r in records(out, "all_leads")) == sorted(r["id"] for r in client.records["Leads"])
    assert not [m for m in out if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert states(out, "all_leads")[-1] == {"__ab_no_cursor_state_message": True}


def test_given_a_search_that_cannot_be_split_then_the_stream_ends_with_a_warning_suggesting_coql() -> None:
    client = org(n_leads=2500)
    client.unsplittable_search = True

    out = run_read(client, SEARCH_CONFIG, catalog(client, SEARCH_CONFIG, ["all_leads"]))

    assert len(records(out, "all_leads")) == 2000
    warning = next(m["log"]["message"] for m in out if m["type"] == "LOG" and m["log"]["level"] == "WARN"
                   and "2,000" in m["log"]["message"])
    assert "COQL" in warning and warning.startswith("Stream all_leads:")
    assert not [m for m in out if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    statuses = [m["trace"]["stream_status"]["status"] for m in out
                if m["type"] == "TRACE" and m["trace"]["type"] == "STREAM_STATUS"]
    assert statuses[-1] == "COMPLETE"


@pytest.mark.parametrize("legacy", [
    {"Leads": {"Modified_Time": "2024-05-01T05:35:00+05:30"}},
    [{"type": "LEGACY", "data": {"Leads": {"Modified_Time": "2024-05-01T00:05:00Z"}}}],
])
def test_given_a_legacy_state_then_the_read_resumes_from_its_cursor(legacy: Any) -> None:
    client = org()

    out = run_read(client, CONFIG, catalog(client, CONFIG, ["Leads"]), legacy)

    assert records(out, "Leads")[0]["Modified_Time"] == utc_text(zoho_time(T0 + timedelta(minutes=5)))


def test_given_bulk_read_always_then_the_first_sync_exports_the_module_and_continues_over_rest() -> None:
    client = org(n_leads=450)
    client.fields_meta["Leads"] += [FieldMeta(api_name="Owner", data_type="ownerlookup"),
                                    FieldMeta(api_name="Tags", data_type="multiselectpicklist"),
                                    FieldMeta(api_name="Score", data_type="integer"),
                                    FieldMeta(api_name="Lines", data_type="subform")]
    for i, row in enumerate(client.records["Leads"]):
        row.update(Owner={"id": "9", "name": "Pat"}, Tags=["a", "b"], Score=i, Lines=[{"id": "1"}])
    config = {**CONFIG, "bulk_read": "always"}
    configured = catalog(client, config, ["Leads", "Notes"])

    out = run_read(client, config, configured)

    rows = live(records(out, "Leads"))
    assert len(rows) == 450 and client.calls["bulk:Leads"] == 1 and client.calls["bulk:Notes"] == 0
    assert rows["7"]["Owner"] == {"id": "9"} and rows["7"]["Tags"] == ["a", "b"] and rows["7"]["Score"] == 6
    assert "Lines" not in client.requested_fields["bulk:Leads"]
    assert client.calls["records:Leads"] == 1  # the REST catch-up from the cursor the export left
    assert states(out, "Leads")[-1]["Modified_Time"] == "2024-05-01T00:07:29Z"


def live(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows if not r.get("_ab_cdc_deleted_at")}


def test_given_bulk_read_auto_when_a_module_proves_large_then_the_rest_is_exported_once_each(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("source_zoho_crm.readers.bulk.AUTO_AFTER_PAGES", 2)
    client = org(n_leads=1000)
    config = {**CONFIG, "bulk_read": "auto"}

    out = run_read(client, config, catalog(client, config, ["Leads"]))

    ids = [r["id"] for r in records(out, "Leads") if not r.get("_ab_cdc_deleted_at")]
    assert sorted(ids, key=int) == [str(i) for i in range(1, 1001)]
    assert client.calls["bulk:Leads"] == 1
    assert client.calls["records:Leads"] == 3  # two pages, then one catch-up from the export's cursor


def test_given_bulk_read_auto_and_a_small_module_then_rest_reads_it_all() -> None:
    client = org(n_leads=300)
    config = {**CONFIG, "bulk_read": "auto"}

    out = run_read(client, config, catalog(client, config, ["Leads"]))

    assert len(live(records(out, "Leads"))) == 300 and client.calls["bulk:Leads"] == 0


@pytest.mark.parametrize(("raw", "says"), [
    ({"streams": "Leads"}, "'streams' must be a list"),
    ({"streams": [{"sync_mode": "full_refresh"}]}, "streams[0] has no stream name"),
])
def test_given_a_malformed_catalog_when_reading_then_the_error_says_what_is_wrong(
        tmp_path: Any, raw: Any, says: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(raw))

    out = run_read(org(), CONFIG, SourceZohoCrm.read_catalog(str(path)))

    error = next(m["trace"]["error"] for m in out if m["type"] == "TRACE")
    assert says in error["message"] and error["failure_type"] == "config_error"
    assert out[-1] == {"type": "EXIT", "code": 1}


def test_given_a_module_zoho_refuses_when_reading_then_it_is_incomplete_with_a_warning_and_the_others_complete(
) -> None:
    """docs/zoho-api/modules.md: Get Records answers 400 INVALID_MODULE for modules settings/modules lists as
    api_supported (Approvals, Attachments, ...); the sync goes on without them and does not fail."""
    client = org(n_leads=5)
    client.modules_meta.append(module("Approvals"))
    client.fields_meta["Approvals"] = [text_field("Name"), datetime_field("Modified_Time")]
    client.refused_modules = {"Approvals"}
    config = {**CONFIG, "modules": ["Leads", "Approvals", "Notes"]}

    out = run_read(client, config, catalog(client, config))

    assert {"type": "EXIT", "code": 1} not in out
    assert not [m for m in out if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    ends = {m["trace"]["stream_status"]["stream_descriptor"]["name"]: m["trace"]["stream_status"]["status"]
            for m in out if m["type"] == "TRACE" and m["trace"]["type"] == "STREAM_STATUS"}
    assert ends == {"Leads": "COMPLETE", "Notes": "COMPLETE", "Approvals": "INCOMPLETE"}
    warnings = [m["log"]["message"] for m in out if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert any("Approvals" in w and "INVALID_MODULE" in w and "not supported" in w for w in warnings)
    assert len(live_ids(out, "Leads")) == 5 and states(out, "Leads")


def test_given_a_coql_stream_on_a_refused_module_then_the_sync_still_fails() -> None:
    """Only module streams are skipped: a COQL or search stream is the user's own query, theirs to fix."""
    client = org(n_leads=5)
    config = {**CONFIG, "modules": ["Leads"], "search_streams": [{"name": "s", "module": "Leads",
                                                                   "criteria": "(Last_Name:equals:L1)"}]}
    configured = catalog(client, config)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ModuleNotSupported("not supported", status=400, code="INVALID_MODULE")

    client.search_pages = refuse  # type: ignore[method-assign]
    out = run_read(client, config, configured)

    assert {"type": "EXIT", "code": 1} in out
