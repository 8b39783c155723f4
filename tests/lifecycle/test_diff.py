"""``diff``: one schema pair per kind of change, with the expected class, bump and exit code."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reactor_gen.lifecycle.commands import main
from reactor_gen.lifecycle.diff import diff_ir, required_bump
from reactor_gen.load import load_model

BASE = Path(__file__).parent / "fixtures" / "feature-model.json"
Doc = dict[str, Any]


def body(doc: Doc, command: str) -> Doc:
    schema: Doc = doc["paths"][f"/events/{command}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema


def prop(doc: Doc, command: str, name: str) -> Doc:
    value: Doc = body(doc, command)["properties"][name]
    return value


def component(doc: Doc, name: str) -> Doc:
    value: Doc = doc["components"]["schemas"][name]
    return value


def rename_command(doc: Doc) -> None:
    item = doc["paths"].pop("/events/crash")
    item["post"]["operationId"] = "crash_now"
    doc["paths"]["/events/crash_now"] = item


def add_command(doc: Doc) -> None:
    item = copy.deepcopy(doc["paths"]["/events/crash"])
    item["post"]["operationId"] = "reboot"
    doc["paths"]["/events/reboot"] = item


def make_required(doc: Doc) -> None:
    del prop(doc, "echo", "repeat")["default"]
    body(doc, "echo")["required"].append("repeat")


def no_longer_required(doc: Doc) -> None:
    prop(doc, "echo", "text")["default"] = ""
    body(doc, "echo")["required"].remove("text")


def add_required_param(doc: Doc) -> None:
    body(doc, "echo")["properties"]["lang"] = {"type": "string", "description": "Language."}
    body(doc, "echo")["required"].append("lang")


def add_message(doc: Doc) -> None:
    doc["webhooks"]["goodbye"] = copy.deepcopy(doc["webhooks"]["hello"])
    doc["webhooks"]["goodbye"]["post"]["operationId"] = "goodbye"
    doc["webhooks"]["goodbye"]["post"]["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Goodbye"
    }
    doc["components"]["schemas"]["Goodbye"] = copy.deepcopy(component(doc, "Hello"))


def remove_message(doc: Doc) -> None:
    del doc["webhooks"]["color_changed"]
    del doc["components"]["schemas"]["ColorChanged"]


def message_field_optional(doc: Doc) -> None:
    component(doc, "Echo")["required"].remove("count")


def rename_component(doc: Doc) -> None:
    schemas = doc["components"]["schemas"]
    schemas["EchoReply"] = schemas.pop("Echo")
    ref = {"$ref": "#/components/schemas/EchoReply"}
    doc["webhooks"]["echo"]["post"]["requestBody"]["content"]["application/json"]["schema"] = ref
    doc["paths"]["/events/echo"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] = ref


def reply_changed(doc: Doc) -> None:
    response = doc["paths"]["/events/echo"]["post"]["responses"]["200"]
    response["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Configured"}
    response["description"] = "Configured"


def reply_dropped(doc: Doc) -> None:
    doc["paths"]["/events/echo"]["post"]["responses"] = {"202": {"description": "Command accepted"}}


def retype_repeat(doc: Doc) -> None:
    body(doc, "echo")["properties"]["repeat"] = {"type": "string", "default": "1", "description": "How many times."}


def set_track(index: int, **values: str) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        doc["x-reactor"]["tracks"][index].update(values)

    return apply


# (id, mutation, classes that must show up (the most severe one decides), exit code, semver level)
CASES: list[tuple[str, Callable[[Doc], None], set[str], int, str]] = [
    ("unchanged", lambda d: None, set(), 0, "none"),
    ("command removed", lambda d: d["paths"].pop("/events/crash"), {"breaking"}, 1, "major"),
    ("command renamed", rename_command, {"breaking", "compatible"}, 1, "major"),
    ("new command", add_command, {"compatible"}, 0, "minor"),
    ("new optional parameter", lambda d: body(d, "echo")["properties"].update(
        {"loud": {"type": "boolean", "default": False, "description": "Shout."}}), {"compatible"}, 0, "minor"),
    ("new required parameter", add_required_param, {"breaking"}, 1, "major"),
    ("parameter removed", lambda d: body(d, "echo")["properties"].pop("repeat"), {"breaking"}, 1, "major"),
    ("parameter made required", make_required, {"breaking", "compatible"}, 1, "major"),
    ("parameter no longer required", no_longer_required, {"compatible"}, 0, "minor"),
    ("type changed", retype_repeat, {"breaking"}, 1, "major"),
    ("type narrowed", lambda d: prop(d, "configure", "strength").update(
        {"type": "integer", "default": 0, "minimum": 0, "maximum": 1}), {"breaking"}, 1, "major"),
    ("type widened (parameter)", lambda d: prop(d, "echo", "repeat").update({"type": "number"}), {"compatible"}, 0, "minor"),
    ("constraint tightened", lambda d: prop(d, "echo", "repeat").update({"maximum": 5}), {"breaking"}, 1, "major"),
    ("constraint added", lambda d: prop(d, "echo", "text").update({"minLength": 1}), {"breaking"}, 1, "major"),
    ("constraint loosened", lambda d: prop(d, "echo", "repeat").update({"maximum": 20}), {"compatible"}, 0, "minor"),
    ("constraint removed", lambda d: prop(d, "echo", "text").pop("maxLength"), {"compatible"}, 0, "minor"),
    ("enum value removed", lambda d: prop(d, "configure", "mode")["enum"].remove("quality"), {"breaking"}, 1, "major"),
    ("enum value added", lambda d: prop(d, "configure", "mode")["enum"].append("ultra"), {"compatible"}, 0, "minor"),
    ("reply type changed", reply_changed, {"breaking"}, 1, "major"),
    ("reply dropped", reply_dropped, {"breaking"}, 1, "major"),
    ("new message", add_message, {"compatible"}, 0, "minor"),
    ("message removed", remove_message, {"breaking"}, 1, "major"),
    ("message field removed", lambda d: (component(d, "Echo")["properties"].pop("count"),
        component(d, "Echo")["required"].remove("count")), {"breaking"}, 1, "major"),
    ("new message field (required)", lambda d: (component(d, "Echo")["properties"].update(
        {"lang": {"type": "string"}}), component(d, "Echo")["required"].append("lang")), {"compatible"}, 0, "minor"),
    ("message field may be absent", message_field_optional, {"breaking"}, 1, "major"),
    ("message field may be null", lambda d: component(d, "Echo")["properties"].update(
        {"count": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}), {"breaking"}, 1, "major"),
    ("component renamed (Python class)", rename_component, {"breaking"}, 1, "major"),
    ("track removed", lambda d: d["x-reactor"]["tracks"].pop(2), {"breaking"}, 1, "major"),
    ("new track", lambda d: d["x-reactor"]["tracks"].append(
        {"name": "depth", "kind": "video", "direction": "out"}), {"compatible"}, 0, "minor"),
    ("track kind changed", set_track(2, kind="video"), {"breaking"}, 1, "major"),
    ("track direction changed", set_track(0, direction="out"), {"breaking"}, 1, "major"),
    ("command summary", lambda d: d["paths"]["/events/crash"]["post"].update({"summary": "Crash."}),
        {"documentation"}, 0, "patch"),
    ("field description", lambda d: prop(d, "echo", "text").update({"description": "Echoed."}),
        {"documentation"}, 0, "patch"),
    ("model description", lambda d: d["info"].update({"description": "Other."}), {"documentation"}, 0, "patch"),
]


def write(path: Path, doc: Doc) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return path


@pytest.mark.parametrize(("mutate", "classes", "code", "level"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_diff_table(
    mutate: Callable[[Doc], None], classes: set[str], code: int, level: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = json.loads(BASE.read_text())
    changed = copy.deepcopy(base)
    mutate(changed)
    old = write(tmp_path / "old.json", base)
    new = write(tmp_path / "new.json", changed)
    changes = diff_ir(load_model(old).ir, load_model(new).ir)
    kinds = {c.kind for c in changes}
    # every expected class shows up; side effects (a retyped field loses its bounds...)
    # may add milder ones, never a more severe one
    assert classes <= kinds, [str(c) for c in changes]
    order = ["breaking", "compatible", "documentation"]
    assert min(map(order.index, kinds), default=None) == min(map(order.index, classes), default=None)
    assert required_bump(changes, "v1.2.3").level == level
    assert main(["diff", str(old), str(new), "--no-api"]) == code
    out = capsys.readouterr().out
    assert ("BREAKING (exit 1)" in out) == (code == 1)


def test_bump_suggestions_and_zero_major() -> None:
    from reactor_gen.lifecycle.diff import Change

    breaking = [Change("breaking", "command x", "command removed")]
    compatible = [Change("compatible", "command y", "new command")]
    docs = [Change("documentation", "command y", "summary changed")]
    assert required_bump(breaking, "v3.0.5").suggested == "v4.0.0"
    assert required_bump(compatible, "v3.0.5-ge6187a05").suggested == "v3.1.0"
    assert required_bump(docs, "3.0.5").suggested == "3.0.6"
    zero = required_bump(breaking, "v0.4.2", "v0.5.0")
    assert (zero.level, zero.effective, zero.suggested, zero.satisfied_by) == ("major", "minor", "v0.5.0", True)
    assert "0.x" in zero.describe()
    assert required_bump(compatible, "v0.4.2").suggested == "v0.4.3"
    assert required_bump(breaking, "v3.0.5", "v3.9.0").satisfied_by is False


def committed_repo(tmp_path: Path) -> tuple[Path, Path, Doc]:
    """A git repository whose one commit holds ``schemas/feature-model.json`` (BASE):
    (the repository, the schema file, the committed document)."""
    import subprocess

    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    target = repo / "schemas" / "feature-model.json"
    base = json.loads(BASE.read_text())
    write(target, base)
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    return repo, target, base


def test_diff_model_and_git_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, target, base = committed_repo(tmp_path)
    changed = copy.deepcopy(base)
    changed["paths"].pop("/events/crash")
    changed["info"]["version"] = "v2.0.0"
    write(target, changed)
    assert main(["diff", "feature-model", "HEAD", "--no-api", "--root", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "command crash" in out and "v1.2.3 → v2.0.0" in out and "satisfies" in out
    assert main(["diff", "feature-model", "no-such-rev", "--no-api", "--root", str(repo)]) == 2
    assert main(["diff", "nope", "HEAD", "--no-api", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert "unknown model 'nope'" in err and "Traceback" not in err


def test_diff_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["diff", str(bad), str(BASE), "--no-api"]) == 2
    assert main(["diff", str(tmp_path / "missing.json"), str(BASE), "--no-api"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "no such schema file" in err and "Traceback" not in err


def test_python_api_check_with_griffe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A component rename renames the generated class: griffe reports it as breaking."""
    from reactor_gen.lifecycle.api_diff import api_changes

    base = json.loads(BASE.read_text())
    changed = copy.deepcopy(base)
    rename_component(changed)
    old = write(tmp_path / "old.json", base)
    new = write(tmp_path / "new.json", changed)
    found = api_changes(load_model(old), load_model(new), skip_surface=False)
    assert found and all(c.kind == "breaking" for c in found)
    assert any(c.where.startswith("python reactor_models.feature_model") and "Echo" in c.where for c in found)
    # an added optional parameter changes no existing Python name: griffe finds nothing
    added = copy.deepcopy(base)
    body(added, "echo")["properties"]["loud"] = {"type": "boolean", "default": False}
    assert api_changes(load_model(old), load_model(write(tmp_path / "added.json", added))) == []
    assert all("._" not in c.where for c in found), "private paths are not the API"
    # through the command, the surface diff already reports the rename: once
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "Python class" in out and "python reactor_models" not in out


