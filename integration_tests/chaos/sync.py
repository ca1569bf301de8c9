"""A source sync as the platform runs it: discover once, read with the last state, apply records to replicas.

Only records followed by a STATE message count as delivered when an attempt dies (SIGKILL, a failed run): that
is the strictest reading of the protocol, where a destination commits at each state. A successful attempt
delivers everything it emitted.
"""

from __future__ import annotations

from typing import Any

from integration_tests.chaos.replica import Replica
from integration_tests.chaos.runs import Recorder
from integration_tests.chaos.state import StateStore
from integration_tests.chaos.verdict import Verdict, compare_source
from integration_tests.harness import Emulator, Run, configured_catalog

SOURCE = "source-zoho-crm"

# Discovered streams per module list, once per test process: every scenario seeds the same org (seed 7), whose
# metadata does not depend on the record count, and a discover run costs seconds of CDK start-up.
_DISCOVERED: dict[tuple[str, ...], list[dict[str, Any]]] = {}


class SourceSync:
    def __init__(self, recorder: Recorder, config: dict[str, Any], streams: list[str]) -> None:
        self.recorder = recorder
        self.config = config
        self.catalog = configured_catalog(discover(recorder, config, streams), names=streams)
        assert len(self.catalog["streams"]) == len(streams), f"streams missing from discover: {streams}"
        self.state = StateStore()
        self.replicas = {name: Replica() for name in streams}
        self.attempts = 0

    def read(self, **overrides: Any) -> Run:
        """One attempt to completion (or failure); `overrides` change the config for this attempt only."""
        run = self.recorder.run(SOURCE, "read", config={**self.config, **overrides}, catalog=self.catalog,
                                state=self.state.as_input())
        self._absorb(run, delivered_all=run.returncode == 0)
        return run

    def read_killed(self, after_states: int) -> tuple[Run, bool]:
        """One attempt SIGKILLed when its `after_states`-th STATE appears."""
        run, killed = self.recorder.run_killed(SOURCE, "read", after_states=after_states, config=self.config,
                                               catalog=self.catalog, state=self.state.as_input())
        self._absorb(run, delivered_all=not killed and run.returncode == 0)
        return run, killed

    def verdict(self, emulator: Emulator, stream: str) -> Verdict:
        return compare_source(self.replicas[stream], emulator.records(stream))

    def _absorb(self, run: Run, *, delivered_all: bool) -> None:
        self.attempts += 1
        records, states = delivered(run.messages, delivered_all=delivered_all)
        for record in records:
            if record["stream"] in self.replicas:
                self.replicas[record["stream"]].apply([record["data"]])
        self.state.update(states)


def delivered(messages: list[dict[str, Any]], *, delivered_all: bool) -> tuple[list[dict], list[dict]]:
    """(records, states) the platform keeps from one attempt: all of them, or only up to the last STATE."""
    records: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    for message in messages:
        if message.get("type") == "RECORD":
            pending.append(message["record"])
        elif message.get("type") == "STATE":
            records += pending
            pending = []
            states.append(message["state"])
    return (records + pending if delivered_all else records), states


def discover(recorder: Recorder, config: dict[str, Any], streams: list[str]) -> list[dict[str, Any]]:
    key = tuple(sorted(streams))
    if key not in _DISCOVERED:
        run = recorder.run(SOURCE, "discover", config={**config, "modules": list(key)})
        catalogs = run.of_type("CATALOG")
        assert catalogs, f"discover failed: {run.stderr[-2000:]} {run.stdout[-2000:]}"
        _DISCOVERED[key] = catalogs[0]["catalog"]["streams"]
    return _DISCOVERED[key]
