"""The organisation streams (Users, Roles, Profiles, Territories, Org, Currencies, Layouts, Tags) through the
`source-zoho-crm` console script against the emulator: what a sync emits equals what the emulator serves, value
for value; Users is incremental; a token without a list's scope warns and the other streams finish
(docs/source.md "Organisation streams", docs/zoho-api/org.md)."""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.emulator.api import Api
from integration_tests.harness import Emulator, configured_catalog, run_connector, same_value

ORG_STREAMS = ["Users", "Roles", "Profiles", "Territories", "Org", "Currencies", "Layouts", "Tags"]
# stream -> (path, answer key) of the list the emulator serves: the ground truth a sync must equal
SERVED = {"Users": ("users?type=AllUsers", "users"), "Roles": ("settings/roles", "roles"),
          "Profiles": ("settings/profiles", "profiles"), "Territories": ("settings/territories", "territories"),
          "Org": ("org", "org"), "Currencies": ("org/currencies", "currencies")}
PER_MODULE = {"Layouts": ("settings/layouts", "layouts"), "Tags": ("settings/tags", "tags")}


@pytest.fixture(scope="module")
def emu():
    with Emulator(records=20) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def streams(emu) -> list[dict[str, Any]]:
    run = run_connector("source-zoho-crm", "discover", config=emu.config())
    return run.of_type("CATALOG")[0]["catalog"]["streams"]


def statuses(run: Any) -> dict[str, str]:
    return {t["stream_status"]["stream_descriptor"]["name"]: t["stream_status"]["status"]
            for t in run.traces("STREAM_STATUS")}


def served(emu: Emulator, stream: dict[str, Any]) -> list[dict[str, Any]]:
    api = Api(emu)
    name = stream["name"]
    if name in SERVED:
        path, key = SERVED[name]
        return api.get(path).json()[key]
    path, key = PER_MODULE[name]
    modules = stream["json_schema"]["properties"]["module"]["enum"]
    return [{**row, "module": m} for m in modules for row in api.get(path, module=m).json()[key]]


def same_rows(emitted: list[dict[str, Any]], expected: list[dict[str, Any]], key: tuple[str, ...]) -> None:
    by_key = {tuple(r[k] for k in key): r for r in expected}
    assert sorted(tuple(r[k] for k in key) for r in emitted) == sorted(by_key), "different rows"
    for row in emitted:
        truth = by_key[tuple(row[k] for k in key)]
        wrong = {k: (row.get(k), v) for k, v in truth.items() if not same_value(row.get(k), v)}
        assert not wrong, wrong


def test_discover_offers_each_organisation_stream_with_its_key_and_cursor(streams):
    by_name = {s["name"]: s for s in streams}
    assert set(ORG_STREAMS) <= set(by_name)
    assert by_name["Users"]["default_cursor_field"] == ["Modified_Time"]
    assert "incremental" in by_name["Users"]["supported_sync_modes"]
    assert by_name["Tags"]["source_defined_primary_key"] == [["module"], ["id"]]
    assert by_name["Roles"]["supported_sync_modes"] == ["full_refresh"]
    assert "Notes" not in by_name["Tags"]["json_schema"]["properties"]["module"]["enum"]
    assert "Leads" in by_name["Layouts"]["json_schema"]["properties"]["module"]["enum"]


def test_a_full_sync_of_every_organisation_stream_equals_what_the_emulator_serves(emu, streams):
    catalog = configured_catalog(streams, sync_mode="full_refresh", names=ORG_STREAMS)
    run = run_connector("source-zoho-crm", "read", config=emu.config(), catalog=catalog)
    assert run.returncode == 0 and not run.traces("ERROR"), run.stderr[-2000:]
    assert {n: statuses(run).get(n) for n in ORG_STREAMS} == dict.fromkeys(ORG_STREAMS, "COMPLETE")
    for stream in (s for s in streams if s["name"] in ORG_STREAMS):
        key = tuple(k[0] for k in stream["source_defined_primary_key"])
        expected = served(emu, stream)
        assert expected, stream["name"]
        same_rows(run.records(stream["name"]), expected, key)


def test_users_incremental_reads_only_users_modified_since_the_saved_boundary(emu, streams):
    catalog = configured_catalog(streams, names=["Users"])
    first = run_connector("source-zoho-crm", "read", config=emu.config(), catalog=catalog)
    users = Api(emu).get("users", type="AllUsers").json()["users"]
    same_rows(first.records("Users"), users, ("id",))
    state = [s for s in first.states() if s["stream"]["stream_descriptor"]["name"] == "Users"][-1]
    assert same_value(state["stream"]["stream_state"]["Modified_Time"], max(u["Modified_Time"] for u in users))

    again = run_connector("source-zoho-crm", "read", config=emu.config(), catalog=catalog, state=[state])
    assert again.records("Users") == [] and statuses(again)["Users"] == "COMPLETE"

    third = sorted(users, key=lambda u: u["Modified_Time"])[2]
    middle = {"type": "STREAM", "stream": {"stream_descriptor": {"name": "Users"},
                                           "stream_state": {"Modified_Time": third["Modified_Time"]}}}
    later = run_connector("source-zoho-crm", "read", config=emu.config(), catalog=catalog, state=[middle])
    same_rows(later.records("Users"), [u for u in users if u["Modified_Time"] >= third["Modified_Time"]], ("id",))


def test_a_token_without_the_users_and_org_scopes_warns_and_the_other_streams_finish(emu, streams):
    token = emu.refresh_token("ZohoCRM.modules.ALL,ZohoCRM.settings.ALL")
    catalog = configured_catalog(streams, sync_mode="full_refresh", names=["Users", "Org", "Roles", "Leads"])
    run = run_connector("source-zoho-crm", "read", config=emu.config(refresh_token=token), catalog=catalog)
    assert run.returncode == 0 and not run.traces("ERROR"), run.stdout[-2000:]
    assert {n: statuses(run)[n] for n in ("Users", "Org", "Roles", "Leads")} == {
        "Users": "INCOMPLETE", "Org": "INCOMPLETE", "Roles": "COMPLETE", "Leads": "COMPLETE"}
    warnings = " ".join(run.logs("WARN"))
    assert "Stream Users" in warnings and "ZohoCRM.users.READ" in warnings
    assert "Stream Org" in warnings and "ZohoCRM.org.READ" in warnings
    assert run.records("Roles") and run.records("Leads") and not run.records("Users")


def test_on_an_edition_without_territories_or_currencies_they_are_empty_and_say_why(emulator_factory):
    emu = emulator_factory(records=2, edition="standard")
    run = run_connector("source-zoho-crm", "discover", config=emu.config())
    streams = run.of_type("CATALOG")[0]["catalog"]["streams"]
    catalog = configured_catalog(streams, sync_mode="full_refresh", names=["Territories", "Currencies", "Roles"])
    read = run_connector("source-zoho-crm", "read", config=emu.config(), catalog=catalog)
    assert read.returncode == 0 and not read.traces("ERROR")
    for name, code in (("Territories", "FEATURE_NOT_ENABLED"), ("Currencies", "CURRENCIES_NOT_ENABLED")):
        assert read.records(name) == [] and statuses(read)[name] == "COMPLETE"
        assert any(name in line and code in line for line in read.logs("INFO"))
    assert read.records("Roles")
