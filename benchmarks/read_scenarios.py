"""R1-R4 of issue 8: reads by `source-zoho-crm` against a freshly seeded emulator."""

from __future__ import annotations

from math import ceil
from typing import Any

import requests

from benchmarks import floor as floors
from benchmarks.emulator import BenchEmulator
from benchmarks.process import Measured
from benchmarks.sizes import Sizes
from benchmarks.source_runs import ReadRun, configured_catalog, discover, measured_read, spec_properties
from benchmarks.table import Row
from zoho_crm_client.models import MODIFIED_TIME
from zoho_crm_emulator import metadata as zoho_metadata

# Above this many records per module the ground-truth check (which downloads every record) is skipped.
VERIFY_LIMIT = 20_000
# R1 at 100 ms is judged "with 10 in flight" (issue 8 goals).
R1_CONCURRENCY = 10
LEADS = ["Leads"]


def outcome(measured: Measured) -> str:
    """'' for a clean run, else what went wrong, short enough for a table cell."""
    first_error = measured.output.errors[0][:120] if measured.output.errors else ""
    if measured.returncode != 0:
        detail = first_error or (measured.stderr_tail.strip().splitlines() or [""])[-1][:200]
        return f"FAILED rc={measured.returncode}: {detail}"
    return f"errors: {first_error}" if first_error else ""


def truth(emu: BenchEmulator, names: list[str], per_module: int) -> dict[str, tuple[int, int]] | None:
    """(live, deleted) per module from the emulator's ground truth, or None when the org is too big."""
    if per_module > VERIFY_LIMIT:
        return None
    counts = {}
    for name in names:
        try:
            body = emu.records(name)
        except requests.HTTPError:  # a stream that is not a module (COQL, search) has no ground truth
            continue
        counts[name] = (len(body.get("live", [])), len(body.get("deleted", [])))
    return counts


def completeness(run: ReadRun, counts: dict[str, tuple[int, int]] | None) -> str:
    """Whether every live record came out (at least once); '' when complete or unknown. A first sync of a new
    connection sends no tombstones (source_runs.NEW_CONNECTION), so deleted records are not expected."""
    if not counts:
        return ""
    out = run.measured.output
    short = {name: live - (out.by_stream.get(name, 0) - out.tombstones.get(name, 0))
             for name, (live, _deleted) in counts.items()}
    missing = {name: n for name, n in short.items() if n > 0}
    return f"MISSING {missing}" if missing else "complete"


def read_floor(streams: list[dict[str, Any]], run: ReadRun, counts: dict[str, tuple[int, int]] | None) -> int:
    """The floor for a first sync of a new connection (no `deleted` calls: no tombstones are due); ground truth
    when known, else the rows emitted."""
    out = run.measured.output
    shapes = []
    for stream in streams:
        name = stream["name"]
        emitted = (out.by_stream.get(name, 0) - out.tombstones.get(name, 0), out.tombstones.get(name, 0))
        live, deleted = (counts or {}).get(name, emitted)
        shapes.append((live, floors.field_count(stream), deleted))
    return floors.read_floor(shapes, include_deleted=False)


def to_row(scenario: str, size: str, latency: float, run: ReadRun, floor: int, note: str = "") -> Row:
    m = run.measured
    status = outcome(m)
    if any("/bulk/" in route for route in run.use.by_route):
        note = "; ".join(p for p in (note, "used Bulk Read") if p)
    return Row(scenario, size, latency, records=m.output.records, wall_s=m.wall_s, cpu_s=m.cpu_s,
               peak_rss_mb=m.peak_rss_mb, calls=run.use.calls, floor=floor, credits=run.use.credits,
               max_in_flight=run.max_in_flight, emulator_cpu_s=run.emulator_cpu_s, steady_rate=m.steady_rate(),
               note="; ".join(p for p in (status, note) if p),
               by_route=run.use.by_route)


def first_syncs(records: int, latency: float, names: list[str] | None,
                variants: dict[str, dict[str, Any]], narrow: dict[str, int] | None = None
                ) -> list[tuple[Row, ReadRun]]:
    """Seed one org and measure a first sync of the chosen streams under each config (scenario -> config);
    `narrow` selects at most that many Zoho fields of each stream for a scenario (column selection).

    Reads leave the org unchanged, so variants share one emulator and its (slow, for big orgs) seeding.
    """
    out = []
    # only the streams measured get the size asked for: seeding 300,000 records in every module took minutes
    seed = {} if names is None else {"extra_args": ["--module-records", ",".join(f"{n}={records}" for n in names)]}
    with BenchEmulator(records=records if names is None else OTHER_MODULES, latency_ms=latency, **seed) as emu:
        streams = [s for s in discover(emu.config()) if s["name"] in (names or STANDARD)]
        size = f"{records:,}/module x {len(streams)}" if names is None else f"{records:,} {','.join(names)}"
        counts = None
        for scenario, overrides in variants.items():
            chosen = [narrowed(s, (narrow or {})[scenario]) for s in streams] if scenario in (narrow or {}) \
                else streams
            run = measured_read(emu, emu.config(**overrides), configured_catalog(chosen))
            counts = counts or truth(emu, [s["name"] for s in streams], records)
            row = to_row(scenario, size, latency, run, read_floor(chosen, run, counts), completeness(run, counts))
            out.append((row, run))
    return out


