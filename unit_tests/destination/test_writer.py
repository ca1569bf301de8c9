from __future__ import annotations

import json
from typing import Any

import pytest
from airbyte_cdk.models import Level, Type

from destination_zoho_crm.config import DestinationConfig
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.writer import RejectedRecordsError, Writer
from unit_tests.destination.fakes import FakeClient, configured_catalog, record, state


def run(client: FakeClient, messages: list[Any], *, streams=(("Leads", "append"),), **config: Any) -> list[Any]:
    writer = Writer(client, DestinationConfig.from_mapping({"on_rejected": "report", **config}),
                    configured_catalog(*streams))
    return list(writer.write(messages))


def rejections(out: list[Any]) -> list[dict[str, Any]]:
    prefix = "Rejected record: "
    return [json.loads(m.log.message[len(prefix):]) for m in out
            if m.type == Type.LOG and m.log.message.startswith(prefix)]


def lead(i: int, **extra: Any) -> Any:
    return record("Leads", Last_Name=f"Lead {i}", Email=f"lead{i}@example.com", **extra)


def test_given_250_creates_when_written_then_three_calls_of_at_most_100_in_input_order() -> None:
    client = FakeClient()
    run(client, [lead(i) for i in range(250)])
    assert sorted(n for _, _, n in client.calls) == [50, 100, 100]
    assert len(client.live("Leads")) == 250


def test_given_a_state_when_written_then_it_follows_the_commit_of_every_record_before_it() -> None:
    client = FakeClient()
    out = run(client, [lead(1), lead(2), state("Leads", 1), lead(3)])
    states = [m for m in out if m.type == Type.STATE]
    assert len(states) == 1
    assert states[0].state.destinationStats.recordCount == 2.0
    # the third lead was committed at the end of the input, after the state was echoed
    assert len(client.live("Leads")) == 3


def test_given_stream_states_when_counted_then_each_counts_its_own_stream_only() -> None:
    client = FakeClient()
    streams = (("Leads", "append"), ("Deals", "append"))
    deal = record("Deals", Deal_Name="D", Stage="Qualification")
    out = run(client, [lead(1), deal, deal, state("Deals", 1), lead(2), state("Leads", 1)], streams=streams)
    counts = [(m.state.stream.stream_descriptor.name, m.state.destinationStats.recordCount)
              for m in out if m.type == Type.STATE]
    assert counts == [("Deals", 2.0), ("Leads", 2.0)]


def test_given_10_bad_among_100_when_written_then_90_committed_and_10_reported_with_reasons() -> None:
    client = FakeClient(reject={"zoho-says-no@example.com": "DUPLICATE_DATA"})
    messages = []
    for i in range(100):
        if i % 20 == 0:
            messages.append(record("Leads", Email=f"nolastname{i}@example.com"))  # local: mandatory
        elif i % 20 == 10:
            messages.append(record("Leads", Last_Name="x", Email="zoho-says-no@example.com"))  # Zoho rejects
        else:
            messages.append(lead(i))
    out = run(client, [*messages, state("Leads", 1)])
    reported = rejections(out)
    assert len(client.live("Leads")) == 90
    assert sorted(r["position"] for r in reported) == [i + 1 for i in range(100) if i % 10 == 0]
    assert {(r["source"], r["code"], r["field"]) for r in reported} == {
        ("local", "MANDATORY_NOT_FOUND", "Last_Name"), ("zoho", "DUPLICATE_DATA", "Email")}
    assert out[-1].type == Type.LOG and [m.type for m in out].count(Type.STATE) == 1
    assert all(m.log.level == Level.WARN for m in out if m.type == Type.LOG and "Rejected" in m.log.message)


def test_given_locally_invalid_records_when_written_then_no_api_call_is_spent() -> None:
    client = FakeClient()
    out = run(client, [lead(1, No_of_Employees="many"), lead(2, Unknown_Field=1)])
    assert client.calls == []
    assert [(r["code"], r["field"]) for r in rejections(out)] == [
        ("INVALID_DATA", "No_of_Employees"), ("INVALID_DATA", "Unknown_Field")]


