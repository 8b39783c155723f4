"""Which Python runs the stand-in's server, and how (standard library only).

reactor-runtime needs Python >= 3.12 while reactor-client supports 3.10, so the server
(:mod:`.runner`) runs, in this order of preference:

1. under ``--python PATH`` when given, else under ``$REACTOR_RUNTIME_PYTHON`` when set: a
   child process running ``_standalone.py`` by path (that interpreter needs reactor-runtime,
   not reactor-client); Ctrl-C and SIGTERM are passed on to it and it stops when this
   process goes away;
2. in this process, when this Python is >= 3.12 and has reactor-runtime (the ``[mock]``
   extra installs it there);
3. nowhere: one ``error:`` line saying what to install or pass, exit 2.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

__all__ = ["ENV_PYTHON", "STANDALONE", "run_stand_in"]

ENV_PYTHON = "REACTOR_RUNTIME_PYTHON"
"""The environment variable naming a Python that has reactor-runtime (as the test harness's)."""
STANDALONE = Path(__file__).resolve().parent / "_standalone.py"
"""The server's entry point when it runs by path under another interpreter."""
MIN_PYTHON = (3, 12)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _runtime_here() -> bool:
    return (
        sys.version_info >= MIN_PYTHON and importlib.util.find_spec("reactor_runtime") is not None
    )


def run_stand_in(
    surface: Path,
    argv: Sequence[str],
    *,
    python: str | None,
    install: str,
) -> int:
    """Serve the stand-in of ``surface`` (a package's ``_surface.json``) with the server options
    ``argv`` (:func:`.runner.serving_argv`); the exit status. ``install`` is what to
    ``pip install`` for the ``[mock]`` extra (named in the errors)."""
    server_argv = ["--surface", str(surface), *argv]
    configured, source = (
        (python, "--python") if python else (os.environ.get(ENV_PYTHON), ENV_PYTHON)
    )
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file() or not os.access(path, os.X_OK):
            return _fail(f"{source} {configured}: no such Python interpreter")
        return _child(path, server_argv)
    if _runtime_here():
        from . import runner

        return runner.main(server_argv)
    version = ".".join(str(part) for part in sys.version_info[:3])
    if sys.version_info < MIN_PYTHON:
        return _fail(
            f"the stand-in model runs on reactor-runtime, which needs Python >= 3.12 (this is "
            f"Python {version}): run this command under a Python >= 3.12 with "
            f"pip install '{install}', or pass --python PATH (or set {ENV_PYTHON}) naming "
            "a Python that has reactor-runtime"
        )
    return _fail(f"the stand-in model needs reactor-runtime: pip install '{install}'")


def _child(python: Path, server_argv: list[str]) -> int:
    env = dict(os.environ)
    for key in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(key, None)
    env["PYTHONUNBUFFERED"] = "1"
    argv = [str(python), str(STANDALONE), *server_argv, "--parent-pid", str(os.getpid())]
    sys.stdout.flush()
    try:
        # its own session: a terminal's Ctrl-C reaches it once, through us
        child = subprocess.Popen(argv, env=env, start_new_session=os.name == "posix")
    except OSError as exc:
        return _fail(f"cannot run {python}: {exc.strerror or exc}")

    def forward(signum: int, frame: FrameType | None) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = child.wait()
        return code if code >= 0 else 128 - code  # killed by a signal: as a shell says it
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
