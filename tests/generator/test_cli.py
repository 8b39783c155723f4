"""The ``reactor-gen`` CLI: build, --all, --check, --diff, list, errors, ownership,
atomicity."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reactor_gen import write as write_mod
from reactor_gen.cli import main

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = "reactor-gen.lock.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch checkout: schemas/ with longlive-v2 and x2; cwd inside it."""
    (tmp_path / "schemas").mkdir()
    for name in ("longlive-v2.json", "x2.json"):
        shutil.copy(ROOT / "schemas" / name, tmp_path / "schemas" / name)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the root is found by walking up
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_build_by_name_then_check(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "build", "longlive-v2")
    assert code == 0, err
    gen = repo / "generated" / "longlive-v2"
    assert (gen / "reactor_models" / "longlive_v2" / "_client.py").is_file()
    manifest = json.loads((gen / MANIFEST).read_text())
    assert manifest["schema"]["file"] == "longlive-v2.json"
    assert manifest["generator"]["version"] == "0.1.0"
    assert manifest["runtime"] == "reactor-client>=0.2.2,<0.3"
    assert sorted(manifest["files"]) == manifest_files(gen)
    assert "timestamp" not in (gen / MANIFEST).read_text()
    assert run(capsys, "build", "longlive-v2", "--check")[0] == 0


def manifest_files(gen: Path) -> list[str]:
    return sorted(p for p in snapshot(gen) if p != MANIFEST)


def test_build_all_check_lists_differences(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "build", "--all", "--check")
    assert code == 1 and "missing" in err and "generated/x2" in err
    assert not (repo / "generated").exists()  # --check writes nothing
    assert run(capsys, "build", "--all")[0] == 0
    assert run(capsys, "build", "--all", "--check")[0] == 0
    client = repo / "generated" / "x2" / "reactor_models" / "x2" / "_client.py"
    client.write_text(client.read_text() + "# edited\n")
    code, out, err = run(capsys, "build", "--all", "--check")
    assert code == 1
    assert "generated/x2/reactor_models/x2/_client.py (changed)" in err


def test_diff(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "build", "x2")
    tracks = repo / "generated" / "x2" / "reactor_models" / "x2" / "tracks.py"
    original = tracks.read_text()
    tracks.write_text(original.replace("TRACKS", "TRAX", 1))
    code, out, err = run(capsys, "build", "x2", "--diff")
    assert code == 1
    assert "--- a/" in out and "+++ b/" in out
    assert "\n-TRAX: tuple" in out and "\n+TRACKS: tuple" in out
    assert tracks.read_text() != original  # --diff writes nothing
    run(capsys, "build", "x2")
    assert run(capsys, "build", "x2", "--diff")[:2] == (0, "")


def test_list(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "build", "x2")
    code, out, err = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["model", "title", "version"]
    longlive = next(line for line in lines if line.startswith("longlive-v2"))
    assert longlive.split() == ["longlive-v2", "longlive-v2", "v3.0.5", "9", "12", "1", "missing"]
    x2 = next(line for line in lines if line.startswith("x2"))
    assert x2.split()[-1] == "current"


