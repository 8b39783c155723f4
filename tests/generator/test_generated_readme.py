"""Every Python snippet in every generated README is valid Python (top-level ``await`` allowed,
as in an async REPL or notebook) and uses only names the package really has."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = sorted((ROOT / "generated").glob("*/README.md"))
FENCE = re.compile(r"```python\n(.*?)```", re.S)


def _model_class(module: ModuleType) -> type:
    name = next(n for n in module.__all__ if n.endswith("Model") and n != "UnknownMessage")
    cls = getattr(module, name)
    assert isinstance(cls, type)
    return cls


@pytest.mark.parametrize("readme", READMES, ids=lambda p: p.parent.name)
def test_readme_snippets_compile_and_use_real_names(readme: Path) -> None:
    snippets = FENCE.findall(readme.read_text(encoding="utf-8"))
    assert len(snippets) >= 5, "every command and message section has an example"
    package = next((readme.parent / "reactor_models").iterdir()).name
    module = importlib.import_module(f"reactor_models.{package}")
    model_cls = _model_class(module)
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    for snippet in snippets:
        tree = compile(snippet, str(readme), "exec", flags)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == module.__name__:
                missing = [a.name for a in node.names if not hasattr(module, a.name)]
                assert not missing, f"{readme.parent.name}: imports {missing} that do not exist"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "model":
                    assert hasattr(model_cls, node.attr), f"model.{node.attr} does not exist"
