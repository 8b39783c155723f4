"""The renderer lays code out as black does, so black formats each file in one pass.

black runs a second full pass over any file its first pass changed; a rendered file already
in black's layout costs half as much to format (the cold-build target of issue 17). These
tests keep the shipped schemas at zero drift and check each layout helper against black
itself. The bytes written never depend on this: every ``.py`` file still goes through black.
"""

from __future__ import annotations

import ast
import itertools
import random
from pathlib import Path

import black
import pytest

from reactor_gen.format import black_mode
from reactor_gen.format.drift import drift
from reactor_gen.pipeline import load_model
from reactor_gen.pyliterals import py_str
from reactor_gen.render import render_model
from reactor_gen.render.pylayout import (
    annotated,
    as_call,
    as_literal,
    py_assign,
    py_call,
    py_def,
    py_docstring,
    py_items,
    py_union,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = sorted((ROOT / "schemas").glob("*.json"))


def _black(text: str) -> str:
    return black.format_str(text, mode=black_mode())


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.stem for s in SCHEMAS])
def test_shipped_schemas_render_in_blacks_layout(schema: Path) -> None:
    loaded = load_model(schema)
    files = render_model(loaded.ir, schema_name=schema.name, schema_sha256=loaded.sha256)
    found = drift(files)
    assert not found, "black changes rendered code (scripts/format-drift shows it):\n" + "\n".join(
        line for lines in found.values() for line in lines[:40]
    )


def test_choices_with_brackets_in_them_build(tmp_path: Path) -> None:
    """Brackets, quotes and ``|`` inside long enum values are text, not structure."""
    import json

    from reactor_gen.pipeline import build

    document = json.loads((ROOT / "schemas" / "feature-model.json").read_text())
    mode = "a) fast preview", "b) balanced] | x, y", 'c) "high" quality [', "d) maximum quality"
    text = json.dumps(document).replace('["fast", "balanced", "quality"]', json.dumps(list(mode)))
    text = text.replace('"default": "balanced"', '"default": "a) fast preview"')
    assert text.count("a) fast preview") >= 3  # the enum (params and reply) and the default
    schema = tmp_path / "feature-model.json"
    schema.write_text(text)
    package = build(schema)
    for path, source in package.files.items():
        if path.endswith(".py"):
            compile(source, path, "exec")
    commands = package.files["reactor_models/feature_model/commands.py"]
    assert '"b) balanced] | x, y"' in commands


def test_drift_reports_what_black_changes() -> None:
    found = drift({"a.py": "x = {'a':1}\n", "b.py": "y = 1\n", "c.txt": "z = 'q'\n"})
    assert list(found) == ["a.py"]
    assert "-x = {'a':1}" in found["a.py"] and '+x = {"a": 1}' in found["a.py"]


def _names(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice("abcdefghij_") for _ in range(rng.randint(1, 22))) for _ in range(n)]


def _module(line: str, indent: int) -> str:
    """``line`` placed at ``indent`` inside enough blocks to be valid Python."""
    if indent == 0:
        return line + "\n"
    opener = "class C:\n" if indent == 4 else "class C:\n    async def f(self):\n"
    return opener + " " * indent + line + "\n"


@pytest.mark.parametrize("seed", range(60))
def test_signatures_match_black(seed: int) -> None:
    rng = random.Random(seed)
    indent = rng.choice([0, 4])
    params: list[object] = ["self"] if indent else []
    if rng.random() < 0.7:
        params.append("*")
    for name in _names(rng, rng.randint(1, 6)):
        annotation = rng.choice(
            [
                "int",
                "str | None",
                "typing.Literal['fast', 'balanced', 'quality']",
                "typing.Mapping[str, typing.Sequence[reactor_client.StepInputFrame]] | None",
                "reactor_client.UploadReference | str | os.PathLike[str] | bytes",
                "dict[str, float] | None",
            ]
        ).replace("'", '"')
        default = rng.choice([None, "None", '"balanced"', "4", "0.5"])
        params.append(annotated(name, annotation, default))
    tail = rng.choice([") -> None:", ") -> _messages.Configured | None:"])
    laid_out = py_def(indent, "async def " + _names(rng, 1)[0] + "(", params, tail)
    source = _module(laid_out + "\n" + " " * (indent + 4) + "pass", indent)
    assert _black(source) == source


@pytest.mark.parametrize("seed", range(60))
def test_calls_and_assignments_match_black(seed: int) -> None:
    rng = random.Random(1000 + seed)
    indent = rng.choice([0, 4, 8])
    names = _names(rng, rng.randint(0, 5))
    fields = py_items("{", [f'"{n}": {n}' for n in names], "}", collection=True)
    call = py_items(
        "_typed.validate_params(", ["_commands." + _names(rng, 1)[0], f'"{names}"', fields], ")"
    )
    target = rng.choice(
        [
            "params",
            "mode: typing.Literal[" + ", ".join(f'"{n}"' for n in names or ["x"]) + "]",
            "COMMAND: typing.ClassVar[typing.Literal['set_rotation_speed_deg']]".replace("'", '"'),
        ]
    )
    value = rng.choice([call, as_call(f'pydantic.Field(default="{names}")'), '"' + "s" * 40 + '"'])
    source = _module(py_assign(indent, target, value), indent)
    assert _black(source) == source
    statement = py_call(indent, "await self._client.send_command(", [f'"{n}"' for n in names])
    source = _module(statement, indent)
    assert _black(source) == source


