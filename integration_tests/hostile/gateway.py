"""A scripted gateway in front of the emulator: what a misbehaving proxy, load balancer or impostor does.

The emulator answers as Zoho does; the gateway forwards every call to it and lets a test rewrite the call on
its way (`before`: change the query, or answer itself: a redirect, an echo, a body that trickles) or the answer
on its way back (`after`). The connectors under test are the real console scripts, pointed at the gateway.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


@dataclass
class Exchange:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle_every: float | None = None  # seconds between single bytes of a body that never ends

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Reply:
        return cls(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    @classmethod
    def redirect(cls, location: str, status: int = 307) -> Reply:
        return cls(status, b"", {"Location": location})


Before = Callable[[Exchange], Reply | None]
After = Callable[[Exchange, int, bytes], bytes]


@dataclass
class Gateway:
    upstream: str
    before: Before = lambda exchange: None
    after: After = lambda exchange, status, body: body
    url: str = ""
    seen: list[str] = field(default_factory=list)  # "METHOD /path", in arrival order
    stop: threading.Event = field(default_factory=threading.Event)

    def count(self, method: str, path: str) -> int:
        return sum(1 for s in self.seen if s == f"{method} {path}")


@contextmanager
def gateway(upstream: str, before: Before | None = None, after: After | None = None) -> Iterator[Gateway]:
    """Serve a Gateway to `upstream` on 127.0.0.1 until the block ends."""
    gw = Gateway(upstream, **{k: v for k, v in (("before", before), ("after", after)) if v is not None})
    session = requests.Session()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            exchange = Exchange(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                                {k: v for k, v in self.headers.items()}, body)
            gw.seen.append(f"{self.command} {parts.path}")
            reply = gw.before(exchange)
            if reply is None:
                reply = self._forward(exchange)
            self._send(reply)

        def _forward(self, exchange: Exchange) -> Reply:
            url = f"{gw.upstream}{exchange.path}"
            if exchange.query:
                url += "?" + urlencode(exchange.query, doseq=True)
            headers = {k: v for k, v in exchange.headers.items() if k.lower() not in HOP_HEADERS}
            resp = session.request(exchange.method, url, data=exchange.body or None, headers=headers,
                                   allow_redirects=False, timeout=60)
            body = gw.after(exchange, resp.status_code, resp.content)
            kept = {k: v for k, v in resp.headers.items() if k.lower() not in HOP_HEADERS}
            return Reply(resp.status_code, body, kept)

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.trickle_every is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.send_header("Content-Length", str(10 ** 9))
            self.end_headers()
            self.close_connection = True
            try:
                while not gw.stop.wait(reply.trickle_every):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:
                return  # the client gave up: what the test wants

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gw.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield gw
    finally:
        gw.stop.set()
        server.shutdown()
        server.server_close()
        session.close()
