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
    testing = importlib.import_module(f"reactor_models.{package}.testing")
    for snippet in snippets:
        tree = compile(snippet, str(readme), "exec", flags)
        # "Testing your app": there ``model`` is the package's fake (the model class and more)
        cls = model_cls
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in (
                module.__name__,
                testing.__name__,
            ):
                source = module if node.module == module.__name__ else testing
                missing = [a.name for a in node.names if not hasattr(source, a.name)]
                assert not missing, f"{readme.parent.name}: imports {missing} that do not exist"
                if source is testing:
                    cls = getattr(testing, node.names[0].name)
                    assert issubclass(cls, model_cls)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "model":
                    assert hasattr(cls, node.attr), f"model.{node.attr} does not exist"


@pytest.fixture(scope="module")
def feature_readme() -> str:
    from reactor_gen.pipeline import build

    return build(ROOT / "schemas" / "feature-model.json").files["README.md"]


def _section(readme: str, heading: str) -> str:
    return readme.split(heading, 1)[1].split("\n### ", 1)[0]


def test_readme_tables_show_choices_without_escaped_pipes(feature_readme: str) -> None:
    rows = [line for line in feature_readme.splitlines() if line.startswith("| `")]
    assert rows and not [row for row in rows if "\\|" in row]
    configure = _section(feature_readme, "### `configure`")
    assert '| `mode` | one of `"fast"`, `"balanced"`, `"quality"` |' in configure
    assert "| `quality` | one of `1`, `2`, `3` |" in configure


def test_readme_lists_the_fields_of_nested_parameter_and_message_types(
    feature_readme: str,
) -> None:
    configure = _section(feature_readme, "### `configure`")
    assert (
        "`ConfigureParamsRegion` (an instance or a dict with these keys): Optional region."
    ) in configure
    region = configure.split("`ConfigureParamsRegion` (", 1)[1]
    assert "| `origin` | ConfigureParamsRegionOrigin | ✅ |" in region
    assert "| `width` | float |  |" in region
    origin = configure.split("`ConfigureParamsRegionOrigin` (", 1)[1]
    assert "| `x` | int | ✅ |" in origin and "| `y` | int | ✅ |" in origin
    configured = _section(feature_readme, "### `configured`")
    assert "`ConfiguredRegion`: Region of interest, or null." in configured
    assert "| `origin` | ConfiguredRegionOrigin |" in configured
    assert "| `x` | int |" in configured.split("`ConfiguredRegionOrigin`", 1)[1]


def test_readme_examples_follow_each_field(feature_readme: str) -> None:
    configure = _section(feature_readme, "### `configure`")
    example = next(line for line in configure.splitlines() if "model.configure(" in line)
    assert 'label="Take 1"' in example and 'note="First try"' in example
    assert 'tags=["outdoor"]' in example and 'weights={"example": 0.5}' in example
    assert "A sunset over the ocean" not in feature_readme
    assert 'model.echo(repeat=1, text="Hello")' in feature_readme
    # a prompt is still a scene, an editing instruction an instruction
    assert (
        'model.set_shot(prompt="A sunset over the ocean")'
        in (ROOT / "generated" / "longlive-v2" / "README.md").read_text()
    )


def test_readme_track_wording(feature_readme: str) -> None:
    assert "An audio track the model sends" in feature_readme
    assert "A audio" not in feature_readme and "A video track the model sends" in feature_readme
    assert "newest first" not in feature_readme
    assert "in arrival order; if you fall behind, the oldest are dropped" in feature_readme


def test_example_values_come_from_each_field() -> None:
    from reactor_gen.ir.model import Constraints, Field
    from reactor_gen.types import SchemaType, EnumType, ListType, StringType
    from reactor_gen.render.examples import EDIT_TEXT, SAMPLE_TEXT, example_value

    def value(
        name: str, t: SchemaType, description: str = "", constraints: Constraints | None = None
    ) -> object:
        c = constraints or Constraints()
        f = Field(name, t, required=True, description=description, constraints=c)
        return example_value(f)

    text = StringType()
    assert value("prompt", text) == SAMPLE_TEXT
    assert value("prompt", text, "Editing instruction (not a scene description).") == EDIT_TEXT
    assert value("negative_prompt", text) == "blurry, low quality"
    assert value("action", text, 'Composite action, e.g. "w+left", "still".') == "w+left"
    assert value("callback", StringType(format="uri")).startswith("https://")
    assert value("file_name", text) == "input.png"
    assert value("mime_type", text) == "example mime type"
    assert value("label", text, constraints=Constraints(max_length=4)) == "Take"
    assert value("code", text, constraints=Constraints(min_length=14)) == "example codexx"
    assert value("tags", ListType(text)) == ["outdoor"]
    assert value("mode", EnumType(("a", "b"))) == "a"
