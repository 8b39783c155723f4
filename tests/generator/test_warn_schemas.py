"""Schemas that build, with warnings: every file in ``warn_schemas/`` must load and report
exactly the lines of its ``<name>.expected`` file (``file: pointer: warning: message``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reactor_gen.load import load_model
from reactor_gen.pipeline import build

CORPUS = Path(__file__).resolve().parent / "warn_schemas"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".json")


def test_corpus_is_complete() -> None:
    assert {p.name for p in CASES} >= {
        "default_violates_constraint.json",
        "message_field_name.json",
        "misspelt_keyword.json",
    }
    assert {p.stem for p in CORPUS.glob("*.expected")} == {p.stem for p in CASES}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_warnings(path: Path) -> None:
    ir = load_model(path, file=path.name).ir
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [str(w) for w in ir.warnings] == expected


def test_a_default_that_violates_its_constraints_makes_the_argument_required() -> None:
    path = CORPUS / "default_violates_constraint.json"
    package = build(path, file=path.name)
    (command,) = package.ir.commands
    fields = {f.name: f for f in command.params.fields}
    for name in ("at_session_chunk", "prompt"):
        assert fields[name].required and not fields[name].has_default
        assert "violates" in fields[name].unusable_default
    assert not fields["strength"].required and fields["strength"].default == 0.5
    client = package.files["reactor_models/demo/_client.py"]
    signature = client[client.index("async def schedule_scene_cut") :].split(":\n", 1)[0]
    assert "at_session_chunk: int," in signature and "at_session_chunk: int =" not in signature
    assert "prompt: str," in signature and "strength: float = 0.5" in signature
    flat = " ".join(client.split())
    assert "(min ``0``) Must be given: the schema's default ``-1`` violates minimum 0." in flat
    assert 'Must be given: the schema\'s default ``\\""`` violates minLength 1.' in flat
    readme = package.files["README.md"]
    row = next(line for line in readme.splitlines() if line.startswith("| `at_session_chunk`"))
    assert "| ✅ |" in row, row
    commands = package.files["reactor_models/demo/commands.py"]
    params = commands[commands.index("class ScheduleSceneCutParams") :]
    assert "default=-1" not in params and "default=0.5" in params


def test_a_message_field_called_name_warns_and_still_builds() -> None:
    # tests/models/fields_model's Announcement has a field `name` (rendered by the runtime)
    root = Path(__file__).resolve().parents[2]
    schema = root / "tests" / "models" / "fields_model" / "fields-model.json"
    package = build(schema, file=schema.name)
    (warning,) = package.ir.warnings
    assert str(warning).startswith(
        "fields-model.json: /components/schemas/Announcement/properties/name: warning: "
        "reactor-runtime 3.10 sends message 'announcement' with the value of this field "
        "'name' as its wire type"
    )
    assert "class Announcement(" in package.files["reactor_models/fields_model/messages.py"]
