"""Security (issue 7 item 9): the access token only ever goes to the configured region's API domain.

Zoho's token response names an `api_domain`; a client that follows it blindly hands the token to whoever
answered the token call. Here a stand-in accounts server (a few lines of http.server on 127.0.0.1) names a
second local server, the trap, as its api_domain: the source must refuse, say why, and the trap must see nothing.
The secret scan itself runs on every scenario of the suite (the `scenario` fixture, conftest.py).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from integration_tests.chaos.expect import clean_error
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.verdict import Verdict
from zoho_crm_emulator import credentials

ACCESS_TOKEN = "1000.chaosaccesstoken0000000000.trap0000000000000000000000"


@contextmanager
def serve(answer: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """A loopback server answering `answer` to everything; yields its URL and the requests it saw."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(f"{self.command} {self.path} auth={'Authorization' in self.headers}")
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _reply

        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_an_api_domain_outside_the_region_never_receives_the_access_token(scenario: Scenario) -> None:
    scenario.secrets["served access_token"] = ACCESS_TOKEN
    with serve({"users": []}) as (trap_url, trapped), serve(
            {"access_token": ACCESS_TOKEN, "api_domain": trap_url, "token_type": "Bearer", "expires_in": 3600}
    ) as (accounts_url, token_calls):
        config = {"client_id": credentials.CLIENT_ID, "client_secret": credentials.CLIENT_SECRET,
                  "refresh_token": credentials.REFRESH_TOKEN, "dc_region": "US", "environment": "Production", "accounts_url": accounts_url,
                  "start_datetime": "2020-01-01"}
        run = scenario.recorder.run("source-zoho-crm", "check", config=config)
    message = clean_error(run)
    assert "api_domain" in message, message
    assert token_calls, "the token endpoint was never called: the scenario did not test anything"
    assert trapped == [], f"the access token went to an untrusted api_domain: {trapped}"
    scenario.report("token answer names a foreign api_domain", Verdict(1, 1), note="refused; token not sent",
                    name="security: api_domain outside region")
