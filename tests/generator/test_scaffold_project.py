"""The starter project of every model: ``reactor-gen new`` and ``python -m reactor_models.<pkg>
new`` write the same bytes; what setup() sends is derived from each schema as documented;
``--setup`` overrides it; the project's Python is black- and ruff-clean and ``mypy --strict``."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reactor_client.apps.cli import model_main
from reactor_gen.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
MODELS = {
    "longlive-v2": ("longlive_v2", "LongliveV2Model"),
    "helios": ("helios", "HeliosModel"),
    "lingbot": ("lingbot", "LingbotModel"),
    "x2": ("x2", "X2Model"),
    "feature-model": ("feature_model", "FeatureModel"),
}
SETUP = {  # the body of setup() derived from each schema (comments left out)
    "longlive-v2": [
        'await model.set_shot(prompt="A sunset over the ocean")',
        "await model.start()",
    ],
    "helios": ['await model.set_prompt(prompt="A sunset over the ocean")', "await model.start()"],
    "lingbot": [
        'await model.set_prompt(prompt="A sunset over the ocean")',
        'await model.set_image(image="image.png")',
        "await model.start()",
    ],
    "x2": ['await model.set_prompt(prompt="Turn it into a watercolour painting")'],
    "feature-model": [],
}


def via_package(model: str, target: Path, *extra: str) -> int:
    package, cls = MODELS[model]
    module = importlib.import_module(f"reactor_models.{package}")
    return model_main(
        getattr(module, cls),
        package=f"reactor_models.{package}",
        argv=["new", "my-app", "--dir", str(target), *extra],
    )


def via_generator(model: str, target: Path, *extra: str) -> int:
    return cli_main(
        ["--root", str(ROOT), "new", "my-app", "--model", model, "--dir", str(target), *extra]
    )


def tree(path: Path) -> dict[str, bytes]:
    return {
        p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def wheel_names(model: str) -> list[str]:
    """The project's ``wheels/``: the model's package and the runtime core, both installed
    here from this checkout (editable), so both are bundled."""
    from importlib.metadata import version

    return [
        f"wheels/reactor_client-{version('reactor-client')}-py3-none-any.whl",
        f"wheels/reactor_models_{MODELS[model][0]}-{version('reactor-models-' + model)}-py3-none-any.whl",
    ]


def setup_body(main_py: str) -> list[str]:
    body = main_py.split("async def setup(", 1)[1].split('Edit freely."""\n', 1)[1]
    body = body.split("\n\n\n", 1)[0]
    return [line.strip() for line in body.splitlines() if not line.strip().startswith("#")]


@pytest.mark.parametrize("model", sorted(MODELS))
def test_both_entry_points_write_the_same_bytes(model: str, tmp_path: Path) -> None:
    assert via_package(model, tmp_path / "pkg") == 0
    assert via_generator(model, tmp_path / "gen") == 0
    written = tree(tmp_path / "pkg")
    assert written == tree(tmp_path / "gen")
    assert sorted(written) == [
        ".env.example", ".gitignore", "README.md", "main.py", "pyproject.toml", "token_server.py",
        *wheel_names(model),
    ]
    main_py = written["main.py"].decode()
    assert setup_body(main_py) == SETUP[model]


def test_both_entry_points_agree_on_an_override(tmp_path: Path) -> None:
    extra = ["--setup", "set_seed(seed=7)", "--setup", "set_shot(prompt='A cat')", "--setup", "start"]
    assert via_package("longlive-v2", tmp_path / "pkg", *extra) == 0
    assert via_generator("longlive-v2", tmp_path / "gen", *extra) == 0
    assert tree(tmp_path / "pkg") == tree(tmp_path / "gen")
    main_py = (tmp_path / "pkg" / "main.py").read_text()
    assert setup_body(main_py) == [
        "await model.set_seed(seed=7)",
        'await model.set_shot(prompt="A cat")',
        "await model.start()",
    ]
    readme = (tmp_path / "pkg" / "README.md").read_text()
    assert "1. `set_seed(seed=7)`" in readme and "--setup" in readme
    assert "requires it" not in readme  # the derived explanation is gone


