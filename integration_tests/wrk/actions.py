"""How a Wrk action is done with these connectors: one source read or one destination write, as Airbyte runs them.

Each helper runs the real console script against the emulator and fails the test with the connector's own
error when the run does not succeed, so a test body reads as the recipe of docs/wrk-actions.md.
"""

from __future__ import annotations

import json
from typing import Any

from integration_tests.harness import Emulator, Run, configured_catalog, run_connector

SOURCE = "source-zoho-crm"
DESTINATION = "destination-zoho-crm"
DELETED_AT = "_ab_cdc_deleted_at"


def read(emulator: Emulator, streams: list[str], *, sync_mode: str = "full_refresh",
         columns: dict[str, list[str]] | None = None, **config: Any) -> Run:
    """Discover, select `streams` (optionally only some `columns` of a stream), read them."""
    cfg = emulator.config(**config)
    discovered = _succeed(run_connector(SOURCE, "discover", config=cfg))
    catalog = configured_catalog(discovered.of_type("CATALOG")[0]["catalog"]["streams"], sync_mode=sync_mode,
                                 names=streams)
    for entry in catalog["streams"]:
        _narrow(entry["stream"], (columns or {}).get(entry["stream"]["name"]))
    return _succeed(run_connector(SOURCE, "read", config=cfg, catalog=catalog))


def write(emulator: Emulator, module: str, records: list[dict[str, Any]], *, sync_mode: str = "append",
          operation: str | None = None) -> Run:
    """One stream of `records` into `module` with the destination sync mode (and operation) given."""
    stream = f"wrk_{module.lower()}"
    setting: dict[str, Any] = {"name": stream, "module": module}
    if operation:
        setting["operation"] = operation
    catalog = {"streams": [{"stream": {"name": stream, "json_schema": {"type": "object"},
                                       "supported_sync_modes": ["full_refresh"]},
                            "sync_mode": "full_refresh", "destination_sync_mode": sync_mode}]}
    lines = [{"type": "RECORD", "record": {"stream": stream, "data": r, "emitted_at": 1_764_000_000_000}}
             for r in records]
    lines.append({"type": "STATE", "state": {"type": "STREAM", "stream": {
        "stream_descriptor": {"name": stream}, "stream_state": {"done": True}}}})
    run = run_connector(DESTINATION, "write", config=emulator.config(streams=[setting]), catalog=catalog,
                        stdin="".join(json.dumps(m) + "\n" for m in lines))
    assert run.states(), f"no STATE after the commit: {run.logs()[-5:]}"
    return _succeed(run)


def calls(before: dict[str, Any], after: dict[str, Any], route: str) -> int:
    """Requests the emulator served on `route` between two stats snapshots."""
    return after["by_route"].get(route, 0) - before["by_route"].get(route, 0)


def live(emulator: Emulator, module: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in emulator.records(module)["live"]}


def deleted_ids(emulator: Emulator, module: str) -> set[str]:
    return {r["id"] for r in emulator.records(module)["deleted"]}


def _narrow(stream: dict[str, Any], columns: list[str] | None) -> None:
    if columns:
        props = stream["json_schema"]["properties"]
        stream["json_schema"]["properties"] = {k: v for k, v in props.items() if k in {"id", *columns}}


def _succeed(run: Run) -> Run:
    errors = [t["error"]["message"] for t in run.traces("ERROR")]
    assert run.returncode == 0 and not errors, f"exit {run.returncode}: {errors or run.stderr[-2000:]}"
    return run
