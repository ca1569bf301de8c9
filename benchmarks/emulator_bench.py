"""Emulator benchmark (not a test): start-up time, memory per 200,000 records per module, page serve time.

    .venv/bin/python -m benchmarks.emulator_bench [--records 200000] [--pages 60]

Runs the real `zoho-crm-emulator` console script as a subprocess (so the client does not share its GIL),
reads its resident memory and CPU time from /proc, and times 200-record pages over HTTP keep-alive at
--latency-ms 0: discrete pages (page=1..10) and page-token pages, 50 fields of Leads sorted by Modified_Time.
Wall times depend on what else the machine runs; the emulator's CPU time per page does not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

from zoho_crm_emulator import credentials

BIN = Path(sys.executable).parent / "zoho-crm-emulator"
LEADS_FIELDS = 50


class Running:
    """One emulator process; `started` is the seconds until it printed its URL."""

    def __init__(self, records: int):
        begin = time.perf_counter()
        self.proc = subprocess.Popen([str(BIN), "--records", str(records), "--latency-ms", "0", "--edition",
                                      "ultimate"], stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        self.started = time.perf_counter() - begin
        self.http = requests.Session()
        form = {"grant_type": "refresh_token", "client_id": credentials.CLIENT_ID,
                "client_secret": credentials.CLIENT_SECRET, "refresh_token": credentials.REFRESH_TOKEN}
        token = self.http.post(f"{self.url}/oauth/v2/token", data=form, timeout=60).json()["access_token"]
        self.http.headers["Authorization"] = f"Zoho-oauthtoken {token}"

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU the emulator process has used (load-independent, unlike wall time)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _fields(emu: Running) -> str:
    fields = emu.http.get(f"{emu.url}/crm/v8/settings/fields", params={"module": "Leads"}, timeout=60).json()
    names = [f["api_name"] for f in fields["fields"]
             if f["data_type"] not in ("multiselectlookup", "multiuserlookup", "subform")]
    return ",".join(names[:LEADS_FIELDS])


def time_pages(emu: Running, pages: int) -> dict[str, list[float]]:
    """Milliseconds per 200-record page: discrete pages 1..10 in turn, then a page-token walk."""
    base = {"fields": _fields(emu), "sort_by": "Modified_Time", "sort_order": "asc", "per_page": 200,
            "converted": "both"}
    url = f"{emu.url}/crm/v8/Leads"
    emu.http.get(url, params=base, timeout=120)  # first call builds the sorted view: not what we time
    out: dict[str, list[float]] = {"discrete": [], "page_token": []}
    cpu = emu.cpu_seconds()
    for n in range(pages):
        out["discrete"].append(_timed(emu, url, {**base, "page": n % 10 + 1}))
    out["cpu discrete"] = [(emu.cpu_seconds() - cpu) * 1000 / pages]
    cpu = emu.cpu_seconds()
    token = None
    for _ in range(pages):
        params = {**base, "page_token": token} if token else base
        begin = time.perf_counter()
        resp = emu.http.get(url, params=params, timeout=120)
        out["page_token"].append((time.perf_counter() - begin) * 1000)  # the client's JSON decoding excluded
        body = resp.json()
        token = body["info"]["next_page_token"]
        if token is None:  # a small org ran out of pages
            break
    out["cpu page_token"] = [(emu.cpu_seconds() - cpu) * 1000 / len(out["page_token"])]
    return out


def _timed(emu: Running, url: str, params: dict[str, object]) -> float:
    begin = time.perf_counter()
    resp = emu.http.get(url, params=params, timeout=120)
    elapsed = (time.perf_counter() - begin) * 1000
    assert resp.status_code == 200 and len(resp.json()["data"]) == 200
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000, help="records per standard module")
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args(argv)

    empty = Running(0)
    baseline = empty.rss_mib()
    empty.stop()
    small = Running(5000)
    small_start = small.started
    small.stop()
    big = Running(args.records)
    rss = big.rss_mib()
    timings = time_pages(big, args.pages)
    big.stop()

    modules = 7  # standard modules seeded with --records each (plus a linking module with a tenth)
    per_record = (rss - baseline) * 1024 * 1024 / (args.records * modules * 1.0 + args.records // 10)
    rows = [("start-up, --records 5000", f"{small_start:.1f} s")]
    if args.records != 5000:
        rows.append((f"start-up, --records {args.records}", f"{big.started:.1f} s"))
    rows += [
        ("resident memory, empty org", f"{baseline:.0f} MiB"),
        (f"resident memory, {args.records} records per module", f"{rss:.0f} MiB"),
        ("memory per stored record (all modules)", f"{per_record:.0f} bytes"),
    ]
    for kind in ("discrete", "page_token"):
        values = timings[kind]
        rows.append((f"200-record page ({kind}), median", f"{statistics.median(values):.2f} ms"))
        rows.append((f"200-record page ({kind}), p95", f"{sorted(values)[int(len(values) * 0.95) - 1]:.2f} ms"))
        rows.append((f"200-record page ({kind}), emulator CPU (mean)", f"{timings['cpu ' + kind][0]:.2f} ms"))
    rows.append(("load average (1 min) at the end", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