def test_derivation_is_explained_in_the_readme(tmp_path: Path) -> None:
    assert via_generator("longlive-v2", tmp_path / "ll") == 0
    readme = (tmp_path / "ll" / "README.md").read_text()
    assert "“Requires an opening shot set via `set_shot`" in readme
    assert "placeholders" in readme
    assert via_generator("feature-model", tmp_path / "fm") == 0
    readme = (tmp_path / "fm" / "README.md").read_text()
    assert "no command that starts generation" in readme
    assert via_generator("x2", tmp_path / "x2") == 0
    main_py = (tmp_path / "x2" / "main.py").read_text()
    assert "push_test_pattern(model.source)" in main_py and '"--source"' in main_py
    assert "“Setting a prompt arms generation”" in (tmp_path / "x2" / "README.md").read_text()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("launch()", "no command 'launch'"),
        ("set_shot(text='x')", "set_shot has no parameter 'text' (parameters: prompt)"),
        ("set_shot('x')", "pass arguments by name"),
        ("set_shot(prompt=input())", "values must be literals"),
        ("set_shot(", "not a call like name(arg=value)"),
        ("model.start()", "not a call like name(arg=value)"),
    ],
)
def test_bad_override_is_refused(
    setup: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert via_generator("longlive-v2", tmp_path / "gen", "--setup", setup) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert via_package("longlive-v2", tmp_path / "pkg", "--setup", setup) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "gen").exists() and not (tmp_path / "pkg").exists()


def tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MYPYPATH=str(ROOT / "runtime"))
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_project_python_is_black_ruff_and_mypy_clean(tmp_path: Path) -> None:
    long_prompt = "A very long prompt " * 6
    cases = {model: () for model in MODELS}
    cases["longlive-v2+override"] = (  # type: ignore[assignment]
        "--setup", f"set_shot(prompt={long_prompt!r})",
        "--setup", "schedule_scene_cut(prompt='A city at night, seen from a rooftop bar', at_session_chunk=10)",
        "--setup", "start",
    )
    cache = tmp_path / "mypy-cache"
    for case, extra in cases.items():
        target = tmp_path / case
        assert via_generator(case.split("+")[0], target, *extra) == 0
        for args in (
            ("black", "--check", "--quiet", "main.py", "token_server.py"),
            ("ruff", "check", "--isolated", "--no-cache", "main.py", "token_server.py"),
            ("mypy", "--strict", "--cache-dir", str(cache), "main.py", "token_server.py"),
        ):
            result = tool(*args, cwd=target)
            assert result.returncode == 0, (case, args[0], result.stdout + result.stderr)