def test_given_a_read_only_column_when_written_then_it_is_left_out_with_one_log_line_and_the_row_commits() -> None:
    # a table mirrored from Zoho carries its read-only fields (columns.py): they are not sent, nor a rejection
    client = FakeClient()
    out = run(client, [lead(1, created_time="x"), lead(2, Created_Time="y")])
    notes = [m.log.message for m in out if m.type == Type.LOG and "columns not written" in m.log.message]
    assert rejections(out) == [] and len(client.live("Leads")) == 2
    assert all("Created_Time" not in r for r in client.live("Leads"))
    assert notes == ["Stream Leads: columns not written to Leads: created_time (read-only in Zoho)",
                     "Stream Leads: columns not written to Leads: Created_Time (read-only in Zoho)"]


def test_given_rejections_and_on_rejected_fail_when_written_then_good_records_commit_and_the_sync_fails() -> None:
    client = FakeClient()
    writer = Writer(client, DestinationConfig.from_mapping({}), configured_catalog(("Leads", "append")))
    out = []
    with pytest.raises(RejectedRecordsError, match=r"1 record\(s\) were rejected.*Leads #2: MANDATORY_NOT_FOUND"):
        for message in writer.write([lead(1), record("Leads", First_Name="no last name"), state("Leads", 1)]):
            out.append(message)
    assert len(client.live("Leads")) == 1
    assert [m.type for m in out].count(Type.STATE) == 1


def test_given_a_create_then_an_upsert_of_the_same_email_when_written_then_the_create_lands_first() -> None:
    client = FakeClient()
    messages = [lead(1, First_Name="created"), lead(2),
                lead(1, First_Name="upserted", _zoho_operation="upsert")]
    run(client, messages)
    assert [op for op, _, _ in client.calls] == ["insert", "upsert"]
    by_email = {r["Email"]: r for r in client.live("Leads")}
    assert by_email["lead1@example.com"]["First_Name"] == "upserted"
    assert len(client.live("Leads")) == 2


def test_given_two_upserts_of_one_email_when_written_then_they_go_in_two_calls_in_input_order() -> None:
    client = FakeClient()
    streams = (("Leads", "append_dedup"),)
    run(client, [lead(1, First_Name="first"), lead(1, First_Name="second")], streams=streams)
    assert [n for _, _, n in client.calls] == [1, 1]
    assert client.live("Leads")[0]["First_Name"] == "second"


def test_given_1000_independent_upserts_when_written_then_10_calls_at_most_10_in_flight() -> None:
    client = FakeClient()
    run(client, [lead(i) for i in range(1000)], streams=(("Leads", "append_dedup"),))
    assert [n for _, _, n in client.calls] == [100] * 10
    assert 1 <= client.max_in_flight <= 10


def test_given_dry_run_when_written_then_nothing_is_written_and_no_state_is_echoed() -> None:
    client = FakeClient()
    out = run(client, [lead(1), lead(2, No_of_Employees="x"), state("Leads", 1)], dry_run=True)
    assert client.calls == [] and client.live("Leads") == []
    assert Type.STATE not in [m.type for m in out]
    summary = [m.log.message for m in out if m.type == Type.LOG and m.log.message.startswith("Summary")]
    assert any("1 validated (dry run" in s for s in summary) and any("1 rejected (local)" in s for s in summary)
    assert "Summary: dry run, write calls a real sync would make: 1 create" in summary


def test_given_an_ambiguous_create_when_written_then_it_is_reported_and_not_resent() -> None:
    client = FakeClient(ambiguous_ops={"insert"})
    out = run(client, [lead(1), lead(2)])
    assert [op for op, _, _ in client.calls] == ["insert"]
    assert [r["code"] for r in rejections(out)] == ["AMBIGUOUS_WRITE", "AMBIGUOUS_WRITE"]