def narrowed(stream: dict[str, Any], fields: int) -> dict[str, Any]:
    """The stream with at most `fields` Zoho fields selected: the cursor first, then the schema's order; `id` and
    the `_ab_` columns stay."""
    props = stream["json_schema"]["properties"]
    zoho = [name for name in props if name != "id" and not name.startswith("_ab_")]
    cursor = [name for name in zoho if name == MODIFIED_TIME]
    keep = set(cursor + [name for name in zoho if name != MODIFIED_TIME][:fields - len(cursor)])
    kept = {name: schema for name, schema in props.items() if name in keep or name == "id" or name.startswith("_ab_")}
    return {**stream, "json_schema": {**stream["json_schema"], "properties": kept}}


OTHER_MODULES = 10  # records in the modules a single-module scenario does not read
# The org-wide scenarios read the modules `--records N` seeds with N records (design.md), as they did before the
# emulator listed Zoho's other standard modules with a few records each: the figures stay comparable.
STANDARD = zoho_metadata.STANDARD


def first_sync(scenario: str, records: int, latency: float, names: list[str] | None = None,
               **config: Any) -> tuple[Row, ReadRun]:
    return first_syncs(records, latency, names, {scenario: config})[0]


def r1(sizes: Sizes) -> list[Row]:
    """First sync of the whole seeded org, at each latency, with 10 requests in flight."""
    rows = []
    for latency in sizes.latencies:
        row, _ = first_sync("R1", sizes.r1, latency, max_concurrent_requests=R1_CONCURRENCY)
        if latency and row.rate_per_cpu:
            # issue 8: 70% of the lower of what 10 in flight allow and what one core allows (rec/CPU-s)
            bound = min(R1_CONCURRENCY * floors.PAGE / (latency / 1000), row.rate_per_cpu)
            steady = f", steady {row.steady_rate / bound:.0%}" if row.steady_rate else ""
            row.note = "; ".join(p for p in (row.note, f"{row.rate / bound:.0%}{steady} of {bound:,.0f} rec/s "
                                             "bound (min of 10 in flight, CPU)") if p)
        rows.append(row)
    return rows


# REST first syncs of Leads by size, so that R4 compares with R2's run instead of repeating it.
_rest_leads: dict[int, Row] = {}


def remember_rest(rows: list[Row], records: list[int]) -> None:
    """R2 rows of an earlier run (--baseline), by the Leads count each was seeded with."""
    for row, count in zip(rows, records, strict=True):
        _rest_leads[count] = row


def r2(sizes: Sizes) -> list[Row]:
    """Leads alone at growing sizes over REST: how wall time and peak RSS grow."""
    for records in sizes.r2:
        _rest_leads[records] = first_sync("R2", records, 0, LEADS, bulk_read="never")[0]
    return [_rest_leads[records] for records in sizes.r2]


def r4(sizes: Sizes) -> list[Row]:
    """First sync of Leads by Bulk Read beside the same sync over REST (R2's when it ran at this size), at each
    latency: at 0 ms REST is bound by this machine's CPU, at 100 ms by Zoho's round trips, as in production."""
    if "bulk_read" not in spec_properties():
        return [Row("R4", f"{sizes.r4:,} Leads", 0, note="not supported: the source spec has no bulk_read")]
    return [row for latency in sizes.latencies for row in _r4_at(sizes, latency)]


def _r4_at(sizes: Sizes, latency: float) -> list[Row]:
    timeout = {"request_timeout_seconds": sizes.r4_timeout} if sizes.r4_timeout else {}
    variants = {"R4 bulk": {"bulk_read": "always", **timeout}}
    known = _rest_leads.get(sizes.r4) if latency == 0 else None
    if known is None and sizes.r4_rest:
        variants = {"R4 REST": {"bulk_read": "never"}, **variants}
    results = first_syncs(sizes.r4, latency, LEADS, variants)
    rest = known or (results[0][0] if len(results) > 1 else Row("R4 REST", "-", latency))
    bulk, run = results[-1]
    out = run.measured.output
    tombstones = out.tombstones.get("Leads", 0)
    bulk.floor = floors.bulk_floor(out.by_stream.get("Leads", 0) - tombstones, tombstones, include_deleted=False)
    notes = [bulk.note]
    if not any("/bulk/" in route for route in run.use.by_route):
        notes.append("NO Bulk Read call made")
    if rest.wall_s and bulk.wall_s:
        notes.append(f"{bulk.wall_s / rest.wall_s:.0%} of REST wall time ({rest.wall_s:.1f} s)")
    bulk.note = "; ".join(p for p in notes if p)
    return [row for row, _ in results]


