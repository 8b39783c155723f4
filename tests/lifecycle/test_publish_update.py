"""publish + update against a REAL package index (pypiserver on loopback), end to end.

One module-scoped temp checkout (schemas/, generated/, runtime/) and one fresh venv:
publish LongliveV2 + the runtime core, install ``reactor-models-longlive-v2`` from the
index and import it; bump the schema (new version, added command), run ``update``, see
the new version on the index and the old one still installable.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reactor_gen.cli import main as cli_main
from reactor_gen.lifecycle.common import Layout
from reactor_gen.lifecycle.index import versions
from reactor_gen.lifecycle.update import default_builder

from lifecycle.conftest import copy_layout
from lifecycle.pypi import PyPIServer

MODEL = "longlive-v2"
DIST = "reactor-models-longlive-v2"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    layout = copy_layout(tmp_path_factory.mktemp("checkout") / "repo", (MODEL,), runtime=True)
    default_builder()(MODEL, layout, False)
    return layout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh virtual environment for the whole module (installs are slow)."""
    target = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(target)], check=True, timeout=300)
    return target / "bin" / "python"


def configured_extra_indexes() -> list[str]:
    """The machine's extra indexes (local mirrors) — a command-line --extra-index-url
    replaces them, so they are passed again explicitly — plus the normal index."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False
    )
    found: list[str] = []
    for line in result.stdout.splitlines():
        match = re.match(r"[^=]*extra-index-url='(.*)'$", line.strip())
        if match:
            found += [u for u in match.group(1).split() if u not in found]
    env = os.environ.get("PIP_EXTRA_INDEX_URL", "")
    found += [u for u in env.split() if u not in found]
    return found + ["https://pypi.org/simple"]


def pip_install(python: Path, server: PyPIServer, *requirements: str) -> None:
    command = [str(python), "-m", "pip", "install", "-q", "--index-url", server.simple_url]
    for url in configured_extra_indexes():
        command += ["--extra-index-url", url]
    result = subprocess.run([*command, *requirements], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]


def run_in(python: Path, code: str) -> str:
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


IMPORT_CHECK = (
    "import importlib.metadata as m, reactor_models.longlive_v2 as p, reactor_client as c;"
    "print(m.version('reactor-models-longlive-v2'), c.RUNTIME_API_VERSION,"
    " hasattr(p.LongliveV2Model, 'brand_new'), p.__file__)"
)


def bump_schema(layout: Layout, version: str, *, add_command: bool) -> None:
    path = layout.schema_path(MODEL)
    doc = json.loads(path.read_text())
    doc["info"]["version"] = version
    if add_command and "/events/brand_new" not in doc["paths"]:
        item = json.loads(json.dumps(doc["paths"]["/events/reset"]))
        item["post"]["operationId"] = "brand_new"
        item["post"]["summary"] = "A command added in this release."
        doc["paths"]["/events/brand_new"] = item
    path.write_text(json.dumps(doc, indent=2) + "\n")


def test_publish_then_install_from_index(
    checkout: Layout, pypi_server: PyPIServer, venv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(checkout.root)
    assert cli_main(["publish", MODEL, "--repository-url", pypi_server.url, "--root", root]) == 0
    out = capsys.readouterr().out
    assert "uploaded" in out and DIST in out and "reactor-client" in out
    assert [str(v) for v in versions(pypi_server.simple_url, DIST)] == ["3.0.5"]
    assert [str(v) for v in versions(pypi_server.simple_url, "reactor-client")] == ["0.2.2"]
    pip_install(venv, pypi_server, DIST)
    installed = run_in(venv, IMPORT_CHECK).split()
    assert installed[:3] == ["3.0.5", "1", "False"]
    assert installed[3].startswith(str(venv.parent.parent))  # from the venv, not the checkout


def test_publish_existing_version_is_an_error(
    checkout: Layout, pypi_server: PyPIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(checkout.root)
    args = ["publish", MODEL, "--repository-url", pypi_server.url, "--root", root]
    assert cli_main(args) == 1
    err = capsys.readouterr().err
    assert "already on" in err and "--skip-existing" in err and "Traceback" not in err
    assert cli_main([*args, "--skip-existing"]) == 0
    assert "already published" in capsys.readouterr().out


def test_update_publishes_a_newer_schema_and_keeps_the_old(
    checkout: Layout, pypi_server: PyPIServer, venv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(checkout.root)
    args = ["update", "--all", "--repository-url", pypi_server.url, "--root", root]
    assert cli_main(args) == 0
    assert "up to date" in capsys.readouterr().out
    bump_schema(checkout, "v3.1.0", add_command=True)
    assert cli_main([*args, "--dry-run"]) == 0
    assert "would publish" in capsys.readouterr().out
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert "published 3.1.0" in out and "3.0.5" in out
    assert [str(v) for v in versions(pypi_server.simple_url, DIST)] == ["3.0.5", "3.1.0"]
    manifest = json.loads((checkout.generated / MODEL / "reactor-gen.lock.json").read_text())
    assert manifest["surface"]["schema_version"] == "v3.1.0"
    # the new release installs (with the new command), the old one is still installable
    pip_install(venv, pypi_server, "--upgrade", DIST)
    assert run_in(venv, IMPORT_CHECK).split()[:3] == ["3.1.0", "1", "True"]
    pip_install(venv, pypi_server, f"{DIST}==3.0.5")
    assert run_in(venv, IMPORT_CHECK).split()[:3] == ["3.0.5", "1", "False"]
    # nothing left to do
    assert cli_main(args) == 0
    assert "up to date" in capsys.readouterr().out


def test_update_index_ahead_exits_2(
    checkout: Layout, pypi_server: PyPIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout.schema_path(MODEL)
    saved = path.read_bytes()
    try:
        bump_schema(checkout, "v3.0.4", add_command=False)
        args = ["update", MODEL, "--repository-url", pypi_server.url, "--root", str(checkout.root)]
        assert cli_main(args) == 2
        assert "index ahead of schema" in capsys.readouterr().out
        assert cli_main(["update", "nope", "--repository-url", pypi_server.url, "--root", str(checkout.root)]) == 1
        assert "unknown model 'nope'" in capsys.readouterr().out
    finally:
        path.write_bytes(saved)


@pytest.fixture
def refusing_index() -> Iterator[str]:
    """An index that answers 404 to look-ups and 403 to uploads (bad credentials)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length") or 0))
            body = b"Forbidden: invalid credentials"
            self.send_response(403, "Forbidden")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_bad_credentials_one_line_no_secret(
    checkout: Layout, refusing_index: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REACTOR_GEN_INDEX_USERNAME", "alice")
    monkeypatch.setenv("REACTOR_GEN_INDEX_PASSWORD", "s3cret-token-xyz")
    args = ["publish", MODEL, "--repository-url", refusing_index, "--root", str(checkout.root), "--no-runtime"]
    assert cli_main(args) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "s3cret-token-xyz" not in text and "Traceback" not in text
    assert "403" in captured.err
    assert len([line for line in captured.err.splitlines() if "error:" in line]) == 1


def test_unreachable_index(checkout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["update", MODEL, "--repository-url", "http://127.0.0.1:9/", "--root", str(checkout.root)]
    assert cli_main(args) == 1
    assert "cannot reach the package index" in capsys.readouterr().out
