"""A few lines of http.server on 127.0.0.1 for answers no real Zoho should give but a proxy or a bug might.

The emulator's fault rules cover Zoho's own errors; these stand-ins cover the rest: an HTML error page, a body
cut short, a 200 carrying an error, a token answer naming a foreign api_domain. The connector under test is
real; only the server on the other end is scripted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from zoho_crm_emulator import credentials


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    declared_length: int | None = None  # a Content-Length larger than the body: the connection drops mid-body

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Answer:
        return cls(status, json.dumps(payload).encode())


@dataclass
class StandIn:
    url: str = ""
    seen: list[str] = field(default_factory=list)  # "METHOD /path auth=True|False", in arrival order


@contextmanager
def serve(answer: Callable[[str, str, str], Answer]) -> Iterator[StandIn]:
    """Serve `answer(method, path, base_url)` for every request until the block ends."""
    stand_in = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            stand_in.seen.append(f"{self.command} {self.path} auth={'Authorization' in self.headers}")
            out = answer(self.command, self.path, stand_in.url)
            self.send_response(out.status)
            self.send_header("Content-Type", out.content_type)
            self.send_header("Content-Length", str(out.declared_length or len(out.body)))
            self.end_headers()
            self.wfile.write(out.body)
            self.close_connection = out.declared_length is not None

        do_GET = do_POST = do_PUT = do_DELETE = _reply

        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()


def token_answer(access_token: str, api_domain: str) -> Answer:
    return Answer.json({"access_token": access_token, "api_domain": api_domain, "token_type": "Bearer",
                        "expires_in": 3600})


def stand_in_config(accounts_url: str) -> dict[str, str]:
    """A source config whose accounts server is a stand-in (no api_url: the token answer decides)."""
    return {"client_id": credentials.CLIENT_ID, "client_secret": credentials.CLIENT_SECRET,
            "refresh_token": credentials.REFRESH_TOKEN, "dc_region": "US", "environment": "Production",
            "accounts_url": accounts_url, "start_datetime": "2020-01-01"}