async def test_x2_test_pattern_pushes_moving_frames(tmp_path: Path) -> None:
    """x2's main.py publishes ``source`` (named in the model's description) with a test
    pattern when no file is given; the pattern is RGB frames that change."""
    import asyncio
    import importlib.util

    assert via_generator("x2", tmp_path / "x2") == 0
    spec = importlib.util.spec_from_file_location("x2_starter_main", tmp_path / "x2" / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frames: list[object] = []

    class Track:
        def push_frame(self, frame: object) -> None:
            frames.append(frame)

    task = asyncio.create_task(module.push_test_pattern(Track(), fps=200.0))
    while len(frames) < 3:
        await asyncio.sleep(0.01)
    task.cancel()
    first, second = frames[0], frames[1]
    assert first.shape == (240, 320, 3) and str(first.dtype) == "uint8"  # type: ignore[attr-defined]
    assert (first != second).any()  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", sorted(MODELS))
def test_get_started_readme_section_renders(model: str) -> None:
    """``templates/readme/_get_started.md.jinja``, the section the package README includes."""
    from reactor_gen.pipeline import build
    from reactor_gen.render import make_environment
    from reactor_gen.render.scaffold import build_scaffold_view
    from reactor_gen.render.views import build_view

    package = build(ROOT / "schemas" / f"{model}.json")
    view = build_view(package.ir, schema_name=f"{model}.json", sha256="0" * 64)
    template = make_environment().get_template("readme/_get_started.md.jinja")
    text = template.render(m=view, s=build_scaffold_view(package.ir, view.distribution))
    assert text.startswith("## Get started\n")
    assert f"python -m reactor_models.{MODELS[model][0]} new my-app" in text
    assert f"reactor-gen new my-app --model {model}" in text
    assert "POST /api/reactor/token" in text and "\n\n\n" not in text
    for line in SETUP[model]:
        assert f"`{line.split('model.')[1].split('(')[0]}`" in text
    assert template.render(m=view).startswith("## Get started\n")  # without the scaffold view


def test_a_path_names_the_app_and_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``new path/to/my-app`` (as cargo and npm read it): the app is ``my-app``, written to
    ``path/to/my-app``, missing folders created; both entry points."""
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module("reactor_models.x2")
    assert model_main(module.X2Model, package="reactor_models.x2", argv=["new", "pkg/deep/my-app"]) == 0
    assert cli_main(["--root", str(ROOT), "new", "gen/deep/my-app", "--model", "x2"]) == 0
    written = tree(tmp_path / "pkg" / "deep" / "my-app")
    assert written == tree(tmp_path / "gen" / "deep" / "my-app")
    assert 'name = "my-app"' in written["pyproject.toml"].decode()
    assert written["README.md"].decode().startswith("# my-app\n")


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reactor_client.apps.scaffold import project

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project.os, "rename", refuse)
    assert via_generator("x2", tmp_path / "a" / "b" / "my-app") == 2
    assert "cannot write" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # neither the project nor the folders made for it


def test_outside_a_checkout_new_says_what_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REACTOR_GEN_ROOT", raising=False)
    assert cli_main(["new", "my-app", "--model", "longlive-v2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    for hint in ("--schema PATH", "--root DIR", "python -m reactor_models.longlive_v2 new my-app"):
        assert hint in err
    assert list(tmp_path.iterdir()) == []
    # --schema: a schema file, no checkout; the model's wheel and the local runtime core's
    assert cli_main(["new", "my-app", "--schema", str(ROOT / "schemas" / "x2.json")]) == 0
    assert sorted(tree(tmp_path / "my-app")) == [
        ".env.example", ".gitignore", "README.md", "main.py", "pyproject.toml", "token_server.py",
        *wheel_names("x2"),
    ]
    assert cli_main(["new", "other", "--schema", str(tmp_path / "nope.json")]) == 1
    assert "--schema" in capsys.readouterr().err and not (tmp_path / "other").exists()


def test_only_what_no_index_has_is_bundled() -> None:
    """``local_source``: a distribution installed from a local directory (the runtime core
    here), not one from an index (jinja2). ``use_wheels`` with only the runtime core bundled
    keeps the model's index requirement."""
    from reactor_client.apps.scaffold.project import Wheel, use_wheels
    from reactor_client.apps.scaffold.wheels import local_source

    assert local_source("jinja2") is None
    assert local_source("reactor-client") == ROOT / "runtime"
    assert local_source("no-such-distribution") is None
    files = {
        "pyproject.toml": 'x = 1\ndependencies = [\n  "reactor-models-x2>=0.5.2,<0.6",\n]\n',
        "README.md": "# app\n\n## Install\n\npip install .\n\n## Run\n\n| `.env.example` | env |\n",
    }
    wheel = Wheel("reactor-client", "reactor_client-0.1.0-py3-none-any.whl", b"PK")
    out = use_wheels(files, [wheel])
    pyproject = out["pyproject.toml"]
    assert isinstance(pyproject, str)
    assert [line for line in pyproject.splitlines() if line.startswith('  "')] == [
        '  "reactor-client @ {root:uri}/wheels/reactor_client-0.1.0-py3-none-any.whl",',
        '  "reactor-models-x2>=0.5.2,<0.6",',
    ]
    assert pyproject.endswith("allow-direct-references = true\n")
    assert out["wheels/reactor_client-0.1.0-py3-none-any.whl"] == b"PK"
    readme = out["README.md"]
    assert isinstance(readme, str) and readme.index("`wheels/`") < readme.index("## Run")
    assert use_wheels(files, []) == files