def test_given_an_overwrite_stream_when_the_writer_starts_then_it_refuses_before_any_call() -> None:
    with pytest.raises(DestinationConfigError, match="overwrite"):
        Writer(FakeClient(), DestinationConfig(), configured_catalog(("Leads", "overwrite")))


def test_given_a_stream_on_a_module_zoho_lacks_when_writing_then_the_error_names_the_writable_modules() -> None:
    writer = Writer(FakeClient(), DestinationConfig(), configured_catalog(("Nope", "append")))
    with pytest.raises(DestinationConfigError, match="'Nope' is not available.*Leads"):
        list(writer.write([]))


def test_given_updates_and_deletes_by_id_when_written_then_each_goes_to_its_call() -> None:
    client = FakeClient()
    run(client, [lead(1), lead(2), state("Leads", 1)])
    first, second = (r["id"] for r in client.live("Leads"))
    out = run(client, [record("Leads", id=first, First_Name="new", _zoho_operation="update"),
                       record("Leads", id=second, _zoho_operation="delete"),
                       record("Leads", id="123", _zoho_operation="delete")])
    assert [r["id"] for r in client.live("Leads")] == [first]
    assert client.live("Leads")[0]["First_Name"] == "new"
    assert [(r["position"], r["code"], r["id"]) for r in rejections(out)] == [(3, "INVALID_DATA", "123")]


def test_given_converts_when_written_then_one_call_per_lead_and_each_outcome_reported() -> None:
    client = FakeClient()
    client.converted.add("2")
    out = run(client, [record("Leads", id=str(i), _zoho_operation="convert",
                              Deals={"Deal_Name": "D", "Stage": "Qualification"}) for i in range(1, 4)])
    assert [(op, n) for op, _, n in client.calls] == [("convert", 1)] * 3
    assert [(r["id"], r["code"]) for r in rejections(out)] == [("2", "ID_ALREADY_CONVERTED")]
    assert any("convert: 2 committed" in m.log.message for m in out if m.type == Type.LOG)
    converted = [json.loads(m.log.message.split(": ", 1)[1]) for m in out
                 if m.type == Type.LOG and m.log.message.startswith("Converted record: ")]
    assert sorted((c["id"], sorted(c["result"])) for c in converted) == [("1", ["Contacts"]), ("3", ["Contacts"])]


def test_given_a_convert_with_a_bad_deal_when_written_then_it_is_rejected_locally() -> None:
    client = FakeClient()
    out = run(client, [record("Leads", id="1", _zoho_operation="convert", Deals={"Stage": "Nope"})])
    assert client.calls == []
    assert rejections(out)[0]["code"] == "MULTIPLE_OR_MULTI_ERRORS"


def test_given_notes_with_plain_parent_columns_when_written_then_zoho_gets_the_parent_object() -> None:
    client = FakeClient()
    run(client, [record("Notes", Note_Content="hello", parent_module="Leads", parent_id="42"),
                 record("Notes", Note_Content="no parent")], streams=(("Notes", "append"),))
    assert client.live("Notes") == [{"Note_Content": "hello", "id": client.live("Notes")[0]["id"],
                                     "Parent_Id": {"module": {"api_name": "Leads"}, "id": "42"}}]


def test_given_a_clone_when_written_then_the_copy_carries_the_overrides() -> None:
    client = FakeClient()
    run(client, [lead(1), state("Leads", 1)])
    source = client.live("Leads")[0]
    run(client, [record("Leads", id=source["id"], _zoho_operation="clone", First_Name="Copy")])
    copy = [r for r in client.live("Leads") if r["id"] != source["id"]]
    assert copy[0]["First_Name"] == "Copy" and copy[0]["Email"] == source["Email"]


def test_given_a_reject_file_when_records_are_rejected_then_each_is_a_json_line_with_the_record(tmp_path) -> None:
    path = tmp_path / "rejects.jsonl"
    run(FakeClient(), [lead(1, No_of_Employees="x")], reject_file=str(path))
    entry = json.loads(path.read_text().splitlines()[0])
    assert entry["record"]["No_of_Employees"] == "x" and entry["code"] == "INVALID_DATA"


