"""The bad-schema corpus: every file in ``bad_schemas/`` must fail with exactly the
diagnostics listed in its ``<name>.expected`` file (one ``file: pointer: message`` line
each, sorted as reported).

To (re)write the expected files after an intended message change, run
``REACTOR_GEN_UPDATE_BAD_SCHEMAS=1 pytest tests/generator/test_bad_schemas.py`` and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.load import load_model

CORPUS = Path(__file__).resolve().parent / "bad_schemas"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
UPDATE = os.environ.get("REACTOR_GEN_UPDATE_BAD_SCHEMAS") == "1"


def test_corpus_is_complete() -> None:
    names = {p.name for p in CASES}
    for required in (
        "invalid_json.json",
        "invalid_yaml.yaml",
        "unresolved_ref.json",
        "unsupported_oneof.json",
        "bad_title.json",
        "bad_command_name.json",
        "path_operation_mismatch.json",
        "duplicate_track.json",
        "reply_unknown_component.json",
        "class_collision.json",
        "member_collision.json",
        "field_collision_after_escaping.json",
        "bad_version.json",
        "non_object.json",
        "many_problems.json",
        "enum_type_typo.json",
        "title_names_runtime_class.json",
    ):
        assert required in names
    expected = {p.stem for p in CORPUS.glob("*.expected")}
    assert expected == {
        p.stem for p in CASES
    }, "every case needs exactly one .expected file"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_bad_schema(path: Path) -> None:
    with pytest.raises(DiagnosticError) as info:
        load_model(path, file=path.name)
    actual = [str(d) for d in info.value.diagnostics]
    expected_file = path.with_suffix(".expected")
    if UPDATE:
        expected_file.write_text("\n".join(actual) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert actual == expected
    assert str(info.value) == "\n".join(expected)
