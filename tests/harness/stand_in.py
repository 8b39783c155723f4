"""Run ``python -m reactor_models.<pkg> mock`` (the stand-in model) as a user does, for tests.

The command runs in the dev venv (Python 3.10/3.11, no reactor-runtime) and, told where a
Python with reactor-runtime is (``REACTOR_RUNTIME_PYTHON``, as for :mod:`harness.server`),
serves the stand-in from it. ``--port 0`` picks a free port; the URL is read from the first
line it prints::

    with StandIn("longlive_v2", "--size", "160x120") as stand_in:
        stand_in.url          # "http://127.0.0.1:<port>"
        stand_in.output       # every line printed so far (the commands it received, ...)
    # __exit__ -> interrupt(): SIGINT (Ctrl-C), which must exit 0
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from harness.server import REPO_ROOT, runtime_python


class StandIn:
    """``python -m reactor_models.<package> mock --port 0 ARGS`` in a subprocess."""

    def __init__(
        self,
        package: str,
        *args: str,
        command: Sequence[str] | None = None,
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        """``package``: ``reactor_models.<package>``, unless ``command`` gives the whole
        command line (``--port 0`` and ``args`` are appended to either)."""
        self.package = package
        generated = [str(p) for p in sorted((REPO_ROOT / "generated").iterdir()) if p.is_dir()]
        full_env = {
            **os.environ,
            "REACTOR_RUNTIME_PYTHON": str(runtime_python()),
            "PYTHONPATH": os.pathsep.join([*generated, os.environ.get("PYTHONPATH", "")]),
            **(env or {}),
        }
        argv = (
            list(command)
            if command
            else [sys.executable, "-m", f"reactor_models.{package}", "mock"]
        )
        self.proc = subprocess.Popen(
            [*argv, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=full_env,
            cwd=cwd or REPO_ROOT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url(startup_timeout)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def _wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                self.proc.kill()
                raise AssertionError("mock printed no URL:\n" + self.text()) from None
            if " stand-in: http://" in line:
                return line.split(" stand-in: ", 1)[1].split()[0]

    def text(self) -> str:
        return "".join(self.output)

    def wait_for_line(self, fragment: str, timeout: float = 10.0) -> str:
        """The first line printed (so far or within ``timeout``) containing ``fragment``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.output):
                if fragment in line:
                    return line
            time.sleep(0.05)
        raise AssertionError(f"mock printed no line with {fragment!r}:\n{self.text()}")

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("mock did not stop on SIGINT:\n" + self.text()) from None

    def __enter__(self) -> StandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.interrupt()


def stand_in_python() -> Path:
    """The Python the stand-in runs under in the tests (the server venv's)."""
    return runtime_python()
