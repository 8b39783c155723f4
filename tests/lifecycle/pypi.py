"""A real package index for the lifecycle tests: pypiserver on a loopback port.

``PyPIServer(packages_dir)`` runs ``pypi-server run -p <port> -i 127.0.0.1 -a . -P .
--disable-fallback <dir>`` (open uploads, no redirect to pypi.org for unknown projects)
as a subprocess of the dev venv; ``url`` is the upload URL, ``simple_url`` the index.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pypi_server_command() -> list[str]:
    script = Path(sys.executable).with_name("pypi-server")
    if script.exists():
        return [str(script)]
    found = shutil.which("pypi-server")
    if found is None:
        raise RuntimeError("pypi-server is not installed in the dev venv (pip install pypiserver)")
    return [found]


class PyPIServer:
    """One pypiserver process serving ``packages_dir``."""

    def __init__(self, packages_dir: Path, log_path: Path | None = None) -> None:
        self.packages_dir = packages_dir
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log_path = log_path or packages_dir.parent / f"pypiserver-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def start(self, timeout: float = 30.0) -> PyPIServer:
        command = _pypi_server_command() + [
            "run",
            "-p",
            str(self.port),
            "-i",
            "127.0.0.1",
            "-a",
            ".",
            "-P",
            ".",
            "--disable-fallback",
            str(self.packages_dir),
        ]
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ)
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"pypiserver exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(self.simple_url, timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"pypiserver did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    def __enter__(self) -> PyPIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