def test_diff_one_removed_command_is_one_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Python API check (on by default) adds nothing the surface diff reports."""
    schema = Path(__file__).resolve().parents[2] / "schemas" / "longlive-v2.json"
    doc = json.loads(schema.read_text())
    del doc["paths"]["/events/resume"]
    new = write(tmp_path / "new.json", doc)
    assert main(["diff", str(schema), str(new)]) == 1
    out = capsys.readouterr().out
    assert "1 breaking, 0 compatible, 0 documentation" in out
    assert "_client" not in out and "python " not in out
    assert "needs a major release: v3.0.5 → v4.0.0 or later" in out
    assert "the new schema says v3.0.5: set info.version to v4.0.0" in out


def test_diff_says_when_the_new_version_is_enough(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = Path(__file__).resolve().parents[2] / "schemas" / "longlive-v2.json"
    doc = json.loads(schema.read_text())
    doc["info"]["description"] = "Reworded."
    doc["info"]["version"] = "v3.0.6"
    new = write(tmp_path / "new.json", doc)
    assert main(["diff", str(schema), str(new), "--no-api"]) == 0
    out = capsys.readouterr().out
    assert "needs a patch release: v3.0.5 → v3.0.6 or later; the new schema's v3.0.6 satisfies it" in out
    assert "0 breaking, 0 compatible, 1 documentation" in out


def test_diff_model_rev_header_names_the_model_and_which_side_is_old(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``diff MODEL REV``: REV is old, the working tree new, and the header names MODEL (not
    whatever title the working tree's file now has), with both sides spelled out."""
    repo, target, base = committed_repo(tmp_path)
    other = copy.deepcopy(base)
    other["info"]["title"] = "other-model"  # another model's schema landed in the file
    other["info"]["version"] = "v9.0.0"
    write(target, other)
    assert main(["diff", "feature-model", "HEAD", "--no-api", "--root", str(repo)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "feature-model v1.2.3 → v9.0.0 (old: schemas/feature-model.json at HEAD, new: the working tree)"
    )
    write(target, base)
    assert main(["diff", "feature-model", "HEAD", "--no-api", "--root", str(repo)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "feature-model v1.2.3 → v1.2.3 (old: schemas/feature-model.json at HEAD, new: the working "
        "tree): no surface changes"
    )
    # the revision first: the message says the model comes first
    assert main(["diff", "HEAD", "feature-model", "--no-api", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown model 'HEAD'" in err
    assert "the model comes first: reactor-gen diff feature-model HEAD" in err
    # a misspelt model: the closest known one
    assert main(["diff", "feature-modle", "HEAD", "--no-api", "--root", str(repo)]) == 2
    assert "did you mean 'feature-model'?" in capsys.readouterr().err


def test_diff_files_header_names_old_and_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = json.loads(BASE.read_text())
    renamed = copy.deepcopy(base)
    renamed["info"]["title"] = "other-model"
    old = write(tmp_path / "old.json", base)
    new = write(tmp_path / "new.json", renamed)
    assert main(["diff", str(old), str(new), "--no-api"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"feature-model (now other-model) v1.2.3 → v1.2.3 (old: {old}, new: {new})"
    )


def test_diff_help_says_which_side_is_old(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "OLD|MODEL NEW|REV" in text
    assert "schemas/MODEL.json at git revision REV is the old schema, the working tree's is the new one" in text
