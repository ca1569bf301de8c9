"""HTTP plumbing only: a threaded HTTP/1.1 keep-alive server that turns bytes into Request and back.

Every connection gets its own thread, so slow (latency-injected) calls overlap as they would against Zoho.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from zoho_crm_emulator.app import App
from zoho_crm_emulator.wire import Request, Response


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes: with Nagle's algorithm on, the body's last segment waits for
        # the client's delayed ACK of the headers, up to 40 ms a call on Linux (issue 8, measured 44 ms).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        req = Request(self.command, url.path, dict(parse_qsl(url.query, keep_blank_values=True)),
                      {k.lower(): v for k, v in self.headers.items()}, body)
        self._send(self.server.app.handle(req))

    def _send(self, resp: Response) -> None:
        payload = resp.payload()
        self.send_response(resp.status)
        if payload or resp.status not in (204, 304):
            self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if resp.drop:
            self._drop(payload)
            return
        self.wfile.write(payload)

    def _drop(self, payload: bytes) -> None:
        """Fault injection: half the body, then the connection goes away."""
        self.wfile.write(payload[: len(payload) // 2])
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet; stats are the log
        return


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), _Handler)
        self.app = app
        app.base_url = f"http://{host}:{self.server_address[1]}"

    @property
    def url(self) -> str:
        return self.app.base_url

    def start_background(self) -> threading.Thread:
        """Serve from a daemon thread (benchmarks and in-process use); stop with shutdown()."""
        thread = threading.Thread(target=self.serve_forever, name="zoho-crm-emulator", daemon=True)
        thread.start()
        return thread
