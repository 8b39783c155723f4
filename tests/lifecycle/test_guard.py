"""The version guard: a changed surface under an unchanged ``info.version`` is refused."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reactor_gen import pipeline
from reactor_gen.lifecycle.guard import (
    MANIFEST_NAME,
    VersionGuardError,
    check_version_guard,
    previous_surface,
)
from reactor_gen.ir.serialize import fingerprint, from_canonical, to_canonical
from reactor_gen.load import LoadedModel, load_model

BASE = Path(__file__).parent / "fixtures" / "feature-model.json"
Doc = dict[str, Any]


def save(path: Path, doc: Doc) -> LoadedModel:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return load_model(path)


def write_output(model: LoadedModel, out_dir: Path) -> None:
    """What a build writes, with the surface recorded in the manifest."""
    files = dict(pipeline.build(model).files)  # the manifest carries the surface record
    for relative, text in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Doc, Path, Path]:
    """A git repo with schemas/feature-model.json committed and generated from it."""
    root = tmp_path / "repo"
    schema = root / "schemas" / "feature-model.json"
    base = json.loads(BASE.read_text())
    model = save(schema, base)
    out = root / "generated" / "feature-model"
    write_output(model, out)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return base, schema, out


def test_manifest_records_provenance_and_surface(repo: tuple[Doc, Path, Path]) -> None:
    _base, schema, out = repo
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    model = load_model(schema)
    assert manifest["surface"] == {"format": 2, "fingerprint": fingerprint(model.ir), "schema_version": "v1.2.3"}
    assert manifest["schema"]["sha256"] == model.sha256
    assert manifest["generator"]["version"] and manifest["runtime"].startswith("reactor-client")
    assert all(len(h) == 64 for h in manifest["files"].values())
    recorded = previous_surface(out)
    assert recorded is not None and recorded.fingerprint == fingerprint(model.ir)
    # the canonical form round-trips to the same IR
    assert from_canonical(to_canonical(model.ir), version=model.ir.version) == model.ir


def test_unchanged_surface_passes(repo: tuple[Doc, Path, Path]) -> None:
    base, schema, out = repo
    assert check_version_guard(load_model(schema).ir, out).status == "unchanged"
    reformatted = save(schema, base)  # same surface, different bytes: still fine
    assert check_version_guard(reformatted.ir, out, schema_path=schema).status == "unchanged"


def test_changed_surface_same_version_is_refused(repo: tuple[Doc, Path, Path]) -> None:
    base, schema, out = repo
    doc = copy.deepcopy(base)
    doc["paths"].pop("/events/crash")
    model = save(schema, doc)  # edit in the working tree, HEAD has what was generated
    with pytest.raises(VersionGuardError) as caught:
        check_version_guard(model.ir, out, schema_path=schema)
    message = str(caught.value)
    assert "'feature-model'" in message and "still v1.2.3" in message
    assert "command crash: command removed" in message and "--allow-same-version" in message
    assert "needed: v2.0.0" in message
    assert caught.value.exit_code == 1
    overridden = check_version_guard(model.ir, out, allow_same_version=True, schema_path=schema)
    assert overridden.status == "overridden" and overridden.changes


def test_docs_only_change_needs_a_version_too(repo: tuple[Doc, Path, Path]) -> None:
    base, schema, out = repo
    doc = copy.deepcopy(base)
    doc["paths"]["/events/crash"]["post"]["summary"] = "Crash."  # docstrings change
    with pytest.raises(VersionGuardError, match="documentation: command crash"):
        check_version_guard(save(schema, doc).ir, out, schema_path=schema)


def test_refusal_without_git_names_fingerprints(repo: tuple[Doc, Path, Path]) -> None:
    base, schema, out = repo
    doc = copy.deepcopy(base)
    doc["paths"].pop("/events/crash")
    model = save(schema, doc)
    with pytest.raises(VersionGuardError, match="surface fingerprint"):
        check_version_guard(model.ir, out)  # no schema_path: no history to list changes from


def test_new_version_passes(repo: tuple[Doc, Path, Path]) -> None:
    base, schema, out = repo
    doc = copy.deepcopy(base)
    doc["paths"].pop("/events/crash")
    doc["info"]["version"] = "v2.0.0"
    result = check_version_guard(save(schema, doc).ir, out, schema_path=schema)
    assert result.status == "new-version" and result.previous_version == "v1.2.3"
    assert [str(c) for c in result.changes] == ["breaking: command crash: command removed"]


def test_first_build_and_old_manifest(tmp_path: Path) -> None:
    model = save(tmp_path / "m.json", json.loads(BASE.read_text()))
    assert check_version_guard(model.ir, tmp_path / "nothing").status == "first-build"
    old = tmp_path / "old"
    old.mkdir()
    (old / MANIFEST_NAME).write_text(json.dumps({"format": 1, "model": {"version": "v1.2.3"}}))
    assert check_version_guard(model.ir, old).status == "unknown"


def test_build_command_refuses_then_allows(tmp_path: Path) -> None:
    """``reactor-gen build`` end to end on a temp checkout: refuse, override, bump."""
    from reactor_gen.cli import main as cli_main

    root = tmp_path / "repo"
    schema = root / "schemas" / "feature-model.json"
    base = json.loads(BASE.read_text())
    save(schema, base)
    assert cli_main(["build", "feature-model", "--root", str(root)]) == 0
    manifest = json.loads((root / "generated" / "feature-model" / MANIFEST_NAME).read_text())
    assert manifest["surface"]["schema_version"] == "v1.2.3"
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    changed = copy.deepcopy(base)
    extra = copy.deepcopy(changed["paths"]["/events/crash"])
    extra["post"]["operationId"] = "reboot"
    changed["paths"]["/events/reboot"] = extra
    save(schema, changed)
    before = (root / "generated" / "feature-model" / MANIFEST_NAME).read_text()
    assert cli_main(["build", "feature-model", "--root", str(root)]) == 1
    assert (root / "generated" / "feature-model" / MANIFEST_NAME).read_text() == before  # nothing written
    assert cli_main(["build", "feature-model", "--root", str(root), "--allow-same-version"]) == 0
    changed["info"]["version"] = "v1.3.0"
    save(schema, changed)
    assert cli_main(["build", "feature-model", "--root", str(root)]) == 0


def test_build_refusal_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reactor_gen.cli import main as cli_main

    root = tmp_path / "repo"
    schema = root / "schemas" / "feature-model.json"
    base = json.loads(BASE.read_text())
    save(schema, base)
    assert cli_main(["build", "feature-model", "--root", str(root)]) == 0
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    changed = copy.deepcopy(base)
    changed["paths"].pop("/events/crash")
    save(schema, changed)
    capsys.readouterr()
    assert cli_main(["build", "feature-model", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "refusing to regenerate" in err and "'feature-model'" in err and "v1.2.3" in err
    assert "command crash: command removed" in err and "Traceback" not in err
