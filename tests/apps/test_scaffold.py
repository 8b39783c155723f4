"""The starter project end to end, as a user gets it: ``python -m reactor_models.feature_model
new demo-app``, ``pip install ".[server]"`` into a fresh venv (with the local ``runtime/`` and
``generated/feature-model/``), then ``main.py`` against the feature model on the REAL
runtime (local, and cloud through the coordinator stand-in) must write a playable file,
and ``token_server.py`` (real uvicorn) must hand out a JWT minted by the coordinator,
never the API key. Plus the refusals: a bad app name, a non-empty directory.

The venv is built once per module (about 30 s with a warm pip cache).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import av
import httpx
import pytest

import reactor_client

from harness.server import free_port

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "reactor_models.feature_model"
WHEELS = [  # both installed from this checkout, not an index: new bundles their wheels
    f"wheels/reactor_client-{reactor_client.__version__}-py3-none-any.whl",
    "wheels/reactor_models_feature_model-0.0.0-py3-none-any.whl",
]


def new(*args: str, cwd: Path, python: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python or sys.executable), "-m", PACKAGE, "new", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with a plain install of the model package (and the local runtime core it
    depends on); its interpreter."""
    venv = tmp_path_factory.mktemp("app-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    pip(python, str(ROOT / "runtime"), str(ROOT / "generated" / "feature-model"))
    return python


def pip(python: Path, *requirements: str) -> None:
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *requirements],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def project(venv_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m reactor_models.feature_model new demo-app`` with the INSTALLED package
    (its wheel's package data, no jinja2), then ``pip install "demo-app[server]"``."""
    base = tmp_path_factory.mktemp("scaffold")
    result = new("demo-app", cwd=base, python=venv_python)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote demo-app/" in result.stdout
    pip(venv_python, f"{base / 'demo-app'}[server]")
    return base / "demo-app"


@pytest.fixture(scope="module")
def app_python(venv_python: Path, project: Path) -> Path:
    return venv_python


def run_main(python: Path, project: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("REACTOR_")}
    full_env.update(env or {})
    result = subprocess.run(
        [str(python), "main.py", *args],
        cwd=project, capture_output=True, text=True, timeout=120, env=full_env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def assert_playable(path: Path, seconds: float) -> None:
    """PyAV opens ``path``, decodes its video and it lasts about ``seconds``."""
    assert path.is_file(), path
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        duration = float(container.duration or 0) / av.time_base
    assert frames > 0
    assert abs(duration - seconds) < 1.0, duration


def test_plain_install_brings_no_web_server_widgets_or_generator(venv_python: Path) -> None:
    """Before the project's ``[server]`` extra: what ``pip install reactor-models-<m>`` pulled."""
    probe = subprocess.run(
        [str(venv_python), "-c", "import importlib.util as u; print([m for m in ("
         "'jinja2', 'black', 'reactor_gen', 'ipywidgets', 'starlette', 'uvicorn', 'fastapi') "
         "if u.find_spec(m)])"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    assert probe.stdout.strip() == "[]"


def test_installed_package_writes_what_reactor_gen_new_writes(
    project: Path, tmp_path: Path
) -> None:
    from reactor_gen.cli import main as cli_main

    assert cli_main(
        ["--root", str(ROOT), "new", "demo-app", "--model", "feature-model", "--dir",
         str(tmp_path / "demo-app")]
    ) == 0
    ours = tree(tmp_path / "demo-app")
    theirs = tree(project)
    # the wheels are built by whichever hatchling each environment has: same files, same
    # names; every other file byte for byte
    assert sorted(ours) == sorted(theirs)
    assert {n: b for n, b in ours.items() if not n.startswith("wheels/")} == {
        n: b for n, b in theirs.items() if not n.startswith("wheels/")
    }


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_project_files(project: Path) -> None:
    assert sorted(tree(project)) == [
        ".env.example", ".gitignore", "README.md", "main.py", "pyproject.toml", "token_server.py",
        *WHEELS,
    ]
    pyproject = (project / "pyproject.toml").read_text()
    assert 'name = "demo-app"' in pyproject
    # a plain install brings the model package only (with the runtime core it needs, both from
    # local builds here: their wheels, in the project): the web server is an extra
    dependencies = pyproject.split("dependencies = [")[1].split("]")[0]
    assert [line for line in dependencies.split("\n") if line.startswith("  \"")] == [
        f'  "reactor-models-feature-model @ {{root:uri}}/{WHEELS[1]}",',
        f'  "reactor-client @ {{root:uri}}/{WHEELS[0]}",',
    ]
    assert "From an index: reactor-models-feature-model>=0.0.0,<0.1" in " ".join(dependencies.split())
    assert "[tool.hatch.metadata]\nallow-direct-references = true" in pyproject.replace(
        "# the dependencies on the files in wheels/ are direct references\n", ""
    )
    assert 'server = ["starlette>=0.37", "uvicorn>=0.29"]' in pyproject
    assert (project / "README.md").read_text().startswith("# demo-app\n")
    for path in (p for p in project.iterdir() if p.is_file()):  # wheels/ holds binaries
        assert "Generated by reactor-gen" not in path.read_text(), path.name
        assert "@@" not in path.read_text(), path.name


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with nothing in it; the indexes its pip reaches (this machine's) have
    neither the model's package nor reactor-client."""
    venv = tmp_path_factory.mktemp("bare-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    for name in ("reactor-models-feature-model", "reactor-client"):
        probe = subprocess.run(
            [str(python), "-m", "pip", "download", "--no-deps", "-d", str(venv / "probe"), name],
            capture_output=True, text=True, timeout=300,
        )
        assert probe.returncode != 0 and "No matching distribution found" in probe.stderr, name
    return python


def installed_from(python: Path, *requirements: str, dry_run: bool = False) -> dict[str, str]:
    """``pip install`` (a report of it): name → where each distribution came from."""
    report = python.parent.parent / "report.json"
    options = ["--dry-run", "--ignore-installed"] if dry_run else []
    pip(python, *options, "--report", str(report), *requirements)
    entries = json.loads(report.read_text())["install"]
    return {e["metadata"]["name"]: e["download_info"]["url"] for e in entries}


def test_project_installs_and_runs_where_no_index_has_the_model_or_the_runtime_core(
    feature_server: Any, bare_python: Path, project: Path, tmp_path: Path
) -> None:
    """The issue's trap: ``pip install .`` of a project scaffolded from local builds found
    neither package. Now both come from the project's ``wheels/`` (third-party ones from the
    index), and main.py runs against the real runtime."""
    installed = installed_from(bare_python, str(project))
    assert installed["reactor-models-feature-model"] == (project / WHEELS[1]).as_uri()
    assert installed["reactor-client"] == (project / WHEELS[0]).as_uri()
    assert {"aiortc", "av", "numpy", "pydantic"} <= set(installed)  # from the index
    out = tmp_path / "bare.mp4"
    stdout = run_main(
        bare_python, project, "--local", feature_server.url, "--seconds", "2", "--out", str(out)
    )
    assert "connected to feature-model" in stdout
    assert_playable(out, 2.0)
    # reactor-gen new's project (from the schema and this checkout's runtime/) resolves the same way
    from reactor_gen.cli import main as cli_main

    assert cli_main(
        ["--root", str(ROOT), "new", str(tmp_path / "from-gen" / "gen-app"), "--model", "feature-model"]
    ) == 0
    generated = tmp_path / "from-gen" / "gen-app"
    resolved = installed_from(bare_python, str(generated), dry_run=True)
    assert resolved["reactor-models-feature-model"] == (generated / WHEELS[1]).as_uri()
    assert resolved["reactor-client"] == (generated / WHEELS[0]).as_uri()


def test_main_records_a_playable_file_locally(
    feature_server: Any, app_python: Path, project: Path
) -> None:
    out = project / "local.mp4"
    stdout = run_main(
        app_python, project, "--local", "--url", feature_server.url, "--seconds", "2",
        "--out", str(out),
    )
    assert "connected to feature-model" in stdout and f"wrote {out}" in stdout
    assert_playable(out, 2.0)


def test_main_takes_local_with_a_url(
    feature_server: Any, app_python: Path, project: Path
) -> None:
    """``--local URL``, the convention of ``play`` and the examples (``--local --url URL``
    above works too)."""
    out = project / "local-url.mp4"
    stdout = run_main(
        app_python, project, "--local", feature_server.url, "--seconds", "2", "--out", str(out)
    )
    assert "connected to feature-model" in stdout
    assert_playable(out, 2.0)


def test_main_refuses_two_different_local_urls(app_python: Path, project: Path) -> None:
    result = subprocess.run(
        [str(app_python), "main.py", "--local", "http://127.0.0.1:1", "--url", "http://127.0.0.1:2"],
        cwd=project, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        "main.py: --local http://127.0.0.1:1 and --url http://127.0.0.1:2 disagree: give the URL once\n"
    )


def test_main_records_through_the_cloud_with_an_api_key(
    feature_server: Any, cloud_coordinator_factory: Any, app_python: Path, project: Path
) -> None:
    coordinator = cloud_coordinator_factory(feature_server)
    out = project / "cloud.webm"
    env = {"REACTOR_API_KEY": coordinator.api_key, "REACTOR_API_URL": coordinator.url}
    run_main(app_python, project, "--seconds", "2", "--out", str(out), env=env)
    assert_playable(out, 2.0)
    assert coordinator.requests("POST", "/tokens") and coordinator.requests("POST", "/sessions")


def test_main_without_a_target_says_what_to_pass(app_python: Path, project: Path) -> None:
    result = subprocess.run(
        [str(app_python), "main.py"], cwd=project, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(project)},
    )
    assert result.returncode != 0
    assert "pass --local for a local runtime, or set REACTOR_API_KEY" in result.stderr


def test_token_server_mints_a_jwt_and_never_shows_the_key(
    feature_server: Any, cloud_coordinator_factory: Any, app_python: Path, project: Path
) -> None:
    coordinator = cloud_coordinator_factory(feature_server)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REACTOR_")}
    env.update(
        REACTOR_API_KEY=coordinator.api_key, REACTOR_API_URL=coordinator.url, PORT=str(port)
    )
    server = subprocess.Popen(
        [str(app_python), "token_server.py"], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/reactor/token"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.post(url, timeout=10)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.2)
        assert response.status_code == 200, response.text
        jwt = response.json()["jwt"]
        assert jwt in coordinator.tokens  # minted by the coordinator, with the key
        assert coordinator.requests("POST", "/tokens")[0].headers["reactor-api-key"] == (
            coordinator.api_key
        )
        assert coordinator.api_key not in response.text
        assert coordinator.api_key not in str(response.headers)
        assert response.headers["cache-control"] == "no-store"
        assert httpx.get(url, timeout=10).status_code == 405
        # main.py without the key: a token resolver over this route (REACTOR_TOKEN_URL)
        out = project / "resolver.webm"
        minted = len(coordinator.requests("POST", "/tokens"))
        run_main(
            app_python, project, "--seconds", "1", "--out", str(out),
            env={"REACTOR_TOKEN_URL": url, "REACTOR_API_URL": coordinator.url},
        )
        assert_playable(out, 1.0)
        assert len(coordinator.requests("POST", "/tokens")) == minted + 1  # reused a minute
        sessions = [r for r in coordinator.requests("POST") if r.path == "/sessions"]
        assert sessions[-1].headers["authorization"] == f"Bearer {list(coordinator.tokens)[-1]}"
        coordinator.inject("POST", "^/tokens$", 401, body={"detail": "bad key"})
        refused = httpx.post(url, timeout=10)
        assert refused.status_code == 502 and coordinator.api_key not in refused.text
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert coordinator.api_key not in output


def new_here(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``new`` in-process (the same ``model_main`` the package's ``__main__`` calls)."""
    from reactor_client.apps.cli import model_main
    from reactor_models.feature_model import FeatureModel

    code = model_main(FeatureModel, package=PACKAGE, argv=["new", *args])
    return code, capsys.readouterr().err


def test_bad_app_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = new("9lives", cwd=tmp_path)  # as a user runs it: exit 2, one line
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "'9lives' is not a usable app name" in result.stderr
    for name in ("my app", "x-", "a--b", "class", "a/b", "x" * 65):
        code, err = new_here(name, "--dir", str(tmp_path / "out"), capsys=capsys)
        assert code == 2 and err.count("\n") == 1, (name, err)
        assert "is not a usable app name" in err
    code, err = new_here("reactor_models.feature-model", capsys=capsys)
    assert code == 2 and "the app depends on reactor-models-feature-model" in err
    assert list(tmp_path.iterdir()) == []


def test_non_empty_directory_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "main.py").write_text("print('my own work')\n")
    code, err = new_here("demo", "--dir", str(target), capsys=capsys)
    assert code == 2
    assert err == f"new: {target} is not empty: refusing to write into it (pick another --dir)\n"
    assert [p.name for p in target.iterdir()] == ["main.py"]
    assert (target / "main.py").read_text() == "print('my own work')\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # no staging directory left
    (tmp_path / "file").write_text("x")
    assert new_here("demo", "--dir", str(tmp_path / "file"), capsys=capsys)[0] == 2
    assert (tmp_path / "file").read_text() == "x"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert new_here("demo", "--dir", str(empty), capsys=capsys)[0] == 0
    assert (empty / "main.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "file", "mine"]
