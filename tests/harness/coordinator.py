"""A cloud-coordinator stand-in (``https://api.reactor.inc`` look-alike) in front of a REAL runtime.

It serves the cloud HTTP contract (wire-protocol.md section 3) on a loopback port, from a
uvicorn thread (so it works from sync and async tests alike), and drives a
:class:`~harness.server.RuntimeServer` behind it: sessions really start on the runtime and
media/data really flow, because the WebRTC signaling and upload routes are forwarded to the
runtime's local session routes.

Usage::

    def test_cloud_connect(cloud_coordinator):             # fixture: in front of longlive_server
        api = cloud_coordinator.url                        # "http://127.0.0.1:<port>"
        key = cloud_coordinator.api_key                    # "rk_test_key"
        ...  # client: POST /tokens, POST /sessions, poll GET /sessions/{id}, signal, DELETE
        assert cloud_coordinator.requests("POST", "/sessions")
        assert cloud_coordinator.polls(session_id) >= 3
        assert cloud_coordinator.requests("DELETE")[0].headers["authorization"].startswith("Bearer ")

    coordinator = CloudCoordinator(server, polls_before_ready=2).start()   # by hand
    ...
    coordinator.stop()

Routes
    ``POST /tokens``            needs ``Reactor-API-Key: <api_key>`` (else 401); body recorded
                                (``token_bodies``); returns ``{"jwt", "expires_at"}``. With
                                ``token_ttl=`` a token expires after that many seconds and
                                every route that needs one answers 401 for it (``expired``
                                counts those answers).
    ``POST /sessions``          needs ``Authorization: Bearer <minted jwt>`` (else 401); starts the
                                runtime session (``POST /start_session``; a runtime 409 is returned
                                as 409); returns 201 ``{session_id (new uuid), state: "CREATED",
                                cluster, model, server_info}``.
    ``GET /sessions/{id}``      the first ``polls_before_ready`` polls answer ``state: "PENDING"``
                                without capabilities; then the runtime descriptor's
                                ``capabilities`` + ``selected_transport`` with an uppercase
                                ``state`` (runtime waiting/streaming/orphaned -> ``ACTIVE``,
                                closing/terminated/ready (session gone) -> ``CLOSED``, runtime
                                unreachable -> ``INACTIVE``). ``force_state(id, "INACTIVE")``
                                overrides it.
    ``GET /sessions/{id}/info`` ``{session_id, state, cluster}``.
    ``DELETE /sessions/{id}``   ``POST /stop_session`` on the runtime; afterwards 404 for that id.
    ``* /sessions/{id}/transport/webrtc/**`` forwarded to the runtime's
                                ``/sessions/<LOCAL_SESSION_ID>/transport/webrtc/**``.
    ``POST /sessions/{id}/uploads`` forwarded; ``presigned_url`` rewritten to
                                ``<coordinator>/uploads/<id>``; ``PUT /uploads/{id}`` forwarded
                                (no auth, like an object-store presigned URL).
    ``GET /clips``, ``GET /clips/chunks/**`` forwarded (bearer token required), so a clip's
                                path-only ``playlist_url`` resolves against the coordinator
                                as in the cloud.
    Unknown session ids answer 404 ``{"detail": "Unknown session"}``.

Every request is recorded (:class:`RecordedRequest`: method, path, query, lower-cased
headers, body, response status) -- see :meth:`CloudCoordinator.requests`.
Fault injection: ``inject(method, path_regex, status, body=None, times=1)`` answers the next
*times* matching requests with that status instead of handling them; ``answer_rewrite``
(a ``str -> str`` function) rewrites the runtime's SDP answer on its way to the client.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.server import LOCAL_SESSION_ID, RuntimeServer

_RUNTIME_STATE_MAP = {
    "waiting": "ACTIVE",
    "streaming": "ACTIVE",
    "orphaned": "ACTIVE",
    "closing": "CLOSED",
    "terminated": "CLOSED",
    "ready": "CLOSED",
    "created": "PENDING",
}
_FORWARD_HEADERS = ("content-type", "reactor-webrtc-version", "accept")


@dataclass
class RecordedRequest:
    """One request the coordinator received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)
    status: int | None = None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _Injection:
    method: str | None
    pattern: re.Pattern[str]
    status: int
    body: Any
    remaining: int
    headers: dict[str, str]


