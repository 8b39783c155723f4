"""The playground's ASGI app (Starlette) and its uvicorn runner.

Routes (all relative, so the page also works behind a path prefix):

``GET /``
    The generated page (``reactor_models/<model>/_playground/index.html``).
``GET /static/playground.js``, ``/static/playground.css``
    The generic page code (this package's ``static/``).
``GET /video/<track>``
    MJPEG (``multipart/x-mixed-replace``) of an output video track; decoding and encoding
    run only while someone watches. ``GET /video/<track>.jpg``: one JPEG.
``POST /commands/<command>``
    JSON object of arguments by wire name → the typed method. ``200 {"ok": true, "reply":
    {"type", "data"} | null}``; ``422 {"ok": false, "error", "errors"}`` for arguments the SDK
    rejects (nothing was sent); ``409`` when the model or runtime refused the command,
    ``503`` when not connected. An upload argument is ``{"$file": {"name", "type",
    "base64"}}``.
``GET /events``
    Server-sent events: ``snapshot`` first (status, recent log, latest message per type),
    then ``message``, ``status``, ``error`` and ``command`` events.
``GET /state``
    The same snapshot as JSON. ``POST /connect`` connects again after a failure or loss.

Needs the ``[playground]`` extra (Starlette, uvicorn).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import importlib.resources
import inspect
import os
import socket
import sys
import tempfile
import typing
import webbrowser
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ...errors import (
    CommandFailedError,
    CommandValidationError,
    InvalidStateError,
    ReactorError,
)
from ...status import Status
from ...typed.params import OMIT
from .events import EventHub, dump_json
from .mjpeg import BOUNDARY, MjpegFeed

__all__ = ["EventHub", "Playground", "create_app", "serve"]

STATIC_FILES: typing.Final = {
    "playground.js": "text/javascript; charset=utf-8",
    "playground.css": "text/css; charset=utf-8",
}
KEEPALIVE_SECONDS: typing.Final = 15.0


class Playground:
    """One model client behind the page: connection, feeds, commands, events."""

    def __init__(
        self,
        model: typing.Any,
        surface: typing.Mapping[str, typing.Any],
        *,
        package: str,
        max_fps: float = 30.0,
        stopping: Callable[[], bool] = lambda: False,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.model = model
        self.surface = surface
        self.package = package
        self.stopping = stopping
        self.on_ready = on_ready
        self.hub = EventHub(surface.get("messages", ()))
        self.commands: dict[str, dict[str, typing.Any]] = dict(surface.get("commands", {}))
        self.feeds = {
            name: MjpegFeed(model.client.output_track(name), max_fps=max_fps)
            for name in surface.get("video_tracks", ())
        }
        self._connecting: asyncio.Task[None] | None = None
        self._subscriptions: list[typing.Any] = []
        self.page = (
            importlib.resources.files(f"{package}._playground")
            .joinpath("index.html")
            .read_text(encoding="utf-8")
        )
        static = importlib.resources.files(__package__ or "reactor_client.apps.playground")
        self.static = {
            name: static.joinpath("static").joinpath(name).read_bytes() for name in STATIC_FILES
        }

    # -- lifecycle ----------------------------------------------------------------

    def _on_status(self, status: Status) -> None:
        self.hub.publish("status", {"status": status.value})
        if status is Status.READY:
            for feed in self.feeds.values():
                feed.refresh()

    def _on_error(self, error: ReactorError) -> None:
        self.hub.publish("error", {"message": str(error), "code": error.code})

    async def start(self) -> None:
        client = self.model.client
        self._subscriptions = [
            self.model.on_status(self._on_status),
            self.model.on_error(self._on_error),
            client.on_message(self.hub.message),
        ]
        self.hub.publish("status", {"status": self.model.status.value})
        self.connect()
        if self.on_ready is not None:
            self.on_ready()

    def connect(self) -> bool:
        """Start connecting unless already connected or connecting; whether it started."""
        if self._connecting is not None and not self._connecting.done():
            return False
        if self.model.status is not Status.DISCONNECTED:
            return False
        self._connecting = asyncio.ensure_future(self._connect())
        return True

    async def _connect(self) -> None:
        try:
            await self.model.connect()
        except ReactorError as exc:
            self.hub.publish("error", {"message": str(exc), "code": exc.code, "connection": True})
            print(f"playground: could not connect: {exc}", file=sys.stderr, flush=True)

    async def stop(self) -> None:
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            with contextlib.suppress(BaseException):
                await self._connecting
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.model.disconnect(), 10.0)
        for sub in self._subscriptions:
            sub()

    # -- commands -----------------------------------------------------------------

    async def call(self, name: str, body: typing.Any) -> tuple[int, dict[str, typing.Any]]:
        """Run command ``name`` with the page's JSON ``body``: (HTTP status, JSON answer)."""
        spec = self.commands.get(name)
        if spec is None:
            return 404, {"ok": False, "error": f"no command {name!r}"}
        if not isinstance(body, dict):
            return 422, {"ok": False, "error": f"{name}: the arguments must be a JSON object"}
        kwargs: dict[str, typing.Any] = {}
        errors = [f"{name}: {key}: unexpected argument" for key in body if key not in spec["args"]]
        if errors:
            return 422, {"ok": False, "error": "; ".join(errors), "errors": errors}
        method = getattr(self.model, spec["method"])
        # a required argument left out is passed as OMIT: the SDK then reports it together
        # with every other invalid argument ("label: is required; steps: must be <= 50")
        for wire, py in spec["args"].items():
            if wire not in body and _required(method, py):
                kwargs[py] = OMIT
        with tempfile.TemporaryDirectory(prefix="reactor-playground-") as tmp:
            for key, value in body.items():
                if key in spec["uploads"] and isinstance(value, dict) and "$file" in value:
                    try:
                        value = _save_upload(value["$file"], Path(tmp))
                    except ValueError as exc:
                        message = f"{name}: {key}: {exc}"
                        return 422, {"ok": False, "error": message, "errors": [message]}
                kwargs[spec["args"][key]] = value
            try:
                reply = await method(**kwargs)
            except CommandValidationError as exc:
                answer = {"ok": False, "error": exc.message, "errors": exc.errors, "code": exc.code}
                status = 422
            except CommandFailedError as exc:
                answer, status = {"ok": False, "error": str(exc), "code": exc.code}, 409
            except InvalidStateError as exc:
                answer, status = {"ok": False, "error": str(exc), "code": exc.code}, 503
            except ReactorError as exc:
                answer, status = {"ok": False, "error": str(exc), "code": exc.code}, 502
            else:
                data = None
                if reply is not None:
                    data = {
                        "type": spec["reply"] or getattr(reply, "TYPE", ""),
                        "data": reply.model_dump(mode="json", by_alias=True),
                    }
                answer, status = {"ok": True, "reply": data}, 200
        self.hub.publish(
            "command",
            {"command": name, "args": _loggable(body), "status": status, **answer},
        )
        return status, answer


