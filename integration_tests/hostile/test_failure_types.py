"""The same failure gets the same Airbyte failure type from both console scripts (issue 13: one taxonomy).

Each client exception names whose fault it is (zoho_crm_client/errors.py `Fault`) and zoho_crm_airbyte/
failures.py maps that once to Airbyte's type; before, a 5xx after retries was transient in the source and a
system error in the destination. Each case injects one answer on the module list, the first call `discover`
makes in either connector, through the emulator's control plane, and reads the error trace each script prints.
"""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.harness import Emulator, run_connector

MODULES = "GET /crm/v8/settings/modules"
NO_WAIT = {"retry_base_seconds": 0, "retry_max_seconds": 0, "max_retries": 1}  # retried once, never waited for


@pytest.mark.parametrize(("fault", "expected"), [
    ({"status": 500}, "transient_error"),  # ServerError: Zoho's, a later run may pass
    ({"status": 429}, "transient_error"),  # RateLimitError
    ({"status": 401, "code": "OAUTH_SCOPE_MISMATCH"}, "config_error"),  # ScopeMissingError: grant the scope
    ({"status": 403, "code": "NO_PERMISSION"}, "config_error"),  # PermissionError_: the user's profile
    ({"status": 400, "code": "INVALID_REQUEST_METHOD"}, "system_error"),  # RequestError: ours to fix
])
def test_given_one_zoho_failure_when_both_connectors_meet_it_then_their_traces_give_the_same_failure_type(
        emulator: Emulator, fault: dict[str, Any], expected: str) -> None:
    types = {}
    for script in ("source-zoho-crm", "destination-zoho-crm"):
        emulator.faults([{"route": MODULES, **fault}])
        try:
            run = run_connector(script, "discover", config=emulator.config(**NO_WAIT), timeout=120)
        finally:
            emulator.faults([])
        errors = run.traces("ERROR")
        assert run.returncode != 0 and errors, (script, run.stdout[-2000:], run.stderr[-2000:])
        types[script] = errors[-1]["error"]["failure_type"]
    assert types == {"source-zoho-crm": expected, "destination-zoho-crm": expected}
