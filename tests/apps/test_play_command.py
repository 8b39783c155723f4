"""``python -m reactor_models.<model> play`` without a server: ``--help`` needs no web server,
a missing ``[playground]`` extra is one line naming it, bad options are one line too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reactor_client.apps import cli

ROOT = Path(__file__).resolve().parents[2]
FEATURE_PACKAGE_DIR = ROOT / "generated" / "feature-model"

# Run with starlette and uvicorn unimportable (None in sys.modules makes import fail).
BLOCKED = (
    "import sys\n"
    "for name in ('starlette', 'uvicorn'):\n"
    "    sys.modules[name] = None\n"
    "from reactor_models.feature_model.__main__ import main\n"
    "code = main(sys.argv[1:])\n"
    "assert 'reactor_client.apps.playground.server' not in sys.modules\n"
    "raise SystemExit(code)\n"
)


def _run_blocked(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(FEATURE_PACKAGE_DIR)}
    env.pop("REACTOR_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-c", BLOCKED, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_play_help_works_without_the_extra() -> None:
    result = _run_blocked("play", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--url", "--local", "--api-key", "--port", "--host", "--no-browser", "--open"):
        assert option in result.stdout
    assert "REACTOR_API_KEY" in result.stdout


def test_missing_extra_is_one_clear_line() -> None:
    result = _run_blocked("play", "--local", "--no-browser", "--port", "0")
    assert result.returncode == 2
    assert result.stderr == (
        "error: the playground needs starlette and uvicorn: "
        "pip install 'reactor-models-feature-model[playground]'\n"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_extra_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reactor_models.feature_model import FeatureModel

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    monkeypatch.delitem(sys.modules, "reactor_client.apps.playground.server", raising=False)
    code = cli.model_main(
        FeatureModel,
        package="reactor_models.feature_model",
        argv=["play", "--local", "--no-browser"],
    )
    assert code == 2
    assert capsys.readouterr().err == (
        "error: the playground needs uvicorn: "
        "pip install 'reactor-models-feature-model[playground]'\n"
    )


def test_no_target_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reactor_models.feature_model import FeatureModel

    monkeypatch.delenv("REACTOR_API_KEY", raising=False)
    code = cli.model_main(
        FeatureModel, package="reactor_models.feature_model", argv=["play", "--no-browser"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--local" in err and "REACTOR_API_KEY" in err


def test_busy_port_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from reactor_models.feature_model import FeatureModel

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code = cli.model_main(
            FeatureModel,
            package="reactor_models.feature_model",
            argv=["play", "--local", "--no-browser", "--port", str(port)],
        )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}:") and err.count("\n") == 1


class _FakeModel:
    """Stands in for a generated model class: records how ``play`` constructs it."""

    _model_label = "FeatureModel"
    _model_name = "feature-model"
    _model_version = "v0.0.0"
    made: list[dict[str, object]] = []

    def __init__(self, **options: object) -> None:
        self.made.append(options)


@pytest.mark.parametrize(
    ("argv", "env", "options"),
    [
        (["--local"], {}, {"local": True}),
        (
            ["--local", "--url", "http://localhost:9000"],
            {},
            {"local": True, "url": "http://localhost:9000"},
        ),
        (
            ["--local", "http://localhost:9000"],
            {},
            {"local": True, "url": "http://localhost:9000"},
        ),
        (
            ["--local", "http://localhost:9000", "--url", "http://localhost:9000"],
            {},
            {"local": True, "url": "http://localhost:9000"},
        ),
        (["--api-key", "k1"], {}, {"local": False, "api_key": "k1"}),
        ([], {"REACTOR_API_KEY": "k2"}, {"local": False, "api_key": "k2"}),
        (
            ["--url", "https://api.example"],
            {"REACTOR_API_KEY": "k3"},
            {"local": False, "url": "https://api.example", "api_key": "k3"},
        ),
    ],
    ids=["local", "local-url", "local-value", "local-value-and-url", "api-key", "env-key", "cloud-url"],
)
def test_options_reach_the_model(
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    options: dict[str, object],
) -> None:
    from reactor_client.apps.playground import server

    monkeypatch.delenv("REACTOR_API_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    served: list[dict[str, object]] = []
    monkeypatch.setattr(server, "serve", lambda model, surface, **kw: served.append(kw) or 0)
    _FakeModel.made.clear()
    code = cli.model_main(
        _FakeModel, package="reactor_models.feature_model", argv=["play", *argv, "--port", "0"]
    )
    assert code == 0
    assert _FakeModel.made == [options]
    assert served == [
        {
            "package": "reactor_models.feature_model",
            "host": "127.0.0.1",
            "port": 0,
            "open_browser": True,
            "max_fps": 30.0,
        }
    ]


def test_a_plain_install_pulls_no_web_server() -> None:
    """The web server is the ``[playground]`` extra, never a dependency."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    runtime = tomllib.loads((ROOT / "runtime" / "pyproject.toml").read_text())["project"]
    assert runtime["optional-dependencies"]["playground"] == ["starlette>=0.37", "uvicorn>=0.29"]
    for pyproject in sorted((ROOT / "generated").glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())["project"]
        required = " ".join([*project["dependencies"], *runtime["dependencies"]])
        for name in ("starlette", "uvicorn", "ipywidgets", "playwright"):
            assert name not in required, (pyproject, name)
        assert project["optional-dependencies"]["playground"] == [
            "reactor-client[playground]>=0.2.2,<0.3"
        ]


def test_local_url_and_url_that_disagree_are_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _FakeModel.made.clear()
    code = cli.model_main(
        _FakeModel,
        package="reactor_models.feature_model",
        argv=["play", "--local", "http://localhost:9000", "--url", "http://localhost:9001"],
    )
    assert code == 2 and _FakeModel.made == []
    assert capsys.readouterr().err == (
        "error: --local http://localhost:9000 and --url http://localhost:9001 disagree: "
        "give the URL once\n"
    )


def test_play_help_shows_local_with_an_optional_url() -> None:
    result = _run_blocked("play", "--help")
    assert result.returncode == 0, result.stderr
    assert "--local [URL]" in result.stdout and "--url URL" in result.stdout