def _required(method: typing.Any, argument: str) -> bool:
    """Whether ``method`` has a keyword argument ``argument`` without a default."""
    parameter = inspect.signature(method).parameters.get(argument)
    return parameter is not None and parameter.default is inspect.Parameter.empty


def _loggable(body: dict[str, typing.Any]) -> dict[str, typing.Any]:
    """The arguments for the log: file contents replaced by their name and size."""
    out: dict[str, typing.Any] = {}
    for key, value in body.items():
        if isinstance(value, dict) and isinstance(value.get("$file"), dict):
            f = value["$file"]
            out[key] = {"file": f.get("name"), "bytes": len(str(f.get("base64", ""))) * 3 // 4}
        else:
            out[key] = value
    return out


def _save_upload(spec: typing.Any, directory: Path) -> Path:
    """Write an uploaded ``{"name", "base64"}`` file into ``directory`` under its own name
    (the SDK then uploads the path: name and MIME type come from it)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("base64"), str):
        raise ValueError("a file is {name, type, base64}")
    try:
        data = base64.b64decode(spec["base64"], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the file's base64 is invalid") from None
    name = os.path.basename(str(spec.get("name") or "upload.bin")) or "upload.bin"
    path = directory / name
    path.write_bytes(data)
    return path


def _refuse_cross_site(request: Request) -> Response | None:
    """Commands cost money and change the session: only the page itself may send them. A
    JSON body cannot be sent cross-site without a CORS preflight (which this app never
    grants), and a browser's ``Origin`` must be this server."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return JSONResponse(
            {"ok": False, "error": "send the arguments as application/json"}, status_code=415
        )
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
        return JSONResponse({"ok": False, "error": "cross-origin request refused"}, status_code=403)
    return None


