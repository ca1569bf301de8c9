"""Emulator benchmark (not a test): start-up, memory, and the emulator's CPU per call as Leads grow.

    .venv/bin/python -m benchmarks.emulator_bench [--sizes 10000,100000,300000] [--pages 60]

For each size it runs the real `zoho-crm-emulator` console script as a subprocess with
`--records 0 --module-records Leads=N` (so the client does not share its GIL, and only Leads is seeded),
reads its resident memory and CPU time from /proc, and makes `--pages` calls of each kind a connector makes,
over HTTP keep-alive at --latency-ms 0, 50 fields of Leads:

- discrete: `page=1..10`, sorted by Modified_Time;
- page_token: a token walk sorted by Modified_Time with a fixed If-Modified-Since;
- keyset: every page asked again with If-Modified-Since = the last Modified_Time served (what the source does);
- deleted: `GET /Leads/deleted` pages;
- coql: `where Modified_Time >= 'T' order by Modified_Time, id limit 2000` keyset pages (2,000 rows each).

Wall times depend on what else the machine runs; the emulator's CPU time per call does not, and it is the
figure to compare across sizes: flat means a call costs what its page costs, not what the module holds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from zoho_crm_emulator import credentials

BIN = Path(sys.executable).parent / "zoho-crm-emulator"
LEADS_FIELDS = 50
SINCE = "2023-09-01T00:00:00+00:00"  # before every seeded record (seed.py)
KINDS = ("discrete", "page_token", "keyset", "deleted", "coql")


class Running:
    """One emulator process seeded with `leads` Leads; `started` is the seconds until it printed its URL."""

    def __init__(self, leads: int):
        begin = time.perf_counter()
        self.proc = subprocess.Popen([str(BIN), "--records", "0", "--module-records", f"Leads={leads}",
                                      "--latency-ms", "0", "--edition", "ultimate"], stdout=subprocess.PIPE, text=True)
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

    def get(self, path: str, params: dict[str, Any], since: str | None = None) -> requests.Response:
        headers = {"If-Modified-Since": since} if since else None
        return self.http.get(f"{self.url}/crm/v8/{path}", params=params, headers=headers, timeout=600)

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
    names.remove("Modified_Time")
    return ",".join(["Modified_Time", *names[:LEADS_FIELDS - 1]])


def _callers(emu: Running) -> dict[str, Callable[[Any], tuple[requests.Response, Any]]]:
    """Per kind: state -> (answer, next state); the state is whatever the next call pages from."""
    base = {"fields": _fields(emu), "sort_by": "Modified_Time", "sort_order": "asc", "per_page": 200,
            "converted": "both"}

    def discrete(n: int | None) -> tuple[requests.Response, Any]:
        n = n or 0
        return emu.get("Leads", {**base, "page": n % 10 + 1}), n + 1

    def page_token(token: str | None) -> tuple[requests.Response, Any]:
        resp = emu.get("Leads", {**base, "page_token": token} if token else base, SINCE)
        return resp, resp.json()["info"]["next_page_token"]

    def keyset(since: str | None) -> tuple[requests.Response, Any]:
        resp = emu.get("Leads", base, since or SINCE)
        data = resp.json()["data"]
        return resp, data[-1]["Modified_Time"] if len(data) == 200 else SINCE  # at the end: from the start

    def deleted(page: int | None) -> tuple[requests.Response, Any]:
        resp = emu.get("Leads/deleted", {"type": "all", "per_page": 200, "page": page or 1})
        return resp, (page or 1) + 1 if resp.json()["info"]["more_records"] else 1  # round the bin again

    def coql(since: str | None) -> tuple[requests.Response, Any]:
        query = (f"select {base['fields']} from Leads where Modified_Time >= '{since or SINCE}' "
                 "order by Modified_Time, id limit 2000")
        resp = emu.http.post(f"{emu.url}/crm/v8/coql", json={"select_query": query}, timeout=600)
        data = resp.json()["data"]
        return resp, data[-1]["Modified_Time"] if len(data) == 2000 else SINCE  # at the end: from the start

    return {"discrete": discrete, "page_token": page_token, "keyset": keyset, "deleted": deleted, "coql": coql}


def time_calls(emu: Running, pages: int) -> dict[str, tuple[float, float]]:
    """Per kind: (median wall ms, mean emulator CPU ms) per call; the first call (index build) excluded."""
    out = {}
    for kind, call in _callers(emu).items():
        resp, state = call(None)  # builds the index this kind reads: not what we time
        walls, cpu = [], emu.cpu_seconds()
        for _ in range(pages):
            begin = time.perf_counter()
            resp, state = call(state)
            walls.append((time.perf_counter() - begin) * 1000)
            assert resp.status_code == 200, (kind, resp.status_code, resp.text[:200])
            if state is None:  # a small org ran out of pages
                break
        out[kind] = (statistics.median(walls), (emu.cpu_seconds() - cpu) * 1000 / len(walls))
    return out


def measure(leads: int, pages: int) -> dict[str, Any]:
    emu = Running(leads)
    try:
        return {"started": emu.started, "rss": emu.rss_mib(), "calls": time_calls(emu, pages)}
    finally:
        emu.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000", help="Leads per run, comma-separated")
    parser.add_argument("--pages", type=int, default=60, help="calls of each kind per run")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure(size, args.pages) for size in sizes}

    rows = [("start-up (seeding Leads only), s", [f"{results[s]['started']:.1f}" for s in sizes]),
            ("resident memory, MiB", [f"{results[s]['rss']:.0f}" for s in sizes])]
    for kind in KINDS:
        rows.append((f"{kind}: emulator CPU per call, ms", [f"{results[s]['calls'][kind][1]:.2f}" for s in sizes]))
        rows.append((f"{kind}: median wall per call, ms", [f"{results[s]['calls'][kind][0]:.2f}" for s in sizes]))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure (Leads ->)':<{width}}  " + "  ".join(f"{s:>9,}" for s in sizes))
    for name, values in rows:
        print(f"{name:<{width}}  " + "  ".join(f"{v:>9}" for v in values))
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
