"""One description of a generated package's surface (``_surface.json``): every run-time
reader (stand-in, playground, ``new --setup``, ``repr``) reads it, and a package generated
before it existed (its per-reader copies) still works."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from reactor_client.apps.mock.surface import load_surface
from reactor_client.apps.playground.command import playground_surface
from reactor_client.apps.scaffold.command import load_files
from reactor_client.surface import (
    SURFACE_FILE,
    PackageSurface,
    load_package_surface,
    surface_file,
)

ROOT = Path(__file__).resolve().parents[2]
GENERATED = sorted(p for p in (ROOT / "generated").iterdir() if (p / "reactor_models").is_dir())


@pytest.mark.parametrize("package_dir", GENERATED, ids=lambda p: p.name)
def test_the_package_describes_its_surface_once(package_dir: Path) -> None:
    (package,) = (package_dir / "reactor_models").iterdir()
    files = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert SURFACE_FILE in files
    assert not any(f.startswith("_mock/") for f in files)  # the stand-in reads the same file
    playground = (package / "_playground" / "__init__.py").read_text()
    scaffold = (package / "_scaffold" / "__init__.py").read_text()
    client = (package / "_client.py").read_text()
    assert "SURFACE" not in playground and "COMMANDS" not in scaffold
    assert "_command_names" not in client and "_message_names" not in client


def test_every_reader_reads_the_one_description() -> None:
    from reactor_models.feature_model import FeatureModel

    package = "reactor_models.feature_model"
    described = load_package_surface(package)
    assert described is not None and described.format == 2
    data = json.loads((ROOT / "generated/feature-model/reactor_models/feature_model" / SURFACE_FILE).read_text())
    assert described.data == data
    # the playground: command wire name -> typed method and argument names
    page = playground_surface(package)
    assert page is not None and page["commands"]["inspect_file"] == {
        "method": "inspect_file",
        "args": {"file": "file", "note": "note"},
        "uploads": ["file"],
        "reply": "file_info",
    }
    for name, command in page["commands"].items():
        assert callable(getattr(FeatureModel, command["method"])), name
    # new --setup: method -> keywords, the typed methods' own
    _files, setup = load_files(package)
    assert setup["set_color"] == ("blue", "green", "red")
    assert set(setup) == {c["method"] for c in data["commands"]}
    # repr and the notebook card
    model = FeatureModel(local=True)
    commands = ",".join(c["name"] for c in data["commands"])
    assert f"commands=[{commands}]" in repr(model)
    assert all(m["name"] in model._repr_html_() for m in data["messages"])
    # the stand-in
    path = surface_file(package)
    assert path is not None
    stand_in = load_surface(Path(str(path)))
    assert [c.name for c in stand_in.commands] == [c["name"] for c in data["commands"]]


LEGACY_SURFACE = {
    "format": 1,
    "model": {"name": "old-model", "version": "v1", "description": "", "distribution": "x"},
    "tracks": [{"name": "main_video", "kind": "video", "direction": "out"}],
    "commands": [
        {"name": "go", "description": "", "reply": None, "emits": [], "fields": []}
    ],
    "messages": [],
}


def test_a_package_older_than_the_description_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reactor-client 0.2.2 with a package generated for 0.2.1 (allowed by its pin): the
    readers fall back to that package's own copies."""
    package = tmp_path / "old_pkg"
    (package / "_mock").mkdir(parents=True)
    (package / "_playground").mkdir()
    (package / "_scaffold").mkdir()
    (package / "__init__.py").write_text("")
    (package / "_mock" / "surface.json").write_text(json.dumps(LEGACY_SURFACE))
    (package / "_playground" / "__init__.py").write_text(
        "SURFACE = {'model': 'old-model', 'commands': {'go': {'method': 'go', 'args': {},"
        " 'uploads': [], 'reply': None}}, 'messages': []}\n"
    )
    (package / "_scaffold" / "__init__.py").write_text(
        "FILES = {}\nCOMMANDS = {'go': ()}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    load_package_surface.cache_clear()
    try:
        described = load_package_surface("old_pkg")
        assert described is not None and not described.has_python_names
        assert described.command_names == ("go",)
        assert playground_surface("old_pkg") == {
            "model": "old-model",
            "commands": {"go": {"method": "go", "args": {}, "uploads": [], "reply": None}},
            "messages": [],
        }
        assert load_files("old_pkg") == ({}, {"go": ()})
        path = surface_file("old_pkg")
        assert path is not None and load_surface(Path(str(path))).commands[0].name == "go"
    finally:
        load_package_surface.cache_clear()
        sys.modules.pop("old_pkg", None)
        for name in [n for n in sys.modules if n.startswith("old_pkg.")]:
            sys.modules.pop(name)


def test_a_description_of_an_unknown_format_is_not_read(tmp_path: Path) -> None:
    assert PackageSurface({"format": 2, "commands": []}).command_names == ()
    package = tmp_path / "future_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / SURFACE_FILE).write_text(json.dumps({"format": 99}))
    sys.path.insert(0, str(tmp_path))
    try:
        assert load_package_surface("future_pkg") is None
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("future_pkg", None)