def test_bad_schema_exits_1_without_traceback_or_output(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads((repo / "schemas" / "x2.json").read_text())
    del doc["info"]["title"]
    doc["x-reactor"]["tracks"][0]["kind"] = "hologram"
    (repo / "schemas" / "broken.json").write_text(json.dumps(doc))
    code, out, err = run(capsys, "build", "--all")
    assert code == 1
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line]
    assert len(lines) >= 2
    assert all("schemas/broken.json: /" in line for line in lines), err
    assert any(line.endswith("schemas/broken.json: /info: info.title must be a string (the model name)") for line in lines), err
    assert not (repo / "generated").exists()  # nothing written, not even the good ones
    # the same through a subprocess: no traceback, exit 1
    proc = subprocess.run(
        [sys.executable, "-m", "reactor_gen", "build", "broken"],
        cwd=repo, capture_output=True, text=True,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "schemas/broken.json: /info" in proc.stderr


def test_unknown_model_and_usage(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "build", "nope")
    assert code == 1 and "known models: longlive-v2, x2" in err
    assert run(capsys, "build")[0] == 1


def test_user_files_survive_and_stale_owned_files_are_removed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "build", "longlive-v2")
    gen = repo / "generated" / "longlive-v2"
    (gen / "NOTES.md").write_text("mine")
    (gen / "reactor_models" / "longlive_v2" / "extra.py").write_text("x = 1\n")
    (gen / "mine").mkdir()
    (gen / "mine" / "keep.txt").write_text("keep")
    # pretend an earlier build owned a file this build no longer produces
    stale = gen / "reactor_models" / "longlive_v2" / "old" / "removed.py"
    stale.parent.mkdir()
    stale.write_text("# old\n")
    manifest = json.loads((gen / MANIFEST).read_text())
    manifest["files"]["reactor_models/longlive_v2/old/removed.py"] = "0" * 64
    manifest["files"]["mine/keep.txt"] = "0" * 64  # owned but its dir has a user file
    (gen / "mine" / "user.txt").write_text("user")
    (gen / MANIFEST).write_text(json.dumps(manifest))
    code, out, err = run(capsys, "build", "longlive-v2", "--check")
    assert code == 1 and "removed.py (stale)" in err
    assert run(capsys, "build", "longlive-v2")[0] == 0
    assert not stale.exists() and not stale.parent.exists()
    assert (gen / "NOTES.md").read_text() == "mine"
    assert (gen / "reactor_models" / "longlive_v2" / "extra.py").exists()
    assert (gen / "mine" / "user.txt").exists()  # never delete a dir with user files
    assert not (gen / "mine" / "keep.txt").exists()
    assert run(capsys, "build", "longlive-v2", "--check")[0] == 0


def test_refuses_to_overwrite_unowned_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gen = repo / "generated" / "x2"
    gen.mkdir(parents=True)
    (gen / "README.md").write_text("my own readme")
    code, out, err = run(capsys, "build", "x2")
    assert code == 1 and "does not own" in err
    assert snapshot(gen) == {"README.md": b"my own readme"}
    assert run(capsys, "build", "x2", "--force")[0] == 0
    assert "Typed Python SDK" in (gen / "README.md").read_text()


def test_failed_write_leaves_previous_output_intact(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "build", "longlive-v2")
    gen = repo / "generated" / "longlive-v2"
    for path in gen.rglob("*.py"):
        path.write_text(path.read_text() + "# previous\n")
    (gen / "README.md").write_text("previous")
    before = snapshot(gen)
    calls = {"n": 0}
    real = write_mod._write_temp

    def flaky(target: Path, data: bytes) -> Path:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(target, data)

    monkeypatch.setattr(write_mod, "_write_temp", flaky)
    with pytest.raises(OSError):
        main(["build", "longlive-v2"])
    assert snapshot(gen) == before  # no file replaced, no temp file left behind


def test_failing_build_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "build", "--all")
    before = snapshot(repo / "generated")
    import reactor_gen.pipeline as pipeline
    from reactor_gen.format import FormatError

    real = pipeline.render_model

    def broken_render(ir, **kw):  # type: ignore[no-untyped-def]
        if ir.title == "x2":
            raise FormatError("black could not format x2")
        return real(ir, **kw)

    monkeypatch.setattr(pipeline, "render_model", broken_render)
    schema = repo / "schemas" / "longlive-v2.json"
    schema.write_text(schema.read_text().replace("v3.0.5", "v3.0.6"))
    code, out, err = run(capsys, "build", "--all")
    assert code == 1 and "internal error" in err and "Traceback" not in err
    assert snapshot(repo / "generated") == before  # longlive-v2 was not written either