LOOPBACK_HOSTS: typing.Final = ("127.0.0.1", "localhost", "::1", "[::1]")


def allowed_hosts(host: str) -> list[str]:
    """``Host`` headers the app answers when served on ``host``: loopback names (a page of
    another site resolving its name to 127.0.0.1 is refused), or any for a wildcard address."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return [*LOOPBACK_HOSTS, host]


def create_app(playground: Playground, *, hosts: typing.Sequence[str] = ("*",)) -> Starlette:
    """The Starlette app serving ``playground``, answering only ``Host`` names in ``hosts``
    (see :func:`allowed_hosts`)."""
    pg = playground

    async def index(request: Request) -> Response:
        return HTMLResponse(pg.page, headers={"Cache-Control": "no-store"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return Response("not found", status_code=404)
        return Response(
            pg.static[name], media_type=STATIC_FILES[name], headers={"Cache-Control": "no-store"}
        )

    async def video(request: Request) -> Response:
        name: str = request.path_params["track"]
        snapshot = name.endswith(".jpg")
        feed = pg.feeds.get(name[:-4] if snapshot else name)
        if feed is None:
            return Response(f"no output video track {name!r}", status_code=404)
        if snapshot:
            jpeg = await feed.snapshot()
            if jpeg is None:
                return Response("no frame yet", status_code=503)
            return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})
        return StreamingResponse(
            feed.stream(pg.stopping),
            media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def command(request: Request) -> Response:
        refused = _refuse_cross_site(request)
        if refused is not None:
            return refused
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"ok": False, "error": "the body must be JSON"}, status_code=400)
        status, answer = await pg.call(request.path_params["name"], body)
        return JSONResponse(answer, status_code=status)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            queue = pg.hub.subscribe()
            try:
                yield f"event: snapshot\ndata: {dump_json(pg.hub.snapshot())}\n\n"
                idle = 0.0
                while not pg.stopping():
                    try:
                        event = await asyncio.wait_for(queue.get(), 0.5)
                    except asyncio.TimeoutError:
                        idle += 0.5
                        if idle >= KEEPALIVE_SECONDS:
                            idle = 0.0
                            yield ": keepalive\n\n"
                        continue
                    idle = 0.0
                    yield f"event: {event['event']}\nid: {event['id']}\ndata: {dump_json(event)}\n\n"
            finally:
                pg.hub.unsubscribe(queue)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def state(request: Request) -> Response:
        snapshot = pg.hub.snapshot()
        snapshot["viewers"] = {name: feed.viewers for name, feed in pg.feeds.items()}
        return Response(dump_json(snapshot), media_type="application/json")

    async def connect(request: Request) -> Response:
        refused = _refuse_cross_site(request)
        if refused is not None:
            return refused
        started = pg.connect()
        return JSONResponse({"ok": True, "started": started, "status": pg.model.status.value})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pg.start()
        try:
            yield
        finally:
            await pg.stop()

    return Starlette(
        routes=[
            Route("/", index),
            Route("/static/{name}", static),
            Route("/video/{track}", video),
            Route("/commands/{name}", command, methods=["POST"]),
            Route("/events", events),
            Route("/state", state),
            Route("/connect", connect, methods=["POST"]),
        ],
        lifespan=lifespan,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
    )


def serve(
    model: typing.Any,
    surface: typing.Mapping[str, typing.Any],
    *,
    package: str,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = True,
    max_fps: float = 30.0,
) -> int:
    """Serve the page of ``model`` on ``host:port`` (0: a free port) until Ctrl-C or SIGTERM;
    the exit status. Prints the page's URL once listening, then connects the model."""
    try:
        sock = socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        )
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    shown_host = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown_host and not shown_host.startswith("["):
        shown_host = f"[{shown_host}]"
    url = f"http://{shown_host}:{sock.getsockname()[1]}/"
    server: uvicorn.Server | None = None

    def ready() -> None:
        label = surface.get("model", package)
        print(f"{label} playground: {url}  (Ctrl-C to stop)", flush=True)
        if open_browser:
            webbrowser.open(url)

    playground = Playground(
        model,
        surface,
        package=package,
        max_fps=max_fps,
        stopping=lambda: server is not None and server.should_exit,
        on_ready=ready,
    )
    config = uvicorn.Config(
        create_app(playground, hosts=allowed_hosts(host)),
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve(sockets=[sock]))
    print("playground: stopped (model disconnected)", flush=True)
    return 0
