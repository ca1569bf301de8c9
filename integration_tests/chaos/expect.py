"""What a user must see when something is wrong: one clear message, not a bare Python traceback."""

from __future__ import annotations

from integration_tests.harness import Run

TRACEBACK = "Traceback (most recent call last)"


def clean_error(run: Run) -> str:
    """The error messages a user sees (TRACE errors, a FAILED connection status, ERROR logs), joined.

    Fails when there is none, or when a traceback is printed raw on stdout where Airbyte expects messages.
    A traceback inside a TRACE message's `stack_trace`, or on stderr beside a clear message, is allowed.
    """
    found = [t["error"].get("message") or "" for t in run.traces("ERROR")]
    found += [m["connectionStatus"].get("message") or "" for m in run.of_type("CONNECTION_STATUS")
              if m["connectionStatus"]["status"] == "FAILED"]
    found += [line for line in run.logs("ERROR") + run.logs("FATAL") if TRACEBACK not in line]
    text = " | ".join(m for m in found if m.strip())
    assert text, f"no error message at all; stdout: {run.stdout[-1500:]!r} stderr: {run.stderr[-1500:]!r}"
    assert not any(TRACEBACK in line for line in run.garbage), f"raw traceback on stdout: {run.garbage[:5]}"
    assert TRACEBACK not in text and 'File "/' not in text, f"the message is a traceback: {text[:500]}"
    return text


def completed(run: Run) -> None:
    """The attempt ended well: exit 0 and no ERROR trace."""
    errors = [t["error"].get("message") for t in run.traces("ERROR")]
    assert run.returncode == 0 and not errors, f"exit {run.returncode}, errors {errors}; stderr: {run.stderr[-2000:]}"
