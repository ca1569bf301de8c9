"""Run the real console scripts, keep everything they print, and kill one mid-sync on demand.

`Recorder.run` wraps harness.run_connector; `Recorder.run_killed` starts the script with `subprocess.Popen`,
reads stdout line by line and sends SIGKILL when the Nth STATE message appears, like a pod evicted mid-sync.
Every transcript (stdout and stderr) is kept so the scenario can scan them for secrets afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from integration_tests.harness import Run, run_connector, script


@dataclass(frozen=True)
class Transcript:
    command: str
    stdout: str
    stderr: str


class Recorder:
    """The connector runs of one scenario, in order."""

    def __init__(self) -> None:
        self.transcripts: list[Transcript] = []

    def run(self, name: str, command: str, **kwargs: Any) -> Run:
        result = run_connector(name, command, timeout=kwargs.pop("timeout", 240), **kwargs)
        self.transcripts.append(Transcript(f"{name} {command}", result.stdout, result.stderr))
        return result

    def run_killed(self, name: str, command: str, *, after_states: int, stdin: str | None = None,
                   timeout: float = 240, **files: Any) -> tuple[Run, bool]:
        """Run until the `after_states`-th STATE line, then SIGKILL; returns the run and whether it was killed."""
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.Popen(
                [script(name), command, *_file_args(tmp, files)], text=True, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                # line-level granularity for the kill point; a block-buffered pipe would batch many states
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
            stderr, reader = _drain_in_background(proc.stderr)
            if stdin is not None:
                threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True).start()
            watchdog = threading.Timer(timeout, proc.kill)
            watchdog.start()
            try:
                lines, killed = _read_until_state(proc, after_states)
                proc.wait()
                reader.join()
            finally:
                watchdog.cancel()
        result = parse(proc.returncode, "".join(lines), "".join(stderr))
        self.transcripts.append(Transcript(f"{name} {command} (SIGKILL after {after_states} states)",
                                           result.stdout, result.stderr))
        return result, killed


def parse(returncode: int, stdout: str, stderr: str) -> Run:
    """Airbyte messages from stdout; a line cut by SIGKILL or printed raw is kept as garbage."""
    messages, garbage = [], []
    for line in stdout.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            garbage.append(line)
    return Run(returncode, messages, stdout, stderr, garbage)


def _file_args(tmp: str, files: dict[str, Any]) -> list[str]:
    args: list[str] = []
    for flag in ("config", "catalog", "state"):
        if files.get(flag) is not None:
            path = Path(tmp, f"{flag}.json")
            path.write_text(json.dumps(files[flag]))
            args += [f"--{flag}", str(path)]
    return args


def _read_until_state(proc: subprocess.Popen, after_states: int) -> tuple[list[str], bool]:
    lines: list[str] = []
    seen = 0
    for line in proc.stdout:
        lines.append(line)
        if _is_state(line):
            seen += 1
            if seen == after_states:
                proc.kill()
                lines.extend(proc.stdout.read().splitlines(keepends=True))
                return lines, True
    return lines, False


def _is_state(line: str) -> bool:
    try:
        return json.loads(line).get("type") == "STATE"
    except ValueError:
        return False


def _drain_in_background(stream: IO[str]) -> tuple[list[str], threading.Thread]:
    """stderr is read concurrently so a chatty process never blocks on a full pipe."""
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.extend(stream), daemon=True)
    reader.start()
    return chunks, reader


def _feed(stream: IO[str], text: str) -> None:
    try:
        stream.write(text)
        stream.close()
    except (BrokenPipeError, OSError):
        pass  # the process was killed while reading its input: exactly the scenario
