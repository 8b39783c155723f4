"""The stand-in model's server process: reactor-runtime serving a model built from a surface.

Runs under a Python that has ``reactor-runtime`` (>= 3.12), either in the process of
``python -m reactor_models.<m> mock`` or, run by path through ``_standalone.py``, under
another interpreter (``--python``, ``REACTOR_RUNTIME_PYTHON``); it imports only the standard
library, numpy and reactor-runtime, never ``reactor_client``'s own dependencies::

    python .../reactor_client/apps/mock/_standalone.py --surface surface.json [--examples FILE]
        [--host H] [--port N] [--fps F] [--size WxH] [--print-schema] [--verbose] [--quiet]

It checks everything it is given first (one ``error:`` line and exit 2 on a problem), then
serves: the first line printed, once ``/health`` answers, is
``<model> stand-in: http://<host>:<port>``; every command received is printed as one line
(``set_shot(prompt='A city')``) unless ``--quiet``. Ctrl-C (SIGINT) or SIGTERM stops it
(exit 0). ``--print-schema`` prints the OpenAPI document the stand-in would serve instead.

Configured like ``python -m reactor_runtime.serve`` through the environment
(``STUN_SERVERS``, ``TURN_SERVERS``, ``WEBRTC_PORT_RANGE``, ``ORPHAN_TIMEOUT_SECONDS``, ...,
``REACTOR_LOG_LEVEL``), except that without ``STUN_SERVERS``/``TURN_SERVERS`` it offers no
ICE server (host candidates: loopback and LAN, offline) instead of Google's STUN.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import socket
import sys
import threading
import time
import types
import urllib.request
from collections.abc import Sequence
from typing import Any

from .surface import Behaviour, SurfaceError, load_examples, load_surface

__all__ = [
    "MIN_PYTHON",
    "RUNTIME_REQUIREMENT",
    "add_serving_arguments",
    "main",
    "parse_fps",
    "parse_size",
    "serving_argv",
]

MIN_PYTHON = (3, 12)
"""reactor-runtime 3.x needs Python >= 3.12."""
RUNTIME_REQUIREMENT = "reactor-runtime>=3.10,<3.11"
"""The runtime the stand-in is built for (it uses the runtime's model-declaration API)."""


class UsageError(Exception):
    """One ``error:`` line, exit 2."""


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if not (16 <= width <= 3840 and 16 <= height <= 2160) or width % 2 or height % 2:
        raise argparse.ArgumentTypeError(f"{text}: even sizes from 16x16 to 3840x2160")
    return width, height


def parse_fps(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 1 <= value <= 60:
        raise argparse.ArgumentTypeError(f"{text}: from 1 to 60")
    return value


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reactor-stand-in", description="Serve a stand-in model on reactor-runtime."
    )
    parser.add_argument(
        "--surface",
        required=True,
        help="the model's _surface.json (or an older package's _mock/surface.json)",
    )
    add_serving_arguments(parser)
    parser.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    return parser


def add_serving_arguments(parser: argparse.ArgumentParser) -> None:
    """The options the launchers share with this process (they pass them through)."""
    parser.add_argument(
        "--examples",
        metavar="FILE",
        default=None,
        help="JSON file of example values and behaviour: messages, commands, on_connect, "
        "periodic (see the README's 'Testing your app')",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to serve on (default 8080; 0 picks a free one)"
    )
    parser.add_argument(
        "--fps",
        type=parse_fps,
        default=20.0,
        help="frames per second of the test pattern (default 20)",
    )
    parser.add_argument(
        "--size",
        type=parse_size,
        default=(640, 360),
        metavar="WxH",
        help="size of the output video tracks (default 640x360)",
    )
    parser.add_argument(
        "--print-schema",
        action="store_true",
        help="print the OpenAPI document the stand-in serves at /schema, and exit",
    )
    parser.add_argument("--verbose", action="store_true", help="reactor-runtime's log at INFO")
    parser.add_argument("--quiet", action="store_true", help="do not print each command received")


def serving_argv(args: argparse.Namespace) -> list[str]:
    """``args`` (from :func:`add_serving_arguments`) as this process's command line."""
    argv = ["--host", args.host, "--port", str(args.port), "--fps", repr(args.fps)]
    argv += ["--size", f"{args.size[0]}x{args.size[1]}"]
    if args.examples is not None:
        argv += ["--examples", os.path.abspath(args.examples)]
    for flag in ("print_schema", "verbose", "quiet"):
        if getattr(args, flag):
            argv.append("--" + flag.replace("_", "-"))
    return argv


def _check_runtime() -> str:
    """reactor-runtime's version, or :class:`UsageError` saying how to get it."""
    version = ".".join(str(part) for part in sys.version_info[:3])
    if sys.version_info < MIN_PYTHON:
        raise UsageError(
            f"the stand-in model runs on reactor-runtime, which needs Python >= 3.12; "
            f"{sys.executable} is Python {version}"
        )
    try:
        import reactor_runtime
        from reactor_runtime.interface.events.decorators import EventHandler, make_command  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"the stand-in model needs reactor-runtime in {sys.executable} (Python {version}): "
            f"pip install '{RUNTIME_REQUIREMENT}' ({exc})"
        ) from None
    return str(getattr(reactor_runtime, "__version__", "unknown"))


