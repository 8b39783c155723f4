"""The version guard: a changed surface under an unchanged ``info.version`` is refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from reactor_gen import pipeline
from reactor_gen.lifecycle.guard import (
    MANIFEST_NAME,
    VersionGuardError,
    add_surface_to_manifest,
    check_version_guard,
    previous_surface,
)
from reactor_gen.lifecycle.surface import fingerprint
from reactor_gen.load import LoadedModel, load_model

BASE = Path(__file__).parent / "fixtures" / "feature-model.json"


def load(tmp_path: Path, doc: dict[str, Any], name: str) -> LoadedModel:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return load_model(path)


def write_output(model: LoadedModel, out_dir: Path) -> None:
    """What a build writes, with the surface recorded in the manifest."""
    files = dict(pipeline.build(model).files)
    files[MANIFEST_NAME] = add_surface_to_manifest(files[MANIFEST_NAME], model.ir)
    for relative, text in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


@pytest.fixture
def built(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    base = json.loads(BASE.read_text())
    out = tmp_path / "generated" / "feature-model"
    write_output(load(tmp_path, base, "base.json"), out)
    return base, out


def test_manifest_records_provenance_and_surface(built: tuple[dict[str, Any], Path], tmp_path: Path) -> None:
    base, out = built
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    model = load(tmp_path, base, "again.json")
    assert manifest["surface"]["fingerprint"] == fingerprint(model.ir)
    assert manifest["surface"]["schema_version"] == "v1.2.3"
    assert manifest["schema"]["sha256"] == model.sha256
    assert manifest["generator"]["version"] and manifest["runtime"]
    assert all(len(h) == 64 for h in manifest["files"].values())
    recorded = previous_surface(out)
    assert recorded is not None and recorded.ir is not None
    assert recorded.ir == model.ir.__class__(**{**model.ir.__dict__, "version": "v1.2.3"})


def test_unchanged_surface_passes(built: tuple[dict[str, Any], Path], tmp_path: Path) -> None:
    base, out = built
    assert check_version_guard(load(tmp_path, base, "same.json").ir, out).status == "unchanged"
    doc = copy.deepcopy(base)
    doc["paths"]["/events/crash"]["post"]["summary"] = "x"  # docstrings change: needs a patch release
    with pytest.raises(VersionGuardError, match="documentation: command crash"):
        check_version_guard(load(tmp_path, doc, "docs.json").ir, out)


def test_changed_surface_same_version_is_refused(built: tuple[dict[str, Any], Path], tmp_path: Path) -> None:
    base, out = built
    doc = copy.deepcopy(base)
    doc["paths"].pop("/events/crash")
    model = load(tmp_path, doc, "changed.json")
    with pytest.raises(VersionGuardError) as caught:
        check_version_guard(model.ir, out)
    message = str(caught.value)
    assert "'feature-model'" in message and "v1.2.3" in message
    assert "command crash: command removed" in message and "--allow-same-version" in message
    assert "v2.0.0" in message  # the suggested version
    assert caught.value.exit_code == 3
    overridden = check_version_guard(model.ir, out, allow_same_version=True)
    assert overridden.status == "overridden" and overridden.changes


def test_new_version_passes(built: tuple[dict[str, Any], Path], tmp_path: Path) -> None:
    base, out = built
    doc = copy.deepcopy(base)
    doc["paths"].pop("/events/crash")
    doc["info"]["version"] = "v2.0.0"
    result = check_version_guard(load(tmp_path, doc, "v2.json").ir, out)
    assert result.status == "new-version" and result.previous_version == "v1.2.3"


def test_first_build_and_old_manifest(tmp_path: Path) -> None:
    model = load(tmp_path, json.loads(BASE.read_text()), "m.json")
    assert check_version_guard(model.ir, tmp_path / "nothing").status == "first-build"
    old = tmp_path / "old"
    old.mkdir()
    (old / MANIFEST_NAME).write_text(json.dumps({"format": 1, "model": {"version": "v1.2.3"}}))
    assert check_version_guard(model.ir, old).status == "unknown"
