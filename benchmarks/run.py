"""`make bench`: run the scenarios of issue 8 against the emulator and print one table.

    python -m benchmarks.run --quick              # smoke run, small sizes, a minute or two
    python -m benchmarks.run --only R1,W1         # some scenarios at full size
    python -m benchmarks.run --only R2 --r2 10000,100000 --json out.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone

from benchmarks.process import run_measured, script
from benchmarks.read_scenarios import SCENARIOS as READS
from benchmarks.read_scenarios import remember_rest
from benchmarks.report import chart_svg, goals, render_goals
from benchmarks.sizes import FULL, QUICK, Sizes
from benchmarks.sweep import SCENARIOS as SWEEP
from benchmarks.table import Row, render
from benchmarks.write_scenarios import SCENARIOS as WRITES

SCENARIOS = {**READS, **WRITES, **SWEEP}
CHART = "docs/benchmarks-sweep.svg"


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma list of " + ",".join(SCENARIOS))
    parser.add_argument("--r1", type=int, help="R1 records per module")
    parser.add_argument("--r2", type=_ints, help="R2 Leads sizes, comma separated")
    parser.add_argument("--r3", type=int, help="R3 records per module")
    parser.add_argument("--r4", type=int, help="R4 Leads for Bulk Read")
    parser.add_argument("--w1", type=_ints, help="W1 upserts,creates,deletes")
    parser.add_argument("--latencies", type=lambda t: tuple(float(x) for x in t.split(",")),
                        help="emulator latencies in ms for R1, R4 and W1, e.g. 0,100")
    parser.add_argument("--r5", type=int, help="R5 Leads (one module, REST and Bulk Read, each sweep latency)")
    parser.add_argument("--r6", type=int, help="R6 records in each of the four modules")
    parser.add_argument("--r7", type=int, help="R7 Notes changed since the cursor (Notes stream alone)")
    parser.add_argument("--r8", type=int, help="R8 Leads deleted between two syncs (the deleted listing)")
    parser.add_argument("--r78-latencies", dest="r78_latencies", type=lambda t: tuple(float(x) for x in t.split(",")),
                        help="R7's and R8's latencies in ms, e.g. 100,300")
    parser.add_argument("--sweep", type=lambda t: tuple(float(x) for x in t.split(",")),
                        help="R5's latencies in ms, e.g. 0,100,300,600")
    parser.add_argument("--chart", help=f"write the sweep chart (SVG) here; default {CHART} unless --quick")
    parser.add_argument("--json", help="also write the rows (with calls by route) to this file")
    parser.add_argument("--baseline", help="a previous --json whose R2 rows R4 compares with (no REST rerun)")
    parser.add_argument("--no-r4-rest", dest="r4_rest", action="store_false", default=None,
                        help="R4 without its REST comparison run")
    parser.add_argument("--r4-timeout", type=float, help="request_timeout_seconds for R4's Bulk Read sync")
    parser.add_argument("--w1-state-every", type=int, help="W1 input: a STATE every N records (0: only at the end)")
    return parser.parse_args(argv)


def sizes_from(args: argparse.Namespace) -> Sizes:
    chosen = {key: getattr(args, key) for key in ("r1", "r2", "r3", "r4", "w1", "latencies", "r4_rest", "r4_timeout", "w1_state_every",
                                        "r5", "r6", "sweep", "r7", "r8", "r78_latencies")
              if getattr(args, key) is not None}
    return replace(QUICK if args.quick else FULL, **chosen)


def run_scenario(name: str, sizes: Sizes) -> list[Row]:
    started = time.perf_counter()
    print(f"[bench] {name} ...", file=sys.stderr, flush=True)
    try:
        rows = SCENARIOS[name](sizes)
    except Exception as exc:  # one broken scenario must not hide the others' figures
        rows = [Row(name, "-", 0, note=f"FAILED: {type(exc).__name__}: {str(exc)[:200]}")]
    print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(render(rows), file=sys.stderr, flush=True)  # partial figures while the long scenarios run
    return rows


def startup(name: str) -> str:
    """The fixed cost in every row: `NAME spec` (interpreter start and imports, nothing else)."""
    run_measured([script(name), "spec"])  # fills the bytecode cache
    m = run_measured([script(name), "spec"])
    return f"{name} spec: {m.wall_s:.1f} s wall, {m.cpu_s:.1f} CPU s, {m.peak_rss_mb:.0f} MB"


def revision() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or "unknown"


def header(sizes: Sizes) -> str:
    return (f"Zoho CRM connector benchmarks, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {revision()}, "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs (shared, noisy machine)\n"
            f"sizes: {sizes}\n"
            f"start-up cost included in every row: {startup('source-zoho-crm')}; "
            f"{startup('destination-zoho-crm')}\n"
            "CPU s and RSS MB are the connector process's own (os.wait4 utime+stime; peak VmHWM); emu CPU s is "
            "the emulator's; calls and credits are /__emulator__/stats deltas without OAuth and control plane.\n")


def load_baseline(path: str) -> None:
    """R2 rows of an earlier run; their size cell reads "N Leads"."""
    with open(path) as source:
        rows = [row for row in json.load(source)["rows"] if row["scenario"] == "R2"]
    fields = {f.name for f in dataclasses.fields(Row)}
    remember_rest([Row(**{k: v for k, v in row.items() if k in fields}) for row in rows],
                  [int(row["size"].split()[0].replace(",", "")) for row in rows])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = [name.strip().upper() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenario(s) {unknown}; choose from {list(SCENARIOS)}", file=sys.stderr)
        return 2
    sizes = sizes_from(args)
    if args.baseline:
        load_baseline(args.baseline)
    rows = [row for name in names for row in run_scenario(name, sizes)]
    print(header(sizes))
    print(render(rows))
    found = goals(rows)
    if found:
        print("\nGoals of issue 14\n")
        print(render_goals(found))
    chart = args.chart or (None if args.quick else CHART)
    if chart and any(row.scenario.startswith(("R5", "R6")) for row in rows):
        with open(chart, "w") as out:
            out.write(chart_svg(rows))
        print(f"\nchart: {chart}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"sizes": str(sizes), "rows": [row.as_dict() for row in rows]}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