@dataclass
class CloudSession:
    session_id: str
    created_at: float
    polls: int = 0
    deleted: bool = False
    forced_state: str | None = None
    create_body: Any = None


class CloudCoordinator:
    """Cloud coordinator stand-in in front of *server* (see the module docstring).

    Args:
        server: The running runtime server to drive.
        api_key: The API key ``POST /tokens`` accepts.
        polls_before_ready: How many ``GET /sessions/{id}`` answer without capabilities.
        require_auth_on_transport: Also require the bearer token on the forwarded
            transport/upload routes (the real cloud does).
        cluster: ``cluster`` value reported for sessions.
        token_ttl: Seconds a minted token is accepted (None: forever).
    """

    def __init__(
        self,
        server: RuntimeServer,
        *,
        api_key: str = "rk_test_key",
        polls_before_ready: int = 2,
        require_auth_on_transport: bool = True,
        cluster: str = "local-test.reactor",
        token_ttl: float | None = None,
    ) -> None:
        self.server = server
        self.api_key = api_key
        self.polls_before_ready = polls_before_ready
        self.require_auth_on_transport = require_auth_on_transport
        self.cluster = cluster
        self.token_ttl = token_ttl
        self.records: list[RecordedRequest] = []
        self.token_bodies: list[Any] = []
        #: minted token -> when it expires (``time.monotonic()``; None: never)
        self.tokens: dict[str, float | None] = {}
        #: 401 answers given for a token that had expired
        self.expired = 0
        self.sessions: dict[str, CloudSession] = {}
        self._injections: list[_Injection] = []
        #: Rewrites the runtime's SDP answer on its way to the client (a proxy in the path).
        self.answer_rewrite: Callable[[str], str] | None = None
        self._lock = threading.Lock()
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._upstream: httpx.AsyncClient | None = None
        self.port = 0
        self.app = Starlette(
            routes=[
                Route("/{path:path}", self._dispatch, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
            ],
            lifespan=self._lifespan,
        )

    # -- public API ------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CloudCoordinator:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self._socket = sock
        self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", access_log=False)
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._uvicorn.run, kwargs={"sockets": [sock]}, daemon=True, name="cloud-coordinator"
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._uvicorn.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("cloud coordinator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._uvicorn = self._thread = self._socket = None

    def __enter__(self) -> CloudCoordinator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def mint_token(self, ttl: float | None = None) -> str:
        """Mint a valid JWT directly (without an HTTP call); it expires after ``ttl``
        seconds (default: the coordinator's ``token_ttl``)."""
        token = f"test-jwt.{uuid.uuid4().hex}"
        ttl = self.token_ttl if ttl is None else ttl
        with self._lock:
            self.tokens[token] = None if ttl is None else time.monotonic() + ttl
        return token

    def revoke_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def force_state(self, session_id: str, state: str | None) -> None:
        """Make ``GET /sessions/{id}`` report *state* (``None`` restores the live mapping)."""
        self.sessions[session_id].forced_state = state

    def inject(
        self,
        method: str | None,
        path_regex: str,
        status: int,
        body: Any = None,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next *times* requests matching (method, path regex) with *status*/*body*."""
        with self._lock:
            self._injections.append(
                _Injection(
                    method.upper() if method else None,
                    re.compile(path_regex),
                    status,
                    body,
                    times,
                    headers or {},
                )
            )

    def requests(
        self, method: str | None = None, path: str | None = None
    ) -> list[RecordedRequest]:
        """Recorded requests, filtered by method and path prefix."""
        with self._lock:
            records = list(self.records)
        return [
            r
            for r in records
            if (method is None or r.method == method.upper())
            and (path is None or r.path.startswith(path))
        ]

    def polls(self, session_id: str) -> int:
        """How many ``GET /sessions/{id}`` this session received."""
        return len([r for r in self.requests("GET", f"/sessions/{session_id}") if r.path == f"/sessions/{session_id}"])

    def clear(self) -> None:
        with self._lock:
            self.records.clear()
            self.token_bodies.clear()

    @property
    def active_session_id(self) -> str | None:
        live = [s for s in self.sessions.values() if not s.deleted]
        return live[-1].session_id if live else None

    # -- server plumbing -------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self._upstream = httpx.AsyncClient(timeout=30.0)
        try:
            yield
        finally:
            await self._upstream.aclose()

    async def _dispatch(self, request: Request) -> Response:
        body = await request.body()
        record = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
        )
        with self._lock:
            self.records.append(record)
        try:
            response = self._injected(record) or await self._handle(request, record)
        except httpx.HTTPError as exc:
            response = JSONResponse({"detail": f"runtime unreachable: {exc}"}, status_code=502)
        record.status = response.status_code
        return response

    def _injected(self, record: RecordedRequest) -> Response | None:
        with self._lock:
            for injection in self._injections:
                if injection.remaining <= 0:
                    continue
                if injection.method and injection.method != record.method:
                    continue
                if not injection.pattern.search(record.path):
                    continue
                injection.remaining -= 1
                body = injection.body if injection.body is not None else {"detail": "injected"}
                return JSONResponse(body, status_code=injection.status, headers=injection.headers)
        return None

    def _authorized(self, record: RecordedRequest) -> bool:
        auth = record.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return False
        token = auth[len("Bearer ") :].strip()
        with self._lock:
            if token not in self.tokens:
                return False
            expires = self.tokens[token]
            if expires is not None and time.monotonic() >= expires:
                self.expired += 1
                return False
            return True

    async def _handle(self, request: Request, record: RecordedRequest) -> Response:
        path = record.path.rstrip("/") or "/"
        method = record.method
        if path == "/tokens" and method == "POST":
            return self._tokens(record)
        match = re.fullmatch(r"/uploads/([^/]+)", path)
        if match and method == "PUT":
            return await self._forward(record, f"/uploads/{match.group(1)}")
        if path == "/sessions" and method == "POST":
            if not self._authorized(record):
                return _unauthorized()
            return await self._create(record)
        if path == "/clips" or path.startswith("/clips/"):
            if not self._authorized(record):
                return _unauthorized()
            return await self._forward(record, path)
        match = re.fullmatch(r"/sessions/([^/]+)(/.*)?", path)
        if not match:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        session_id, rest = match.group(1), match.group(2) or ""
        session = self.sessions.get(session_id)
        is_transport = rest.startswith("/transport/") or rest == "/uploads"
        if not is_transport or self.require_auth_on_transport:
            if not self._authorized(record):
                return _unauthorized()
        if session is None or session.deleted:
            return JSONResponse({"detail": "Unknown session"}, status_code=404)
        if rest == "" and method == "GET":
            return await self._describe(session)
        if rest == "/info" and method == "GET":
            described = json.loads((await self._describe(session)).body)
            return JSONResponse(
                {k: described[k] for k in ("session_id", "state", "cluster")}
            )
        if rest == "" and method == "DELETE":
            return await self._delete(session)
        if rest.startswith("/transport/webrtc"):
            response = await self._forward(record, f"/sessions/{LOCAL_SESSION_ID}{rest}")
            if (
                self.answer_rewrite is not None
                and method == "GET"
                and rest.endswith("/sdp_params")
                and response.status_code == 200
            ):
                payload = json.loads(bytes(response.body))
                if payload.get("sdp_answer"):
                    payload["sdp_answer"] = self.answer_rewrite(payload["sdp_answer"])
                    return JSONResponse(payload)
            return response
        if rest == "/uploads" and method == "POST":
            return await self._upload(record)
        return JSONResponse({"detail": "Not Found"}, status_code=404)

    def _tokens(self, record: RecordedRequest) -> Response:
        if record.headers.get("reactor-api-key") != self.api_key:
            return JSONResponse({"detail": "Invalid API key"}, status_code=401)
        try:
            parsed = record.json()
        except ValueError:
            parsed = record.body.decode(errors="replace")
        with self._lock:
            self.token_bodies.append(parsed)
        lifetime = self.token_ttl if self.token_ttl is not None else 3600
        return JSONResponse({"jwt": self.mint_token(), "expires_at": int(time.time() + lifetime)})

    async def _create(self, record: RecordedRequest) -> Response:
        assert self._upstream is not None
        runtime = await self._upstream.post(f"{self.server.url}/start_session", json={})
        if runtime.status_code != 200:
            return Response(
                runtime.content,
                status_code=runtime.status_code,
                media_type=runtime.headers.get("content-type"),
            )
        descriptor = runtime.json()
        session = CloudSession(session_id=str(uuid.uuid4()), created_at=time.time())
        try:
            session.create_body = record.json()
        except ValueError:
            session.create_body = None
        self.sessions[session.session_id] = session
        return JSONResponse(
            {
                "session_id": session.session_id,
                "state": "CREATED",
                "cluster": self.cluster,
                "model": descriptor.get("model", {}),
                "server_info": descriptor.get("server_info", {}),
            },
            status_code=201,
        )

    async def _describe(self, session: CloudSession) -> Response:
        assert self._upstream is not None
        session.polls += 1
        base = {
            "session_id": session.session_id,
            "cluster": self.cluster,
        }
        if session.polls <= self.polls_before_ready and session.forced_state is None:
            return JSONResponse({**base, "state": "PENDING"})
        try:
            runtime = await self._upstream.get(f"{self.server.url}/session", timeout=5.0)
        except httpx.HTTPError:
            return JSONResponse({**base, "state": session.forced_state or "INACTIVE"})
        if runtime.status_code != 200:
            return JSONResponse({**base, "state": session.forced_state or "CLOSED"})
        descriptor = runtime.json()
        runtime_state = str(descriptor.get("state", "")).lower()
        state = session.forced_state or _RUNTIME_STATE_MAP.get(runtime_state, runtime_state.upper())
        return JSONResponse(
            {
                **base,
                "state": state,
                "model": descriptor.get("model", {}),
                "server_info": descriptor.get("server_info", {}),
                "selected_transport": descriptor.get("selected_transport"),
                "capabilities": descriptor.get("capabilities"),
            }
        )

    async def _delete(self, session: CloudSession) -> Response:
        assert self._upstream is not None
        session.deleted = True
        try:
            await self._upstream.post(f"{self.server.url}/stop_session", json={}, timeout=10.0)
        except httpx.HTTPError:
            pass  # runtime gone: the session is gone too
        return Response(status_code=204)

    async def _upload(self, record: RecordedRequest) -> Response:
        response = await self._forward(record, f"/sessions/{LOCAL_SESSION_ID}/uploads")
        if response.status_code // 100 != 2:
            return response
        payload = json.loads(bytes(response.body))
        upload_id = payload.get("presigned_id")
        if upload_id:
            payload["presigned_url"] = f"{self.url}/uploads/{upload_id}"
        return JSONResponse(payload, status_code=response.status_code)

    async def _forward(self, record: RecordedRequest, runtime_path: str) -> Response:
        assert self._upstream is not None
        headers = {k: v for k, v in record.headers.items() if k in _FORWARD_HEADERS}
        url = f"{self.server.url}{runtime_path}"
        if record.query:
            url = f"{url}?{record.query}"
        upstream = await self._upstream.request(
            record.method, url, content=record.body, headers=headers
        )
        passthrough = {
            k: v
            for k, v in upstream.headers.items()
            if k.lower() in ("content-type", "retry-after", "location")
        }
        return Response(upstream.content, status_code=upstream.status_code, headers=passthrough)


def _unauthorized() -> Response:
    return JSONResponse({"detail": "Unauthorized"}, status_code=401)


__all__ = ["CloudCoordinator", "CloudSession", "RecordedRequest"]
