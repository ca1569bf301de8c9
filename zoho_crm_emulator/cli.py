"""`zoho-crm-emulator`: prints its base URL as the first stdout line, then serves until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any

from zoho_crm_emulator import auth, limits, seed, timeutil
from zoho_crm_emulator.app import App
from zoho_crm_emulator.server import EmulatorServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="zoho-crm-emulator", description="A local Zoho CRM (API v8 and v2).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--seed", type=int, default=7, help="same seed, same data")
    p.add_argument("--records", type=int, default=100, help="records per standard module")
    p.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    p.add_argument("--edition", choices=sorted(limits.EDITIONS), default="enterprise")
    p.add_argument("--tz", default="+05:30", help="the API user's UTC offset")
    p.add_argument("--token-ttl", type=int, default=auth.DEFAULT_TTL, help="access-token lifetime, seconds")
    p.add_argument("--daily-credits", type=int, default=None, help="override the edition's daily allowance")
    p.add_argument("--module-records", action="append", default=[], metavar="MODULE=N[,MODULE=N]",
                   help="records for single modules instead of --records, e.g. Leads=300000 (repeatable)")
    args = p.parse_args(argv)
    try:
        args.module_records = seed.module_counts(_pairs(args.module_records))
    except ValueError as err:
        p.error(f"--module-records: {err}")
    return args


def _pairs(values: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in (part for value in values for part in value.split(",") if part.strip()):
        name, sep, count = item.partition("=")
        if not sep or not count.strip().isdigit():
            raise ValueError(f"expected MODULE=N, not {item!r}")
        out[name.strip()] = int(count)
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    app = App(seed_value=args.seed, records=args.records, latency_ms=args.latency_ms, edition=args.edition,
              tz=timeutil.parse_offset(args.tz), token_ttl=args.token_ttl, daily_credits=args.daily_credits,
              module_records=args.module_records)
    server = EmulatorServer(app, args.host, args.port)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server.start_background()
    print(server.url, flush=True)
    stop.wait()
    server.shutdown()
    server.server_close()
    sys.stdout.flush()
    # Nothing is left to save, and freeing a large org object by object takes longer than callers wait.
    os._exit(0)


if __name__ == "__main__":
    main()