_TRICKY = [
    "a) fast preview",
    "x[",
    "y]] | z, w",
    'say "hi", then: go',
    "it's {odd}",
    "back\\slash",
    "東京 の 夜景 " * 3,
    "|",
    ", ",
    ": ",
]


def _tricky_literal(rng: random.Random) -> str:
    return py_str(rng.choice(_TRICKY) + "".join(rng.choice("ab([{)]}|,: '\"") for _ in range(4)))


@pytest.mark.parametrize("seed", range(300))
def test_layout_keeps_the_code_it_lays_out(seed: int) -> None:
    """Whatever the names and string contents (brackets, quotes, ``|``, ``, `` inside
    strings, wide characters), every helper's output is valid Python with the same syntax
    tree as the one-line form: it only moves line breaks."""
    rng = random.Random(5000 + seed)
    indent = rng.choice([0, 4, 8])
    choices = ", ".join(_tricky_literal(rng) for _ in range(rng.randint(1, 5)))
    annotation = rng.choice(
        [
            f"typing.Literal[{choices}]",
            f"typing.Literal[{choices}] | None",
            f"typing.Annotated[typing.Literal[{choices}], _one_of({choices})]",
            "dict[str, float] | None",
        ]
    )
    name = "n" + "".join(rng.choice("abcdefghij_") for _ in range(rng.randint(1, 30)))
    default = _tricky_literal(rng)
    params: list[object] = ["self", "*", annotated(name, annotation, default)]
    params += [annotated(n, "str", _tricky_literal(rng)) for n in _names(rng, rng.randint(0, 3))]
    tail = ") -> None:"
    signature = py_def(indent, "async def f(", params, tail)
    flat = (
        "async def f(" + ", ".join(p if isinstance(p, str) else p.one_line() for p in params) + tail
    )
    assert _tree(signature, indent, body=True) == _tree(flat, indent, body=True)

    value = as_call(f"pydantic.Field(default={default}, description={_tricky_literal(rng)})")
    assigned = py_assign(indent, f"{name}: {annotation}", value)
    flat = f"{name}: {annotation} = {value if isinstance(value, str) else value.one_line()}"
    assert _tree(assigned, indent) == _tree(flat, indent)

    literal_text = (
        "{"
        + ", ".join(
            f"{_tricky_literal(rng)}: [{_tricky_literal(rng)}, {{{_tricky_literal(rng)}: 1}}]"
            for _ in range(rng.randint(1, 4))
        )
        + "}"
    )
    laid_out = py_assign(indent, "x", as_literal(literal_text, magic=rng.random() < 0.5))
    assert _tree(laid_out, indent) == _tree(f"x = {literal_text}", indent)


def _tree(code: str, indent: int, *, body: bool = False) -> str:
    source = _module(code + ("\n" + " " * (indent + 4) + "pass" if body else ""), indent)
    return ast.dump(ast.parse(source))


@pytest.mark.parametrize("members", [2, 4, 9])
def test_unions_match_black(members: int) -> None:
    names = [f"CommandNumber{n}Params" for n in range(members)]
    source = py_union(0, "AnyCommand: typing.TypeAlias", names) + "\n"
    assert _black(source) == source


def test_nested_literals_match_black() -> None:
    entries = [
        f'"{name}": {{"label": "Take 1", "region": {{"origin": {{"x": 0, "y": 0}}}}, "n": {n}}}'
        for n, name in enumerate(["configure", "inspect_file", "report_input"])
    ]
    literal = as_literal("{" + ", ".join(entries) + "}", magic=True)
    target = (
        "_reply_examples: typing.ClassVar[typing.Mapping[str, typing.Mapping[str, typing.Any]]]"
    )
    source = _module(py_assign(4, target, literal), 4)
    assert _black(source) == source


@pytest.mark.parametrize(
    ("indent", "body", "closing"),
    list(
        itertools.product(
            [4, 8],
            ["One line.", "First line\nsecond line.", "First\n" + "x" * 84, "First\n" + "x" * 70],
            ["inline", "own"],
        )
    ),
)
def test_docstrings_match_black(indent: int, body: str, closing: str) -> None:
    source = _module(py_docstring(indent, body, closing=closing), indent)
    assert _black(source) == source


@pytest.mark.parametrize(
    "value", ["", "plain", "it's", 'say "hi"', "both ' and \"", "''\"", "\\", "a\\'b", "tab\there"]
)
def test_string_literals_use_blacks_quotes(value: str) -> None:
    source = f"x = {py_str(value)}\n"
    assert _black(source) == source
    assert eval(py_str(value)) == value  # noqa: S307 - our own literal
