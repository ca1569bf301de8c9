"""Issue 12, destination rows: tombstones, keyless upserts, NaN, and a fatal input error mid-write (with FakeClient;
integration_tests/hostile/ drives the same through the console script against the emulator)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from airbyte_cdk.models import Type

from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.writer import Writer
from unit_tests.destination.fakes import FakeClient, configured_catalog, record, state

DELETED = "2026-01-01T00:00:00Z"


def writer(client: FakeClient, mode: str, key: str | None = None) -> Writer:
    catalog = configured_catalog(("Leads", mode), primary_key={"Leads": [[key]]} if key else None)
    return Writer(client, DestinationConfig.from_mapping({"on_rejected": "report"}), catalog)


def rejections(out: list[Any]) -> list[dict[str, Any]]:
    prefix = "Rejected record: "
    return [json.loads(m.log.message[len(prefix):]) for m in out
            if m.type == Type.LOG and m.log.message.startswith(prefix)]


def test_given_a_tombstone_on_a_stream_keyed_on_id_then_it_is_deleted() -> None:
    client = FakeClient()
    list(writer(client, "append").write([record("Leads", Last_Name="x", Email="x@example.com")]))
    [lead] = client.live("Leads")

    out = list(writer(client, "append_dedup", "id").write(
        [record("Leads", id=lead["id"], Last_Name="x", _ab_cdc_deleted_at=DELETED)]))

    assert not rejections(out) and client.live("Leads") == []


@pytest.mark.parametrize(("mode", "key"), [("append", None), ("append_dedup", "Email")])
def test_given_a_tombstone_on_a_stream_that_cannot_delete_by_id_then_it_is_rejected(mode: str, key: str | None) -> None:
    client = FakeClient()
    out = list(writer(client, mode, key).write(
        [record("Leads", id="1", Last_Name="x", Email="x@example.com", _ab_cdc_deleted_at=DELETED)]))
    [rejected] = rejections(out)
    assert rejected["field"] == "_ab_cdc_deleted_at" and "soft_delete" in rejected["message"]
    assert client.calls == []


def test_given_an_upsert_without_its_matching_key_then_it_is_rejected_and_nothing_is_sent() -> None:
    client = FakeClient()
    out = list(writer(client, "append_dedup", "Email").write([record("Leads", Last_Name="x", Email=None),
                                                             record("Leads", Last_Name="y", Email="")]))
    assert [r["field"] for r in rejections(out)] == ["Email", "Email"] and client.calls == []


@pytest.mark.parametrize("value", [math.nan, math.inf, [1.0, -math.inf]])
def test_given_nan_or_infinity_then_the_row_is_rejected_naming_the_field(value: Any) -> None:
    client = FakeClient()
    out = list(writer(client, "append").write([record("Leads", Last_Name="x", Annual_Revenue=value)]))
    [rejected] = rejections(out)
    assert rejected["source"] == "local" and rejected["field"] == "Annual_Revenue" and client.calls == []


def test_given_a_record_of_an_unknown_stream_then_the_settled_states_leave_before_the_error() -> None:
    client = FakeClient()
    messages = [*(record("Leads", Last_Name=f"L{i}", Email=f"l{i}@example.com") for i in range(150)),
                state("Leads", 1), record("Nope", Last_Name="x"), state("Leads", 2)]
    out: list[Any] = []
    with pytest.raises(DestinationConfigError, match="'Nope'"):
        for message in writer(client, "append").write(messages):
            out.append(message)
    assert [m.state.stream.stream_state.n for m in out if m.type == Type.STATE] == [1]
    assert len(client.live("Leads")) == 150
