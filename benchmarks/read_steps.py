"""CPU per record of each step of a REST read, on the emulator's own answers, without the network or the load of
the other processes in the timed part (the rate past start-up of `benchmarks.run --only R5` moves 10% from run to
run on a shared machine; these figures move a few %).

    python -m benchmarks.read_steps [--records 2000] [--repeat 7]

The emulator is read once through the client, keeping every list answer as decoded; each step is then timed on
fresh copies of those answers (best of `--repeat`, `time.process_time`), in microseconds per record. See
docs/benchmarks.md, "Where the CPU goes (after issue 14)".
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.emulator import BenchEmulator
from benchmarks.source_runs import discover
from source_zoho_crm import messages
from source_zoho_crm.run import Entrypoint
from source_zoho_crm.streams import Kind, StreamDef
from zoho_crm_client import ZohoClient, ZohoConfig
from zoho_crm_client.models import Position
from zoho_crm_client.paging import ModifiedTimeKeyset
from zoho_crm_client.records import RecordReader

Answers = list[tuple[dict[str, Any], dict[str, Any]]]  # (group 1's page, group 2's page)


def read_answers(records: int) -> tuple[StreamDef, list[list[str]], Answers]:
    """Leads' stream definition, its field groups and the list answers of one full read (two groups a page)."""
    kept: list[tuple[int, dict[str, Any]]] = []
    original = RecordReader._list

    def keep(self: RecordReader, plan: Any, group: int, headers: dict[str, str],
             chain: dict[str, Any]) -> dict[str, Any] | None:
        body = original(self, plan, group, headers, chain)
        if body is not None:
            kept.append((group, copy.deepcopy(body)))
        return body

    with BenchEmulator(records=10, latency_ms=0, extra_args=["--module-records", f"Leads={records}"]) as emu:
        cfg = emu.config()
        leads = next(s for s in discover(cfg) if s["name"] == "Leads")
        stream = StreamDef(name="Leads", kind=Kind.MODULE, module="Leads",
                           properties=leads["json_schema"]["properties"])
        fields = stream.fields_to_request(stream.properties)
        RecordReader._list = keep  # type: ignore[method-assign]
        try:
            list(ZohoClient(ZohoConfig.from_mapping(cfg)).iter_records("Leads", fields))
        finally:
            RecordReader._list = original  # type: ignore[method-assign]
    # a page's two calls run side by side and the next page's are sent early: pair the answers by their ids
    others = {_ids(body): body for group, body in kept if group == 1}
    pairs = [(body, others[_ids(body)]) for group, body in kept if group == 0 and _ids(body) in others]
    groups = [list(pairs[0][0]["data"][0]), list(pairs[0][1]["data"][0])]
    return stream, groups, pairs


def _ids(body: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row.get("id")) for row in body["data"])


def steps(stream: StreamDef, groups: list[list[str]]) -> dict[str, Callable[[Answers], None]]:
    reader = RecordReader.__new__(RecordReader)  # _merge and fill need no transport when the answers are given
    plan = type("Plan", (), {"groups": groups, "module": "Leads"})()
    to_string = Entrypoint.airbyte_message_to_string

    def merge(answers: Answers) -> None:
        for head, other in answers:
            reader._merge(plan, [head, other])  # type: ignore[arg-type]

    def page(answers: Answers) -> None:
        keyset = ModifiedTimeKeyset(Position(), follow_edits=False)
        for head, _ in answers:
            RecordReader._page(plan, head["data"], 2, keyset, more=True)  # type: ignore[arg-type]

    def per_row(step: Callable[[dict[str, Any]], Any]) -> Callable[[Answers], None]:
        def run(answers: Answers) -> None:
            for head, _ in answers:
                for row in head["data"]:
                    step(row)
        return run

    return {
        "fill (merge group 2 into group 1)": merge,
        "_page (Modified_Time, keyset)": page,
        "StreamDef.conform": per_row(stream.conform),
        "StreamDef.to_record": per_row(stream.to_record),
        "messages.record": per_row(lambda row: messages.record("Leads", row, 1)),
        "messages.record + CDK serialiser": per_row(lambda row: to_string(messages.record("Leads", row, 1))),
    }


def timed(step: Callable[[Answers], None], answers: Answers, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        fresh = copy.deepcopy(answers)
        started = time.process_time()
        step(fresh)
        best = min(best, time.process_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.read_steps", description=__doc__)
    parser.add_argument("--records", type=int, default=2_000, help="Leads seeded (about 97%% live)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    stream, groups, answers = read_answers(args.records)
    rows = sum(len(head["data"]) for head, _ in answers)
    print(f"{rows:,} Leads in {len(answers)} pages of two calls ({len(groups[0])} and {len(groups[1])} columns, id included)")
    for name, step in steps(stream, groups).items():
        print(f"{name:36s} {timed(step, answers, args.repeat) / rows * 1e6:6.2f} us a record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
