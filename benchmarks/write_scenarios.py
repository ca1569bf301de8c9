"""W1 of issue 8: `destination-zoho-crm write` fed a generated stream of Airbyte RECORD messages.

Each operation gets its own input file, written before the clock starts, so that generating the input is
not charged to the destination. One emulator per latency serves the three operations in turn: upserts
(half matching seeded Leads by Email, half new), creates (all new), deletes (seeded Leads by id).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from math import ceil
from typing import Any

from benchmarks import floor as floors
from benchmarks.emulator import BenchEmulator, api_use
from benchmarks.process import connector_args, run_measured
from benchmarks.read_scenarios import outcome
from benchmarks.sizes import Sizes
from benchmarks.table import Row

DESTINATION = "destination-zoho-crm"
MODULE = "Leads"
# Text fields every Leads layout has (docs/zoho-api.md 3.1 sample record); Last_Name is system-mandatory.
FIELDS = ("First_Name", "Last_Name", "Company", "Email", "Phone", "Designation", "Website", "City")
EMITTED_AT = 1_764_000_000_000


def lead(tag: str, i: int, email: str | None = None) -> dict[str, Any]:
    values = {
        "First_Name": f"Bench{i}", "Last_Name": f"Writer {tag} {i}", "Company": f"Bench Co {i % 97}",
        "Email": email or f"bench.{tag}.{i}@example.com", "Phone": f"+1 555 {i:07d}",
        "Designation": "Analyst", "Website": f"https://bench{i % 13}.example.com", "City": "Chennai",
    }
    return {key: values[key] for key in FIELDS}


def record_line(data: dict[str, Any]) -> str:
    return json.dumps({"type": "RECORD", "record": {"stream": MODULE, "data": data, "emitted_at": EMITTED_AT}})


def state_line(count: int) -> str:
    return json.dumps({"type": "STATE", "state": {"type": "STREAM", "stream": {
        "stream_descriptor": {"name": MODULE}, "stream_state": {"written": count}}}})


def upserts(existing: list[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    """Half the rows update seeded Leads (matched on Email), half insert new ones."""
    matched = [r["Email"] for r in existing if r.get("Email")][: count // 2]
    for i, email in enumerate(matched):
        yield lead("upd", i, email)
    for i in range(count - len(matched)):
        yield lead("ups", i)


def creates(count: int) -> Iterator[dict[str, Any]]:
    for i in range(count):
        yield lead("new", i)


def deletes(existing: list[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    for record in existing[-count:]:
        yield {"id": record["id"]}


def write_input(path: str, rows: Iterator[dict[str, Any]], state_every: int) -> int:
    """RECORD lines with a STATE after every `state_every` (the source checkpoints every page of 200), and
    one at the end."""
    count = 0
    with open(path, "w") as out:
        for data in rows:
            out.write(record_line(data) + "\n")
            count += 1
            if state_every and count % state_every == 0:
                out.write(state_line(count) + "\n")
        if not state_every or count % state_every:
            out.write(state_line(count) + "\n")
    return count


def written(state: dict[str, Any]) -> int:
    return state["stream"]["stream_state"]["written"]


# design.md, destination config: append -> create, append_dedup -> upsert, soft_delete -> delete.
SYNC_MODES = {"upsert": "append_dedup", "create": "append", "delete": "soft_delete"}


def catalog(operation: str) -> dict[str, Any]:
    """One Leads stream whose destination sync mode maps to the operation."""
    props = {name: {"type": ["null", "string"]} for name in (*FIELDS, "id")}
    stream = {"name": MODULE, "json_schema": {"type": "object", "properties": props},
              "supported_sync_modes": ["full_refresh", "incremental"]}
    entry = {"stream": stream, "sync_mode": "incremental", "destination_sync_mode": SYNC_MODES[operation]}
    if operation == "upsert":
        entry["primary_key"] = [["Email"]]
    return {"streams": [entry]}


def config(emu: BenchEmulator, operation: str) -> dict[str, Any]:
    """The stream's target module, operation and matching keys spelled out, as a careful user would."""
    stream = {"name": MODULE, "module": MODULE, "operation": operation}
    if operation == "upsert":
        stream["matching_keys"] = ["Email"]
    return emu.config(streams=[stream])


def measured_write(emu: BenchEmulator, operation: str, input_path: str, count: int, latency: float,
                   size: str) -> Row:
    live_before = len(emu.records(MODULE)["live"])
    before, cpu_before = emu.stats(), emu.cpu_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        args = connector_args(DESTINATION, "write", tmp, config=config(emu, operation),
                              catalog=catalog(operation))
        measured = run_measured(args, stdin_path=input_path)
    emulator_cpu = emu.cpu_seconds() - cpu_before
    after, live_after = emu.stats(), len(emu.records(MODULE)["live"])
    use = api_use(before, after)
    states = len(measured.output.states)
    checks = [outcome(measured), f"live Leads {live_after - live_before:+,}",
              "STATE echoed" if states else "NO STATE echoed"]
    return Row(f"W1 {operation}", size, latency, records=count, wall_s=measured.wall_s, cpu_s=measured.cpu_s,
               peak_rss_mb=measured.peak_rss_mb, calls=use.calls, floor=floors.write_floor(count),
               credits=use.credits, max_in_flight=after.get("max_in_flight"), emulator_cpu_s=emulator_cpu,
               steady_rate=measured.steady_state_rate(written),
               note="; ".join(c for c in checks if c), by_route=use.by_route)


def w1(sizes: Sizes) -> list[Row]:
    """Upserts, creates and deletes of Leads at each latency."""
    n_upsert, n_create, n_delete = sizes.w1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for latency in sizes.latencies:
            # Seeding leaves some Leads converted or deleted: seed enough live ones for both uses.
            with BenchEmulator(records=ceil((n_upsert // 2 + n_delete) / 0.85), latency_ms=latency) as emu:
                existing = emu.records(MODULE)["live"]
                inputs = {
                    "upsert": upserts(existing[: n_upsert // 2], n_upsert),
                    "create": creates(n_create),
                    "delete": deletes(existing[n_upsert // 2:], n_delete),
                }
                for operation, generated in inputs.items():
                    path = os.path.join(tmp, f"{operation}.jsonl")
                    count = write_input(path, generated, sizes.w1_state_every)
                    rows.append(measured_write(emu, operation, path, count, latency, f"{count:,} Leads"))
    return rows


SCENARIOS = {"W1": w1}
