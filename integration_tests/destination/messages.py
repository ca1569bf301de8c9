"""Builders for `destination-zoho-crm write` runs: configured catalogs, input lines, and readers of the output."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from integration_tests.harness import Emulator, Run, run_connector

DESTINATION = "destination-zoho-crm"
REJECTED = "Rejected record: "
WRITE_ROUTES = ("POST /crm/v8/{module}", "PUT /crm/v8/{module}", "POST /crm/v8/{module}/upsert",
                "DELETE /crm/v8/{module}")


def catalog(*streams: tuple[str, str], primary_key: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """(stream name, destination sync mode) pairs; `primary_key` maps a stream to its matching columns."""
    entries = []
    for name, mode in streams:
        entry: dict[str, Any] = {"stream": {"name": name, "json_schema": {"type": "object"},
                                            "supported_sync_modes": ["full_refresh", "incremental"]},
                                 "sync_mode": "full_refresh", "destination_sync_mode": mode}
        if primary_key and name in primary_key:
            entry["primary_key"] = [[k] for k in primary_key[name]]
        entries.append(entry)
    return {"streams": entries}


def record(stream: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "RECORD", "record": {"stream": stream, "data": data, "emitted_at": 1_764_000_000_000}}


def state(stream: str, marker: int) -> dict[str, Any]:
    return {"type": "STATE", "state": {"type": "STREAM", "stream": {
        "stream_descriptor": {"name": stream}, "stream_state": {"marker": marker}}}}


def write(emu: Emulator, streams: Iterable[tuple[str, str]], messages: Iterable[dict[str, Any]],
          primary_key: dict[str, list[str]] | None = None, **config: Any) -> Run:
    stdin = "".join(json.dumps(m) + "\n" for m in messages)
    return run_connector(DESTINATION, "write", config=emu.config(**config),
                         catalog=catalog(*streams, primary_key=primary_key), stdin=stdin, timeout=120)


def rejections(run: Run) -> list[dict[str, Any]]:
    return [json.loads(m[len(REJECTED):]) for m in run.logs() if m.startswith(REJECTED)]


def write_calls(before: dict[str, Any], after: dict[str, Any], routes: Iterable[str] = WRITE_ROUTES) -> int:
    return sum(after["by_route"].get(r, 0) - before["by_route"].get(r, 0) for r in routes)


def live(emu: Emulator, module: str) -> list[dict[str, Any]]:
    return emu.records(module)["live"]


def by(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {row.get(key): row for row in rows}
