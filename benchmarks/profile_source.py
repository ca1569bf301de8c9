"""Where a source read spends its CPU: a 0 ms-latency read of Leads under cProfile (all threads).

    python -m benchmarks.profile_source [--records 20000] [--top 25] [--out source.prof] [--bulk-read always]

Output goes to /dev/null, as in the 10,000 records/s goal of issue 8; the .prof file opens in snakeviz.
"""

from __future__ import annotations

import argparse
import io
import pstats
import subprocess
import sys
import tempfile
import time

from benchmarks.emulator import BenchEmulator
from benchmarks.process import child_env, connector_args
from benchmarks.source_runs import SOURCE, configured_catalog, discover

PROJECT = ("source_zoho_crm", "zoho_crm_client")


def profile_read(records: int, out: str, bulk_read: str = "never") -> float:
    """Profile one read of Leads into out; the wall time of the profiled run."""
    with BenchEmulator(records=records, latency_ms=0) as emu, tempfile.TemporaryDirectory() as tmp:
        # `never`: the REST path (`auto` would switch to Bulk Read after 50 pages); `always`: the Bulk Read path
        cfg = emu.config(bulk_read=bulk_read)
        catalog = configured_catalog(discover(cfg), ["Leads"])
        script, *args = connector_args(SOURCE, "read", tmp, config=cfg, catalog=catalog)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "benchmarks.profiled", out, script, *args],
                       stdout=subprocess.DEVNULL, check=True, timeout=3600, env=child_env())
        return time.perf_counter() - started


def report(path: str, top: int) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(path, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    buffer.write("\n--- cumulative, project code only ---\n")
    stats.sort_stats("cumulative").print_stats("|".join(PROJECT), top)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_source", description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", default="source.prof")
    parser.add_argument("--bulk-read", choices=["never", "always"], default="never")
    args = parser.parse_args(argv)
    wall = profile_read(args.records, args.out, args.bulk_read)
    print(f"profiled read of {args.records:,} Leads in {wall:.1f} s (cProfile overhead included)")
    print(report(args.out, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