def test_python_dash_m(repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reactor_gen", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "reactor-gen 0.1.0" in proc.stdout


def test_output_dir_is_the_model_name_and_titles_must_be_unique(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``generated/<schema stem>/``; two schemas with one title would publish one distribution."""
    shutil.copy(repo / "schemas" / "x2.json", repo / "schemas" / "x2-staging.json")
    code, _, err = run(capsys, "build", "--all")
    assert code == 1
    assert "/info/title: 'x2' is also the title of" in err
    assert "x2-staging.json" in err and "x2.json" in err and "reactor-models-x2" in err
    assert not (repo / "generated").exists()
    (repo / "schemas" / "x2.json").unlink()
    code, _, err = run(capsys, "build", "x2-staging")
    assert code == 0, err
    assert (repo / "generated" / "x2-staging" / "reactor_models" / "x2" / "__init__.py").is_file()


def test_build_path_out_is_labelled_by_package_and_guarded_like_build_name(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``build <path> --out DIR`` and ``build <name>`` follow one rule (the version guard)."""
    schema = tmp_path / "elsewhere" / "my-copy.json"
    schema.parent.mkdir()
    shutil.copy(ROOT / "schemas" / "longlive-v2.json", schema)
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "build", str(schema), "--out", str(out_dir))
    assert code == 0
    assert out.startswith("reactor-models-longlive-v2: ") and "my-copy" not in out
    doc = json.loads(schema.read_text())
    del doc["paths"]["/events/resume"]  # a changed surface, info.version unchanged
    schema.write_text(json.dumps(doc))
    before = snapshot(out_dir)
    for argv in (
        ("build", str(schema), "--out", str(out_dir)),
        ("build", "longlive-v2", "--out", str(out_dir)),
    ):
        if argv[1] == "longlive-v2":
            (repo / "schemas" / "longlive-v2.json").write_text(json.dumps(doc))
        code, _, err = run(capsys, *argv)
        assert code == 1 and "refusing to regenerate" in err and "v3.0.5" in err, err
        assert snapshot(out_dir) == before
    code, _, err = run(capsys, "build", str(schema), "--out", str(out_dir), "--allow-same-version")
    assert code == 0 and "warning" in err


def test_build_prints_schema_warnings(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    schema = ROOT / "tests" / "generator" / "warn_schemas" / "default_violates_constraint.json"
    code, _, err = run(capsys, "build", str(schema), "--out", str(tmp_path / "w"))
    assert code == 0
    assert "/at_session_chunk/default: warning: the schema's default `-1` violates minimum 0" in err


def test_root_from_environment(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path.parent)  # nowhere near schemas/
    monkeypatch.setenv("REACTOR_GEN_ROOT", str(repo))
    code, out, _ = run(capsys, "list")
    assert code == 0 and "longlive-v2" in out and "x2" in out


def test_misspelt_model_names_get_a_suggestion(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "build", "longlive-v3")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "unknown model 'longlive-v3'" in err and "did you mean 'longlive-v2'?" in err
    assert "known models: longlive-v2, x2" in err
    code, _, err = run(capsys, "new", "my-app", "--model", "x3", "--dir", str(tmp_path / "app"))
    assert code == 1 and "did you mean 'x2'?" in err and not (tmp_path / "app").exists()
    code, _, err = run(capsys, "build", "zzz")  # nothing close: no suggestion
    assert code == 1 and "did you mean" not in err and "known models: longlive-v2, x2" in err


def test_every_build_option_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "-v, --verbose also list each file written or deleted" in text


def test_the_console_entry_starts_the_early_formatter_only_for_a_build() -> None:
    from reactor_gen.entry import _command

    assert _command(["--root", "/x", "build", "longlive-v2"]) == "build"
    assert _command(["build", "--all"]) == "build"
    assert _command(["--root", "build", "list"]) == "list"  # a root folder called build
    assert _command(["new", "build", "--model", "x2"]) == "new"
    assert _command(["--version"]) == ""


def test_outside_a_checkout_hints_name_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no schemas/ at or above
    monkeypatch.delenv("REACTOR_GEN_ROOT", raising=False)
    code, _, err = run(capsys, "build", "feature-model")
    assert code == 1 and "no schemas/ folder at or above" in err and "--root DIR" in err
    # a typo in --model: the hint runs the installed package it was meant for, not the typo
    code, _, err = run(capsys, "new", str(tmp_path / "app"), "--model", "featur-model")
    assert code == 1 and "python -m reactor_models.feature_model new" in err
    assert not (tmp_path / "app").exists()
