"""Small command-level checks: the CLI wiring, index parsing (JSON + HTML), sources."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.server import LONGLIVE_SIM_DIR, runtime_python
from reactor_gen.cli import main as cli_main
from reactor_gen.lifecycle.common import Layout, LifecycleError, redact
from reactor_gen.lifecycle.index import index_url_for, newest_version, versions
from reactor_gen.lifecycle.publish import Credentials
from reactor_gen.lifecycle.update import parse_sources


def test_cli_pull_model_dir(tmp_layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["pull", "longlive-v2", "--model-dir", str(LONGLIVE_SIM_DIR), "--root", str(tmp_layout.root),
            "--runtime-python", str(runtime_python())]
    assert cli_main([*args, "--version", "3.0.6"]) == 0
    assert "created (v3.0.6" in capsys.readouterr().out
    assert cli_main(args) == 0  # the renderer says v0.0.0: the file's version is kept
    captured = capsys.readouterr()
    assert "unchanged (v3.0.6" in captured.out and "kept v3.0.6" in captured.err
    assert cli_main(["pull", "x", "--url", "http://127.0.0.1:9", "--root", str(tmp_layout.root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("reactor-gen pull: error: cannot reach") and "Traceback" not in err


@pytest.fixture
def json_index() -> Iterator[str]:
    """A PEP 691 JSON index with two files and a PEP 700 ``versions`` list."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def do_GET(self) -> None:  # noqa: N802
            if self.path.rstrip("/") != "/simple/reactor-models-x2":
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            body = json.dumps({
                "meta": {"api-version": "1.1"},
                "name": "reactor-models-x2",
                "files": [
                    {"filename": "reactor_models_x2-0.5.2-py3-none-any.whl", "url": "a", "hashes": {}},
                    {"filename": "reactor_models_x2-0.6.0rc1.tar.gz", "url": "b", "hashes": {}},
                    {"filename": "other-9.0.0.tar.gz", "url": "c", "hashes": {}},
                ],
                "versions": ["0.5.2", "0.6.0rc1"],
            }).encode()
            self.send_response(200)
            self.send_header("content-type", "application/vnd.pypi.simple.v1+json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    server.shutdown()
    server.server_close()


def test_index_json_api(json_index: str) -> None:
    assert [str(v) for v in versions(json_index, "Reactor_Models.X2")] == ["0.5.2", "0.6.0rc1"]
    assert str(newest_version(json_index, "reactor-models-x2", include_prereleases=False)) == "0.5.2"
    assert newest_version(json_index, "reactor-models-missing") is None


def test_index_url_derivation() -> None:
    assert index_url_for("https://upload.pypi.org/legacy/") == "https://pypi.org/simple/"
    assert index_url_for("https://test.pypi.org/legacy/") == "https://test.pypi.org/simple/"
    assert index_url_for("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/simple/"


def test_credentials_and_redaction() -> None:
    env = {"TWINE_USERNAME": "t", "TWINE_PASSWORD": "tp", "REACTOR_GEN_INDEX_PASSWORD": "rp"}
    assert Credentials.resolve(env=env) == Credentials("t", "rp")
    assert Credentials.resolve("u", "p", env=env) == Credentials("u", "p")
    assert "rp" not in repr(Credentials.resolve(env=env))
    assert redact("pw=rp!", ["rp", None]) == "pw=***!"


def test_parse_sources() -> None:
    assert parse_sources(["http://h:1"], ["a"]) == {"a": "http://h:1"}
    assert parse_sources(["a=http://h:1", "b=models/b"], ["a", "b"]) == {"a": "http://h:1", "b": "models/b"}
    with pytest.raises(LifecycleError, match="NAME=URL"):
        parse_sources(["http://h:1"], ["a", "b"])


def test_update_needs_models(tmp_layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["update", "--all", "--repository-url", "http://127.0.0.1:9/", "--root", str(tmp_layout.root)]) == 1
    assert "nothing to update" in capsys.readouterr().err


def test_publish_unknown_model(tmp_layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["publish", "nope", "--repository-url", "http://127.0.0.1:9/", "--root", str(tmp_layout.root)]) == 1
    assert "no generated package for 'nope'" in capsys.readouterr().err


def test_root_before_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lifecycle.conftest import copy_layout

    layout = copy_layout(tmp_path / "repo", ("x2",))
    assert cli_main(["--root", str(layout.root), "diff", "x2", "HEAD", "--no-api"]) == 2  # not a git repo
    assert "cannot read schemas/x2.json at 'HEAD'" in capsys.readouterr().err


def test_update_pulls_from_a_model_dir_first(tmp_path: Path, pypi_server: object, capsys: pytest.CaptureFixture[str]) -> None:
    from lifecycle.conftest import copy_layout
    from lifecycle.pypi import PyPIServer

    assert isinstance(pypi_server, PyPIServer)
    layout = copy_layout(tmp_path / "repo", ("longlive-v2",))
    args = ["update", "longlive-v2", "--repository-url", pypi_server.url, "--root", str(layout.root),
            "--pull-from", str(LONGLIVE_SIM_DIR), "--runtime-python", str(runtime_python()), "--dry-run"]
    assert cli_main(args) == 0
    captured = capsys.readouterr()
    assert "pulling longlive-v2" in captured.err
    assert "would publish (first release)" in captured.out and "v3.0.5" in captured.out


def test_publish_and_update_suggest_a_close_model_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lifecycle.conftest import copy_layout

    layout = copy_layout(tmp_path / "repo", ("longlive-v2", "x2"))
    root = ["--root", str(layout.root)]
    assert cli_main(["publish", "longlive-v3", "--repository-url", "http://127.0.0.1:9/", *root]) == 1
    err = capsys.readouterr().err
    assert "no generated package for 'longlive-v3'" in err and "did you mean 'longlive-v2'?" in err
    assert cli_main(["publish", "x2", "--repository-url", "http://127.0.0.1:9/", *root]) == 1
    assert "run: reactor-gen build x2" in capsys.readouterr().err  # known, just not built
    code = cli_main(["update", "longlive-v3", "--repository-url", "http://127.0.0.1:9/", "--dry-run", *root])
    assert code == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "unknown model 'longlive-v3'" in out and "did you mean 'longlive-v2'?" in out
