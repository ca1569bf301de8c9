"""Run a connector console script as a child process and measure it.

CPU seconds come from `os.wait4` on the child: the kernel's rusage for that process alone (`ru_utime +
ru_stime`), so the emulator's CPU and the benchmark's own stdout counting are not charged to the connector.

Peak RSS is the child's `VmHWM` in /proc/<pid>/status, polled until it exits. Not `ru_maxrss`: Linux carries
the forking parent's high-water mark across exec into the child's maxrss, so every connector would appear
as big as this benchmark process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

BIN = Path(sys.executable).parent
# Children compile bytecode once into this cache, as an installed package (pip, the Docker image) would have;
# without it, an environment with PYTHONDONTWRITEBYTECODE=1 recompiles ~900 modules in every run.
PYCACHE = os.path.join(tempfile.gettempdir(), "zoho-crm-bench-pycache")
STREAM = re.compile(rb'"stream":\s*"([^"]+)"')
MIN_SPAN_S = 0.5  # shorter spans between STATE echoes are one commit point, not a measurable rate
TOMBSTONE = b'"_ab_cdc_deleted_at":"'  # a deleted record (design.md, "Source output"); live rows carry null


def script(name: str) -> str:
    """The console script installed beside this interpreter (the venv), else the one on PATH."""
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


@dataclass
class Output:
    """What a connector printed, counted cheaply: RECORD lines are never fully parsed."""

    records: int = 0
    by_stream: dict[str, int] = field(default_factory=dict)
    tombstones: dict[str, int] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    first_record_at: float | None = None
    last_record_at: float | None = None
    state_times: list[float] = field(default_factory=list)

    def feed(self, line: bytes, now: float) -> None:
        if b'"RECORD"' in line[:40]:
            self._count_record(line, now)
            return
        try:
            message = json.loads(line)
        except ValueError:
            return
        kind = message.get("type")
        if kind == "STATE":
            self.states.append(message["state"])
            self.state_times.append(now)
        elif kind == "TRACE" and message["trace"].get("type") == "ERROR":
            self.errors.append(message["trace"]["error"].get("message", "error"))
        elif kind == "LOG" and message["log"].get("level") in ("ERROR", "FATAL"):
            self.errors.append(message["log"].get("message", "error"))

    def _count_record(self, line: bytes, now: float) -> None:
        self.records += 1
        if self.first_record_at is None:
            self.first_record_at = now
        self.last_record_at = now
        match = STREAM.search(line)
        stream = match.group(1).decode() if match else "?"
        self.by_stream[stream] = self.by_stream.get(stream, 0) + 1
        if TOMBSTONE in line:
            self.tombstones[stream] = self.tombstones.get(stream, 0) + 1

    def final_state(self) -> list[dict[str, Any]]:
        """The last state per stream (or the last global one): what the next sync passes as --state."""
        latest: dict[str, dict[str, Any]] = {}
        for state in self.states:
            descriptor = state.get("stream", {}).get("stream_descriptor", {})
            latest[json.dumps(descriptor, sort_keys=True) if descriptor else "__global__"] = state
        return list(latest.values())


@dataclass
class Measured:
    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    output: Output
    stderr_tail: str

    def steady_rate(self) -> float | None:
        """Records per second from the first RECORD to the last: the rate once start-up is over."""
        out = self.output
        if out.records < 2 or not out.last_record_at or out.last_record_at <= out.first_record_at:
            return None
        return (out.records - 1) / (out.last_record_at - out.first_record_at)

    def steady_state_rate(self, count: Callable[[dict[str, Any]], int]) -> float | None:
        """Records per second between the first and the last STATE echoed (a destination's commits); None
        when they came in one burst (a single commit point), which says nothing about a rate."""
        out = self.output
        if len(out.states) < 2 or out.state_times[-1] - out.state_times[0] < MIN_SPAN_S:
            return None
        return (count(out.states[-1]) - count(out.states[0])) / (out.state_times[-1] - out.state_times[0])


def child_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    return env


def connector_args(name: str, command: str, tmp: str, **files: Any) -> list[str]:
    """`name command --config c.json [--catalog k.json] [--state s.json]`, the JSON written under tmp."""
    args = [script(name), command]
    for key, value in files.items():
        if value is not None:
            path = os.path.join(tmp, f"{key}.json")
            Path(path).write_text(json.dumps(value))
            args += [f"--{key}", path]
    return args


def run_measured(args: list[str], *, stdin_path: str | None = None, timeout: float = 3600) -> Measured:
    """Run args to completion, counting its Airbyte messages, and measure its wall time, CPU and RSS."""
    with open(stdin_path or os.devnull, "rb") as stdin, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE, stderr=stderr, bufsize=1 << 20,
                                env=child_env())
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        peak = PeakRss(proc.pid)
        try:
            output = _drain(proc.stdout, start)
            peak.stop()
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
            peak.stop()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        tail = stderr.read().decode(errors="replace")[-3000:]
    return Measured(proc.returncode, wall, usage.ru_utime + usage.ru_stime, peak.mb, output, tail)


class PeakRss:
    """Polls a process's VmHWM (a high-water mark, so only the last interval before exit can be missed)."""

    INTERVAL = 0.05

    def __init__(self, pid: int):
        self._path = f"/proc/{pid}/status"
        self._done = threading.Event()
        self.kib = 0
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    @property
    def mb(self) -> float:
        return self.kib / 1024

    def _poll(self) -> None:
        while True:
            self._read()
            if self._done.wait(self.INTERVAL):
                return

    def _read(self) -> None:
        try:
            with open(self._path) as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.kib = max(self.kib, int(line.split()[1]))
                        return
        except OSError:
            return  # exited (or a zombie without memory): the last reading stands

    def stop(self) -> None:
        """Take a last reading (stdout has closed, so the process is exiting) and end the polling."""
        self._read()
        self._done.set()
        self._thread.join()


def _drain(stream: IO[bytes], start: float) -> Output:
    output = Output()
    for line in stream:
        output.feed(line, time.perf_counter() - start)
    stream.close()
    return output
