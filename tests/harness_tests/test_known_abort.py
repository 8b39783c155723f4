"""The harness's handling of reactor-runtime 3.10.0's known libwebrtc abort (docs/known-issues.md):
recognised only by its exact signature in the log of the last start, retried once with a warning,
and every other failure raised as it is."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from harness.server import (
    FEATURE_MODEL_DIR,
    KNOWN_METADATA_ABORT,
    KnownRuntimeAbort,
    RuntimeServer,
    retry_after_known_abort,
)


def exited_server(tmp_path: Path, log: str, returncode: int = -6) -> RuntimeServer:
    """A server object whose process has already exited with ``returncode``, logging ``log``."""
    server = RuntimeServer(FEATURE_MODEL_DIR, log_dir=tmp_path, port=1)
    server.log_path.write_text(log, encoding="utf-8")
    server.process = subprocess.Popen([sys.executable, "-c", f"import os; os._exit({returncode % 256})"])
    server.process.wait()
    return server


def test_the_signature_after_the_last_start_is_recognised(tmp_path: Path) -> None:
    abort = f"==== harness: start #1 of x ====\n# Fatal error\n# {KNOWN_METADATA_ABORT}\n"
    assert exited_server(tmp_path / "a", abort).died_of_known_abort()
    # other crashes, and an abort from an earlier start, are not this one
    assert not exited_server(tmp_path / "b", "==== harness: start #1 of x ====\nSegmentation fault\n").died_of_known_abort()
    restarted = abort + "==== harness: start #2 of x ====\nrunning\n"
    assert not exited_server(tmp_path / "c", restarted).died_of_known_abort()


def test_a_known_abort_warns_and_retries_once_on_a_fresh_server(tmp_path: Path) -> None:
    abort = f"==== harness: start #1 of x ====\n# {KNOWN_METADATA_ABORT}\n"
    servers = [exited_server(tmp_path / "1", abort), exited_server(tmp_path / "2", "")]
    tried: list[RuntimeServer] = []

    def attempt(server: RuntimeServer) -> str:
        tried.append(server)
        if server is servers[0]:
            raise ConnectionError("transport lost")
        return "ok"

    with pytest.warns(KnownRuntimeAbort, match="known libwebrtc abort"):
        assert retry_after_known_abort(lambda: servers[len(tried)], attempt) == "ok"
    assert tried == servers
    with warnings.catch_warnings():  # reported once: the fixture's teardown does not warn again
        warnings.simplefilter("error")
        servers[0].report_known_abort()


def test_any_other_failure_is_raised_without_a_retry(tmp_path: Path) -> None:
    server = exited_server(tmp_path, "==== harness: start #1 of x ====\nTraceback: boom\n", returncode=1)
    starts: list[int] = []

    def start() -> RuntimeServer:
        starts.append(1)
        return server

    def attempt(_: RuntimeServer) -> None:
        raise AssertionError("a real failure")

    with pytest.raises(AssertionError, match="a real failure"):
        retry_after_known_abort(start, attempt)
    assert starts == [1]
