"""The secret scan every hostile-server test ends with: no secret of the run, in any form, in stdout or stderr."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from integration_tests.harness import Run
from zoho_crm_emulator import credentials

# The emulator's access tokens all have this shape (zoho_crm_emulator/auth.py), so one leaked is found unnamed.
ACCESS_TOKEN_SHAPE = re.compile(r"1000\.[0-9a-f]{32}\.[0-9a-f]{32}")
SECRETS = {"client_secret": credentials.CLIENT_SECRET, "refresh_token": credentials.REFRESH_TOKEN}


def assert_no_secret(run: Run, _emulator: Any = None, *, extra: Iterable[str] = ()) -> None:
    text = run.stdout + run.stderr
    named = {**SECRETS, **{f"served token {i}": value for i, value in enumerate(extra)}}
    leaked = [name for name, value in named.items() if value and value in text]
    assert not leaked, f"leaked: {leaked}"
    assert not ACCESS_TOKEN_SHAPE.search(text), "an emulator access token was printed"
