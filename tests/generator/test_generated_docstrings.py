"""Docstrings of generated code follow one convention: reST inline literals (````x````),
never Markdown code spans (schema descriptions are converted), values shown as code
(````"balanced"````), not as Python reprs in prose; and they stay concise: what every
command returns and raises is said once, in the model class's docstring, and what it emits
only in its summary (where the Emits list comes from)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from reactor_gen.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = [
    ROOT / "schemas" / "feature-model.json",
    ROOT / "schemas" / "longlive-v2.json",
    ROOT / "tests" / "models" / "fields_model" / "fields-model.json",
    ROOT / "tests" / "generator" / "warn_schemas" / "default_violates_constraint.json",
]
RST_MARKUP = re.compile(r":[\w.:-]+:`[^`\n]*`|``[\s\S]+?``")  # roles (:class:`X`), literals
REPR_IN_PROSE = re.compile(r"\((?:[^()]*, )?default '")


def docstrings(source: str) -> list[str]:
    """Every docstring of a module: modules, classes, functions and attributes."""
    return [
        node.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


@pytest.fixture(scope="module", params=SCHEMAS, ids=lambda p: p.stem)
def files(request: pytest.FixtureRequest) -> dict[str, str]:
    return build(request.param).files


def test_one_backtick_convention_and_no_reprs(files: dict[str, str]) -> None:
    for rel, text in files.items():
        if not rel.endswith(".py"):
            continue
        for doc in docstrings(text):
            assert "`" not in RST_MARKUP.sub("", doc), f"{rel}: Markdown code span in {doc!r}"
            assert not REPR_IN_PROSE.search(doc), f"{rel}: a repr in {doc!r}"


def test_commands_do_not_repeat_returns_and_raises(files: dict[str, str]) -> None:
    client = next(text for rel, text in files.items() if rel.endswith("/_client.py"))
    tree = ast.parse(client)
    model = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name.endswith("Model"))
    model_doc = ast.get_docstring(model) or ""
    assert "reactor_client.CommandValidationError" in model_doc
    assert "reactor_client.CommandFailedError" in model_doc
    commands = [
        n
        for n in model.body
        if isinstance(n, ast.AsyncFunctionDef) and n.name not in ("step",)
        and not n.name.startswith(("publish_", "unpublish_"))
    ]
    assert commands
    for method in commands:
        doc = ast.get_docstring(method) or ""
        assert "Raises:" not in doc and "Emits:" not in doc, method.name
        has_reply = "None" != ast.unparse(method.returns)
        assert ("Returns:" in doc) == has_reply, method.name


def test_values_are_code_in_docstrings_and_the_readme() -> None:
    package = build(ROOT / "schemas" / "feature-model.json")
    commands = package.files["reactor_models/feature_model/commands.py"]
    assert '"""Effect strength in [0, 1]. (min ``0.0``, max ``1.0``)"""' in commands
    client = package.files["reactor_models/feature_model/_client.py"]
    assert '"""Apply settings; replies with ``configured``.' in client
    readme = package.files["README.md"]
    assert "(min `0.0`, max `1.0`, default `0.5`)" in readme
    assert '(default `"model_busy"`)' in readme and "(default 'model_busy')" not in readme
