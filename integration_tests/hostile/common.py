"""Shared by the hostile-input tests of issue 12 (destination, tracebacks, new users): run a console script and
check what every run of this suite must show: no "Something went wrong in the connector", no raw traceback."""

from __future__ import annotations

from typing import Any

from integration_tests.harness import Run

GENERIC = "Something went wrong in the connector"
TRACEBACK = "Traceback (most recent call last)"


def no_crash(run: Run) -> None:
    """Neither the CDK's generic message nor a traceback outside a trace's stack_trace field."""
    assert GENERIC not in run.stdout and GENERIC not in run.stderr, run.stdout[-2000:]
    assert not any(TRACEBACK in line for line in run.garbage), run.garbage[:5]
    for message in run.logs():
        assert TRACEBACK not in message, message[:500]


def failure(run: Run) -> tuple[str, str | None]:
    """(message, failure type) of the run's error: an ERROR trace, or a FAILED connection status (type None)."""
    no_crash(run)
    traces = [t["error"] for t in run.traces("ERROR")]
    if traces:
        return traces[-1]["message"], traces[-1].get("failure_type")
    statuses = [m["connectionStatus"] for m in run.of_type("CONNECTION_STATUS")
                if m["connectionStatus"]["status"] == "FAILED"]
    assert statuses, f"no error message: exit {run.returncode}; stdout {run.stdout[-1500:]!r}"
    return statuses[-1]["message"], None


def markers(run: Run) -> list[Any]:
    """The test markers of the STATE messages a destination echoed, in order."""
    return [s["stream"]["stream_state"]["marker"] for s in run.states()]