def r3(sizes: Sizes) -> list[Row]:
    """Incremental syncs after a first sync: with nothing changed, then with 1% of every module changed."""
    with BenchEmulator(records=sizes.r3, latency_ms=0) as emu:
        cfg = emu.config()
        streams = [s for s in discover(cfg) if s["name"] in STANDARD]
        catalog = configured_catalog(streams)
        state = measured_read(emu, cfg, catalog).measured.output.final_state()
        quiet = measured_read(emu, cfg, catalog, state)
        changed = _mutate_all(emu, streams, max(1, sizes.r3 // 100))
        busy = measured_read(emu, cfg, catalog, state)
    size = f"{sizes.r3:,}/module x {len(streams)}"
    goal = f"goal <= {2 * len(streams)} calls"
    quiet_floor = floors.read_floor((0, floors.field_count(s), 0) for s in streams)
    # Cursors are inclusive (design.md, rules of the road): the row at the saved cursor is read again.
    busy_floor = floors.read_floor((changed.get(s["name"], 0) + 1, floors.field_count(s), 0) for s in streams)
    return [to_row("R3 no change", size, 0, quiet, quiet_floor, goal),
            to_row("R3 1% changed", size, 0, busy, busy_floor, f"{sum(changed.values()):,} updated")]


def _mutate_all(emu: BenchEmulator, streams: list[dict[str, Any]], per_module: int) -> dict[str, int]:
    """Update per_module records in every module the emulator lets us mutate; how many each got."""
    changed = {}
    for stream in streams:
        try:
            emu.mutate(module=stream["name"], update=per_module)
        except requests.HTTPError:  # not a module the emulator mutates (e.g. a COQL stream)
            continue
        changed[stream["name"]] = per_module
    return changed


NOTES = ["Notes"]


def r7(sizes: Sizes) -> list[Row]:
    """The Notes stream alone, a first sync of `r7` notes (all changed since start_datetime): newest-first page 1,
    then the COQL index (2,000 a call) and the notes by id (100 a call), at each of `r78_latencies`."""
    rows = []
    for latency in sizes.r78_latencies:
        row, run = first_sync("R7 Notes", sizes.r7, latency, NOTES)
        notes = row.records  # the live notes (the seed makes a few fewer than asked); every one is new
        row.floor = 1 + ceil(notes / 2000) + ceil(max(0, notes - floors.PAGE) / 100)  # page 1, index, by id
        row.note = "; ".join(p for p in (row.note, _routes(run, ("coql", "Notes"))) if p)
        rows.append(row)
    return rows


def r8(sizes: Sizes) -> list[Row]:
    """An incremental sync of Leads after `r8` of them were deleted: one list call (nothing changed) and the
    deleted listing, 200 a page, at each of `r78_latencies`. The first sync that makes the state is not measured."""
    rows = []
    for latency in sizes.r78_latencies:
        with BenchEmulator(records=OTHER_MODULES, latency_ms=latency,
                           extra_args=["--module-records", f"Leads={sizes.r8 + 1_000}"]) as emu:
            cfg = emu.config()
            streams = [s for s in discover(cfg) if s["name"] in LEADS]
            catalog = configured_catalog(streams)
            state = measured_read(emu, cfg, catalog).measured.output.final_state()
            emu.mutate(module="Leads", delete=sizes.r8)
            run = measured_read(emu, cfg, catalog, state)
        size = f"{sizes.r8:,} Leads deleted"
        floor = floors.page_calls(0, floors.field_count(streams[0])) + ceil(sizes.r8 / floors.PAGE)
        row = to_row("R8 deleted", size, latency, run, floor, _routes(run, ("deleted",)))
        rows.append(row)
    return rows


def _routes(run: ReadRun, words: tuple[str, ...]) -> str:
    """The calls of the routes whose path holds one of `words`, e.g. "GET /crm/v8/Leads/deleted 51"."""
    return ", ".join(f"{route} {n}" for route, n in sorted(run.use.by_route.items())
                     if any(word in route for word in words))


SCENARIOS = {"R1": r1, "R2": r2, "R3": r3, "R4": r4, "R7": r7, "R8": r8}
