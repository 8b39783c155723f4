"""The conformance examples in ``examples/`` (the vendor's seven, plus the blocking API) run as a user runs them
(``python examples/NN_name.py --local URL``) against the feature model on the REAL runtime."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from harness.server import FEATURE_MODEL_DIR, retry_after_known_abort

pytestmark = pytest.mark.runtime
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# example -> lines its output must contain (what the example demonstrates)
EXPECTED = {
    "01_connect_and_receive.py": ["connected to feature-model", "frame 30: 64x48", "audio: 960 samples at 48000 Hz"],
    "02_upload.py": ["model received upload-example.bin (16384 bytes", "sha256 matches"],
    "03_pause_resume.py": ["paused:", "resumed:"],
    "04_publish_frames.py": ["of 64x48", "mean colour of the latest"],
    "05_multi_connection.py": ["viewer saw colour [255, 0, 0]", "first client still streaming: 64x48"],
    "06_record.py": ["example.mp4: ", "example.webm:", "example-clip.mp4: server clip"],
    "07_frame_metadata.py": ["frame metadata negotiated: True", "user_data={'frame':"],
    "08_blocking_script.py": [
        "status ready",
        "color_changed [255, 0, 0] (on FeatureModel-loop)",
        "frame 10: 64x48",
        "centre pixel [25",
        "blocking.mp4: {'main_video': ",
        "echo done",
    ],
    "09_cloud_session.py": [
        "configured: revision",
        "upload: sha256 matches",
        "streaming",
        "frames streamed: True",
    ],
}


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("[0-9][0-9]_*.py")) == sorted(EXPECTED)


def run_example(name: str, server: Any, out: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--local", server.url, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str, request: pytest.FixtureRequest, tmp_path: Path, transport_name: str) -> None:
    if name == "07_frame_metadata.py":
        # Opt-in, on a server of its own: with metadata on, runtime 3.10.0 can abort (docs/known-issues.md).
        factory = request.getfixturevalue("runtime_server_factory")
        result = retry_after_known_abort(
            lambda: factory(FEATURE_MODEL_DIR), lambda server: run_example(name, server, tmp_path)
        )
    else:
        result = run_example(name, request.getfixturevalue("feature_server"), tmp_path)
    output = result.stdout + result.stderr
    for line in EXPECTED[name]:
        assert line in result.stdout, f"{line!r} not in the output of {name}:\n{output}"
    if name == "01_connect_and_receive.py":  # the examples run on the transport of this run
        assert f"transport: {transport_name}" in result.stdout, output
    if name == "03_pause_resume.py":
        paused = int(result.stdout.split("paused: ")[1].split()[0])
        resumed = int(result.stdout.split("resumed: ")[1].split()[0])
        assert paused <= 2 and resumed >= 10, result.stdout
    if name == "06_record.py":
        assert {p.name for p in tmp_path.iterdir()} >= {"example.mp4", "example.webm", "example-clip.mp4"}


def test_examples_need_a_target() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "01_connect_and_receive.py")], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2 and "pass --local [URL]" in result.stderr


def test_an_unreachable_runtime_is_one_line_not_a_traceback() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "08_blocking_script.py"), "--local", f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: no reactor-runtime answered at http://127.0.0.1:{port}")


def _closed_port() -> int:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize(
    "form", [["--local", "{url}"], ["--local", "--url", "{url}"], ["--url", "{url}", "--local"]],
    ids=["local-URL", "local-then-url", "url-then-local"],
)
def test_local_url_and_url_name_the_same_runtime(form: list[str]) -> None:
    """The one convention of the examples, ``play`` and the scaffold's ``main.py``:
    ``--local [URL]``, and ``--url URL`` with ``--local`` as well."""
    url = f"http://127.0.0.1:{_closed_port()}"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "08_blocking_script.py"), *(a.format(url=url) for a in form)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"error: no reactor-runtime answered at {url}"), result.stderr


def test_local_url_and_url_that_disagree_are_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "01_connect_and_receive.py"), "--local", "http://127.0.0.1:1",
         "--url", "http://127.0.0.1:2"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "--local http://127.0.0.1:1 and --url http://127.0.0.1:2 disagree: give the URL once" in result.stderr


def test_example_runs_with_local_and_url(feature_server: Any, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "01_connect_and_receive.py"), "--local", "--url", feature_server.url,
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in EXPECTED["01_connect_and_receive.py"]:
        assert line in result.stdout


def test_cloud_session_example_outlives_its_tokens(
    feature_server: Any, cloud_coordinator_factory: Any, tmp_path: Path
) -> None:
    """09 through the coordinator stand-in, whose tokens live 1 s: every request gets a
    fresh one from the example's resolver, none is refused."""
    coordinator = cloud_coordinator_factory(feature_server, token_ttl=1.0)
    result = subprocess.run(
        [
            sys.executable,
            str(EXAMPLES / "09_cloud_session.py"),
            "--url",
            coordinator.url,
            "--api-key",
            coordinator.api_key,
            "--seconds",
            "2",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in ("upload: sha256 matches", "frames streamed: True", "tokens resolved: "):
        assert line in result.stdout, result.stdout + result.stderr
    assert int(result.stdout.split("tokens resolved: ")[1].split()[0]) >= 6
    assert coordinator.expired == 0
    assert all(r.status != 401 for r in coordinator.requests())


def test_cloud_session_example_reports_a_moderation_verdict(feature_server: Any) -> None:
    """09 on the local runtime while the runtime stops the session as moderated
    (``POST /stop_session {"moderate": true}``): the example prints the typed notice and
    the ``ModerationError`` that ended its stream, and exits 0."""
    import httpx

    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "09_cloud_session.py"), "--local", feature_server.url,
         "--seconds", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("streaming"):
                break
        httpx.post(f"{feature_server.url}/stop_session", json={"moderate": True}, timeout=10)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    output = "".join(lines) + out
    assert proc.returncode == 0, output + err
    assert "moderation: terminate [] 'Session terminated due to policy violation.'" in output
    assert "session ended by moderation: categories=[]" in output
