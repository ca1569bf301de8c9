"""The console script prints exactly the lines the CDK's entrypoint yields: RECORDs gathered into one write per
page, every other line masked, nothing reordered, nothing lost on a failure."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator

import pytest
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.models import AirbyteMessage

from source_zoho_crm import messages
from source_zoho_crm.run import RECORDS_PER_WRITE, Entrypoint, is_record, print_lines
from source_zoho_crm.state import state_message
from zoho_crm_client import redact

SECRET = "zoho-refresh-secret-4242"


def record_line(n: int) -> str:
    return Entrypoint.airbyte_message_to_string(messages.record("Leads", {"id": str(n), "Note": SECRET}, 1))


def other_line(n: int) -> str:
    return Entrypoint.airbyte_message_to_string(messages.log(f"page {n} read with {SECRET}"))


def one_print_per_line(lines: list[str]) -> str:
    """What the script printed before: `launch`'s one print per line, masked unless a RECORD."""
    return "".join(f"{redact.mask_lines(line, is_record)}\n" for line in lines)


@pytest.fixture(autouse=True)
def secret() -> None:
    redact.remember(SECRET)


def test_given_records_and_other_lines_when_printed_then_the_output_is_the_one_print_per_line_output(
        capsys: pytest.CaptureFixture[str]) -> None:
    draw = random.Random(14)
    lines = [record_line(n) if draw.random() < 0.9 else other_line(n) for n in range(3 * RECORDS_PER_WRITE + 7)]
    print_lines(lines)
    printed = capsys.readouterr().out
    assert printed == one_print_per_line(lines)
    assert printed.count(SECRET) == sum(map(is_record, lines)), "records are data, never masked; logs are"


def test_given_a_failure_after_some_records_when_printed_then_those_records_are_out(
        capsys: pytest.CaptureFixture[str]) -> None:
    def lines() -> Iterator[str]:
        yield other_line(0)
        yield record_line(1)
        yield record_line(2)
        raise RuntimeError("stream broke")

    with pytest.raises(RuntimeError):
        print_lines(lines())
    assert capsys.readouterr().out == one_print_per_line([other_line(0), record_line(1), record_line(2)])


def test_given_records_of_two_streams_when_counted_then_each_state_carries_the_cdks_count() -> None:
    def sync() -> list[AirbyteMessage]:
        draw = random.Random(7)
        out = []
        for n in range(300):
            stream = draw.choice(["Leads", "Deals"])
            out.append(messages.record(stream, {"id": str(n)}, 1) if draw.random() < 0.9
                       else state_message(stream, {"Modified_Time": f"2024-01-01T00:00:{n % 60:02d}Z"}))
        return out

    ours: defaultdict = defaultdict(float)
    cdks: defaultdict = defaultdict(float)
    counted = [Entrypoint.handle_record_counts(m, ours) for m in sync()]
    expected = [AirbyteEntrypoint.handle_record_counts(m, cdks) for m in sync()]
    assert [Entrypoint.airbyte_message_to_string(m) for m in counted] == \
           [Entrypoint.airbyte_message_to_string(m) for m in expected]
    assert any(m.state is not None and m.state.sourceStats.recordCount > 1 for m in counted)