def test_given_notes_upserts_or_lead_clones_elsewhere_when_written_then_rejected_as_not_supported() -> None:
    client = FakeClient()
    out = run(client, [record("Notes", id="1", Note_Content="c", _zoho_operation="clone"),
                       record("Deals", id="2", _zoho_operation="convert")],
              streams=(("Notes", "append"), ("Deals", "append")))
    assert client.calls == []
    assert sorted((r["module"], r["code"]) for r in rejections(out)) == [
        ("Deals", "NOT_SUPPORTED"), ("Notes", "NOT_SUPPORTED")]


def test_given_a_notes_stream_in_dedup_mode_when_the_writer_starts_then_upsert_is_refused() -> None:
    writer = Writer(FakeClient(), DestinationConfig(), configured_catalog(("Notes", "append_dedup")))
    with pytest.raises(DestinationConfigError, match="Notes support create, update and delete, not upsert"):
        list(writer.write([]))


def test_given_a_state_every_10_records_when_written_then_calls_stay_full_and_each_state_follows_its_commit(
) -> None:
    client = FakeClient()
    messages = []
    for i in range(300):
        messages.append(lead(i))
        if i % 10 == 9:
            messages.append(state("Leads", i + 1))
    writer = Writer(client, DestinationConfig.from_mapping({}), configured_catalog(("Leads", "append")))
    echoed = []
    for message in writer.write(messages):
        if message.type == Type.STATE:
            echoed.append(message.state.stream.stream_state.n)
            assert len(client.live("Leads")) >= echoed[-1]  # every record before it is committed
    assert echoed == list(range(10, 301, 10))
    assert [n for _, _, n in client.calls] == [100, 100, 100]



def created(out: list[Any]) -> list[dict[str, Any]]:
    prefix = "Created records: "
    return [json.loads(m.log.message[len(prefix):]) for m in out
            if m.type == Type.LOG and m.log.message.startswith(prefix)]


def test_given_creates_when_committed_then_one_line_per_batch_names_each_new_id_by_position(tmp_path) -> None:
    client = FakeClient(reject={"lead2@example.com": "DUPLICATE_DATA"})
    path = tmp_path / "results.jsonl"

    out = run(client, [lead(1), lead(2), lead(3)], results_file=str(path))

    ids = {r["Email"]: r["id"] for r in client.live("Leads")}
    [line] = created(out)
    assert line["module"] == "Leads" and line["operation"] == "create"
    assert line["records"] == [{"stream": "Leads", "position": 1, "id": ids["lead1@example.com"]},
                               {"stream": "Leads", "position": 3, "id": ids["lead3@example.com"]}]
    assert [json.loads(x) for x in path.read_text().splitlines()] == [
        {"module": "Leads", "operation": "create", **r} for r in line["records"]]


def test_given_upserts_when_committed_then_only_the_inserted_records_are_reported_as_created() -> None:
    client = FakeClient()
    run(client, [lead(1)])
    out = run(client, [lead(1, _zoho_operation="upsert"), lead(2, _zoho_operation="upsert")])

    [line] = created(out)
    assert [r["position"] for r in line["records"]] == [2]


def test_given_a_clone_and_a_convert_when_committed_then_the_new_ids_name_their_source() -> None:
    client = FakeClient()
    run(client, [lead(1)])
    source = client.live("Leads")[0]["id"]

    out = run(client, [record("Leads", id=source, _zoho_operation="clone", Email="copy@example.com"),
                       record("Leads", id=source, _zoho_operation="convert")])

    copy = next(r["id"] for r in client.live("Leads") if r["id"] != source)
    entries = [e for line in created(out) for e in line["records"]]
    assert {"stream": "Leads", "position": 1, "id": copy, "source_id": source} in entries
    convert = next(e for e in entries if e["position"] == 2)
    assert convert["source_id"] == source and convert["id"] == convert["created"]["Contacts"]
