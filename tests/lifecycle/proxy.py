"""A loopback HTTP reverse proxy in front of a real runtime that hides ``GET /schema``.

Everything else (session start/stop, WebRTC signaling, uploads) is forwarded unchanged,
so a client pointed at the proxy must fall back to asking for the schema over the data
channel: the route runtime 2.x (or a proxy that strips it) leaves a generator with.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


class NoSchemaProxy:
    """``with NoSchemaProxy(upstream) as proxy: proxy.url``; ``hidden_status`` is what
    ``/schema`` answers (404 by default); ``schema_hits`` counts those requests."""

    def __init__(self, upstream: str, hidden_status: int = 404) -> None:
        self.upstream = upstream.rstrip("/")
        self.hidden_status = hidden_status
        self.schema_hits = 0
        self.forwarded: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.split("?", 1)[0].rstrip("/") == "/schema":
                    proxy.schema_hits += 1
                    self._reply(proxy.hidden_status, b'{"detail":"Not Found"}', {"content-type": "application/json"})
                    return
                proxy.forwarded.append(f"{self.command} {self.path}")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                try:
                    response = httpx.request(
                        self.command,
                        proxy.upstream + self.path,
                        content=body,
                        headers=headers,
                        timeout=60,
                    )
                except httpx.HTTPError as exc:
                    self._reply(502, str(exc).encode(), {"content-type": "text/plain"})
                    return
                out = {k: v for k, v in response.headers.items() if k.lower() not in _HOP}
                self._reply(response.status_code, response.content, out)

            def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> NoSchemaProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