def _port(host: str, port: int) -> int:
    """``port`` if it can be bound on ``host`` (a free one for 0), else :class:`UsageError`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if port == 0:
                raise UsageError(f"cannot bind {host}: {exc.strerror or exc}") from None
            raise UsageError(
                f"port {port} on {host} is in use (or not available): pass --port N "
                "(--port 0 picks a free one)"
            ) from None
        return int(sock.getsockname()[1])


def _announce(name: str, host: str, port: int, version: str) -> None:
    """Print the first line once ``/health`` says the model is loaded."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{shown}:{port}" if ":" not in shown else f"http://[{shown}]:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                health = json.loads(response.read().decode("utf-8"))
            if health.get("state") == "available" or health.get("status") == "healthy":
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    else:
        return
    print(f"{name} stand-in: {url}", flush=True)
    print(
        f"  reactor-runtime {version}; connect with url={url!r} (or local=True on port 8080); "
        "Ctrl-C stops it",
        flush=True,
    )


def _watch_parent(pid: int) -> None:
    """Stop (SIGTERM to ourselves) when the launcher that started us is gone."""
    while True:
        time.sleep(0.5)
        if os.getppid() != pid:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def _print(line: str) -> None:
    print(line, flush=True)


def _serve(app: type[Any], name: str, args: argparse.Namespace, port: int, version: str) -> int:
    from reactor_runtime import log as runtime_log
    from reactor_runtime import serve as runtime_serve
    from reactor_runtime.core import RuntimeConfig
    from reactor_runtime.transport.webrtc.peer import libwebrtc_peer_factory

    from .model import MODULE

    module = types.ModuleType(MODULE)
    module.StandInModel = app  # type: ignore[attr-defined]
    sys.modules[MODULE] = module
    os.environ.setdefault("SIGTERM_GRACE_PERIOD", "1")
    os.environ.setdefault("EXIT_TIMEOUT_SECONDS", "5")
    level = os.environ.get("REACTOR_LOG_LEVEL", "INFO" if args.verbose else "WARNING")
    os.environ["REACTOR_LOG_LEVEL"] = level
    runtime_log.configure(level=runtime_serve._log_level_from_env())
    config = runtime_serve._apply_env(
        RuntimeConfig(model_ref=f"{MODULE}:StandInModel", model_name=name)
    )
    config = dataclasses.replace(config, host=args.host, port=port)
    webrtc = runtime_serve._webrtc_config_from_env()
    if not (runtime_serve._csv("STUN_SERVERS") or runtime_serve._csv("TURN_SERVERS")):
        webrtc = dataclasses.replace(webrtc, ice_servers=())
    threading.Thread(target=_announce, args=(name, args.host, port, version), daemon=True).start()
    code = asyncio.run(runtime_serve.serve(config, webrtc, peer_factory=libwebrtc_peer_factory))
    return int(code or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the stand-in (see the module docstring); the exit status."""
    args = make_parser().parse_args(argv)
    try:
        version = _check_runtime()
        surface = load_surface(args.surface)
        behaviour = Behaviour(surface, load_examples(args.examples, surface))
        from .model import build_model, surface_notes

        log = (lambda line: None) if args.quiet else _print
        app = build_model(
            surface, behaviour, width=args.size[0], height=args.size[1], fps=args.fps, log=log
        )
        if args.print_schema:
            from reactor_runtime.interface.model.contract import ModelContract

            document = ModelContract.of(app).render_schema(name=surface.name).to_openapi()
            print(json.dumps(document, indent=2, ensure_ascii=False))
            return 0
        port = _port(args.host, args.port)
    except (UsageError, SurfaceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for note in surface_notes(surface):
        print(f"note: /schema differs from the model's: {note}", file=sys.stderr)
    if args.parent_pid is not None:
        threading.Thread(target=_watch_parent, args=(args.parent_pid,), daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        return _serve(app, surface.name, args, port, version)
    return 0
