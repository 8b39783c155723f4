"""Run a REAL reactor-runtime 3.10.0 server on a free loopback port, for end-to-end tests.

The runtime needs Python >= 3.12, so it runs as a subprocess of the server venv
(``<repo>/.venv-server/bin/python``, override with env ``REACTOR_RUNTIME_PYTHON``), built
by ``scripts/bootstrap``. A missing server venv is an error, never a skip.

Usage (the pytest fixtures in ``tests/conftest.py`` wrap this)::

    from tests.harness.server import RuntimeServer, LONGLIVE_SIM_DIR

    with RuntimeServer(LONGLIVE_SIM_DIR, env={"SIM_TOTAL_CHUNKS": "8"}) as server:
        server.url            # "http://127.0.0.1:<port>"
        server.port
        server.health()       # {"status": "healthy", "state": "available", "detail": None}
        server.log_path       # captured stdout+stderr of the runtime
        server.log_text()     # its contents
        server.kill()         # SIGKILL (for "server died mid-stream" tests)
        server.restart()      # start again on the same port, waits for /health
    # __exit__ -> server.stop() (SIGTERM, then SIGKILL after a grace period)

What the harness configures on the runtime (all through env, see ``serve.py`` of the runtime):

* ``HOST=127.0.0.1``, ``PORT=<free port>``.
* ICE servers: none (``tests/harness/_serve.py`` drops the runtime's Google-STUN fallback,
  which cannot resolve offline). Pass ``STUN_SERVERS`` in ``env`` to set some.
* ``ping_timeout`` -> ``WEBRTC_CLIENT_PING_TIMEOUT_SECONDS`` (runtime default 20 s; 0 disables).
* ``orphan_timeout`` -> ``ORPHAN_TIMEOUT_SECONDS`` (runtime default 30 s).
* ``SIGTERM_GRACE_PERIOD=1`` / ``EXIT_TIMEOUT_SECONDS=5`` so shutdown is quick.
* anything in ``env`` (e.g. the simulator's ``SIM_*`` knobs), applied last.

The runtime hosts one session per process; its routes take the fixed id
:data:`LOCAL_SESSION_ID`. The session's own id (in the log, ``session_id=...``, recordings and a
client's ``session_id``) is another: the ``session_id`` of the ``/start_session`` body, or one
the runtime mints.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import warnings
import weakref
from pathlib import Path
from typing import Any, Awaitable, Callable, TypeVar

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_ROOT / "tests" / "models"
LONGLIVE_SIM_DIR = MODELS_DIR / "longlive_v2_sim"
FEATURE_MODEL_DIR = MODELS_DIR / "feature_model"
LAUNCHER = Path(__file__).resolve().parent / "_serve.py"

#: The session id a local runtime 3.x routes its single session under.
LOCAL_SESSION_ID = "00000000-0000-0000-0000-000000000000"

#: Servers started and not yet stopped (the conftest prints their logs on test failure).
ACTIVE_SERVERS: weakref.WeakSet[RuntimeServer] = weakref.WeakSet()
#: Every server ever started in this process (stopped ones included).
ALL_SERVERS: weakref.WeakSet[RuntimeServer] = weakref.WeakSet()


#: What reactor-runtime 3.10.0 prints when its libwebrtc aborts because a
#: ``RTPSenderVideoFrameTransformerDelegate`` was released on its own task queue. It exists only
#: while per-frame metadata is negotiated (docs/known-issues.md), so only tests that opt in to
#: ``frame_metadata=True`` can meet it.
KNOWN_METADATA_ABORT = "Check failed: 0 == pthread_join(*handle_, nullptr) (0 vs. 35)"


class KnownRuntimeAbort(UserWarning):
    """The runtime died of the known libwebrtc abort (see :data:`KNOWN_METADATA_ABORT`)."""


T = TypeVar("T")


def retry_after_known_abort(start: Callable[[], RuntimeServer], attempt: Callable[[RuntimeServer], T]) -> T:
    """``attempt(start())``; when the server died of :data:`KNOWN_METADATA_ABORT`, warn and run
    ``attempt`` once more on a fresh ``start()``. Any other failure is raised as it is."""
    server = start()
    try:
        return attempt(server)
    except Exception:
        if not server.died_of_known_abort():
            raise
    server.report_known_abort("running the test once more on a fresh server")
    return attempt(start())


async def aretry_after_known_abort(
    start: Callable[[], RuntimeServer], attempt: Callable[[RuntimeServer], Awaitable[T]]
) -> T:
    """:func:`retry_after_known_abort` for a coroutine ``attempt``."""
    server = start()
    try:
        return await attempt(server)
    except Exception:
        if not server.died_of_known_abort():
            raise
    server.report_known_abort("running the test once more on a fresh server")
    return await attempt(start())


class RuntimeServerError(RuntimeError):
    """The runtime server could not be started (the message carries the log tail)."""


def runtime_python() -> Path:
    """The interpreter of the server venv; raises a helpful error when it is missing."""
    configured = os.environ.get("REACTOR_RUNTIME_PYTHON", "").strip()
    python = Path(configured) if configured else REPO_ROOT / ".venv-server" / "bin" / "python"
    if not python.exists():
        raise RuntimeServerError(
            f"reactor-runtime server interpreter not found at {python}. "
            "Run scripts/bootstrap to build .venv-server (Python 3.12 + reactor-runtime==3.10.0), "
            "or point REACTOR_RUNTIME_PYTHON at a Python that has reactor-runtime 3.10.0."
        )
    return python


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on *host* a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class RuntimeServer:
    """One reactor-runtime process serving *model_dir* on ``127.0.0.1:<port>``.

    Args:
        model_dir: Directory holding the model's ``reactor.yaml``.
        env: Extra environment for the server (applied last, overrides everything).
        port: Port to bind; a free one is picked when omitted.
        ping_timeout: ``WEBRTC_CLIENT_PING_TIMEOUT_SECONDS``; ``None`` keeps the runtime default.
        orphan_timeout: ``ORPHAN_TIMEOUT_SECONDS``; ``None`` keeps the runtime default.
        log_dir: Where to write the log file (a temp dir when omitted).
        startup_timeout: Seconds to wait for ``/health`` to report ``available``.
        log_level: ``REACTOR_LOG_LEVEL``.
    """

    def __init__(
        self,
        model_dir: str | os.PathLike[str],
        *,
        env: dict[str, str] | None = None,
        port: int | None = None,
        ping_timeout: float | None = None,
        orphan_timeout: float | None = None,
        log_dir: str | os.PathLike[str] | None = None,
        startup_timeout: float = 60.0,
        log_level: str = "INFO",
    ) -> None:
        self.model_dir = Path(model_dir).resolve()
        if not (self.model_dir / "reactor.yaml").is_file():
            raise RuntimeServerError(f"no reactor.yaml in {self.model_dir}")
        self.host = "127.0.0.1"
        self.port = port or free_port(self.host)
        self.extra_env = {k: str(v) for k, v in (env or {}).items()}
        self.ping_timeout = ping_timeout
        self.orphan_timeout = orphan_timeout
        self.startup_timeout = startup_timeout
        self.log_level = log_level
        log_root = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="reactor-runtime-"))
        log_root.mkdir(parents=True, exist_ok=True)
        self.log_path = log_root / f"runtime-{self.model_dir.name}-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: Any = None
        self._lock = threading.Lock()
        self.starts = 0
        #: ``time.time()`` of the last stop/kill, or ``None``.
        self.stopped_at: float | None = None
        self._abort_reported = False

    # -- info --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def name(self) -> str:
        return self.model_dir.name

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def health(self, timeout: float = 2.0) -> dict[str, Any]:
        response = httpx.get(f"{self.url}/health", timeout=timeout)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        # Do not leak the dev venv into the server interpreter.
        for key in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
            env.pop(key, None)
        env.update(
            HOST=self.host,
            PORT=str(self.port),
            PYTHONUNBUFFERED="1",
            # a native abort (SIGABRT/SIGSEGV) also dumps every Python thread's stack into the log
            PYTHONFAULTHANDLER="1",
            REACTOR_LOG_LEVEL=self.log_level,
            SIGTERM_GRACE_PERIOD="1",
            EXIT_TIMEOUT_SECONDS="5",
        )
        if self.ping_timeout is not None:
            env["WEBRTC_CLIENT_PING_TIMEOUT_SECONDS"] = str(self.ping_timeout)
        if self.orphan_timeout is not None:
            env["ORPHAN_TIMEOUT_SECONDS"] = str(self.orphan_timeout)
        env.update(self.extra_env)
        return env

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> RuntimeServer:
        """Start the process and wait until ``/health`` says ``available``."""
        with self._lock:
            if self.running:
                return self
            python = runtime_python()
            self._log_file = open(self.log_path, "ab", buffering=0)  # noqa: SIM115
            self.starts += 1
            self._log_file.write(
                f"==== harness: start #{self.starts} of {self.model_dir} on port {self.port} ====\n".encode()
            )
            self.process = subprocess.Popen(
                [str(python), str(LAUNCHER)],
                cwd=self.model_dir,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            ACTIVE_SERVERS.add(self)
            ALL_SERVERS.add(self)
        try:
            self.wait_healthy(self.startup_timeout)
        except BaseException:
            self._terminate(signal.SIGKILL, 5.0)
            raise
        return self

    def wait_healthy(self, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise RuntimeServerError(
                    f"reactor-runtime for {self.name} exited with code {code} during start-up; "
                    f"log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                health = self.health(timeout=1.0)
                if health.get("state") == "available" or health.get("status") == "healthy":
                    return health
                last = health
            except (httpx.HTTPError, ValueError) as exc:
                last = exc
            time.sleep(0.05)
        raise RuntimeServerError(
            f"reactor-runtime for {self.name} not healthy after {timeout:.0f}s (last: {last!r}); "
            f"log {self.log_path}:\n{self.log_tail()}"
        )

    def died_of_known_abort(self) -> bool:
        """Whether the current (or last) process died of :data:`KNOWN_METADATA_ABORT`."""
        if self.process is None:
            return False
        try:  # a client can see the connection drop a moment before the process is reaped
            self.process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            return False
        last_start = self.log_text().rsplit("==== harness: start #", 1)[-1]
        return KNOWN_METADATA_ABORT in last_start

    def report_known_abort(self, then: str = "") -> None:
        """Warn (:class:`KnownRuntimeAbort`, once per server) that it died of the known abort."""
        if self._abort_reported:
            return
        self._abort_reported = True
        warnings.warn(
            KnownRuntimeAbort(
                f"reactor-runtime for {self.name} died of the known libwebrtc abort with frame "
                f"metadata on (docs/known-issues.md){'; ' + then if then else ''}. Log: {self.log_path}"
            ),
            stacklevel=3,
        )

    def stop(self, timeout: float = 10.0) -> int | None:
        """Graceful stop: SIGTERM, then SIGKILL after *timeout*. Returns the exit code."""
        return self._terminate(signal.SIGTERM, timeout)

    def kill(self) -> int | None:
        """SIGKILL the server (and its process group) at once, as a crash would."""
        return self._terminate(signal.SIGKILL, 5.0)

    def restart(self, *, env: dict[str, str] | None = None) -> RuntimeServer:
        """Stop (if running) and start again on the same port; *env* updates the extra env."""
        self.stop()
        if env:
            self.extra_env.update({k: str(v) for k, v in env.items()})
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline and not _port_free(self.host, self.port):
            time.sleep(0.05)
        return self.start()

    def _terminate(self, sig: signal.Signals, timeout: float) -> int | None:
        with self._lock:
            process = self.process
            if process is None:
                return None
            if process.poll() is None:
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    pass
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(process.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    process.wait(timeout=5.0)
            else:
                # The leader is gone; make sure no child of its group lingers.
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            if self._log_file is not None:
                try:
                    self._log_file.write(
                        f"==== harness: process exited with {process.returncode} ====\n".encode()
                    )
                    self._log_file.close()
                except OSError:
                    pass
                self._log_file = None
            ACTIVE_SERVERS.discard(self)
            self.stopped_at = time.time()
            return process.returncode

    def __enter__(self) -> RuntimeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<RuntimeServer {self.name} {self.url} {state} log={self.log_path}>"


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True
