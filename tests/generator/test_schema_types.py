"""The schema types as classes (``reactor_gen.types``): what each kind owns, that the IR's
canonical form is unchanged by them, and that a new kind is one class."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
from reactor_gen.ir.build import build_ir
from reactor_gen.ir.model import Constraints, Field, ModelIR, ObjectType
from reactor_gen.ir.serialize import from_canonical, to_canonical
from reactor_gen.lifecycle.diff import diff_ir
from reactor_gen.naming import apply_names
from reactor_gen.render import render_model
from reactor_gen.types import (
    KINDS,
    AnyType,
    BooleanType,
    DictType,
    EnumType,
    IntegerType,
    ListType,
    NullableType,
    NumberType,
    ObjectRefType,
    SchemaType,
    StringType,
    UploadType,
    Widget,
    WidgetInput,
    from_parts,
)

GENERATOR = Path(__file__).resolve().parents[2] / "generator" / "reactor_gen"

POINT = ObjectType(
    fields=(Field(name="x", type=IntegerType(), required=True, py_name="x"),),
    class_name="Point",
)

# type, command annotation, message annotation, argument annotation, doc type
TABLE: list[tuple[SchemaType, str, str, str, str]] = [
    (StringType(), "str", "str", "str", "str"),
    (IntegerType(), "pydantic.StrictInt", "int", "int", "int"),
    (NumberType(), "pydantic.StrictFloat", "float", "float", "float"),
    (BooleanType(), "pydantic.StrictBool", "bool", "bool", "bool"),
    (AnyType(), "typing.Any", "typing.Any", "typing.Any", "any"),
    (
        UploadType(),
        "UploadSource",
        "reactor_client.UploadReference",
        "reactor_client.UploadReference | str | os.PathLike[str] | bytes",
        "upload (path, bytes or UploadReference)",
    ),
    (
        EnumType(("fast", "slow")),
        'typing.Literal["fast", "slow"]',
        'typing.Literal["fast", "slow"]',
        'typing.Literal["fast", "slow"]',
        'one of `"fast"`, `"slow"`',
    ),
    (
        EnumType((1, 2)),
        "typing.Annotated[typing.Literal[1, 2], _one_of(1, 2)]",
        "typing.Literal[1, 2]",
        "typing.Literal[1, 2]",
        "one of `1`, `2`",
    ),
    (
        EnumType((0.5, 1.0)),
        "typing.Annotated[float, _one_of(0.5, 1.0)]",
        "float",
        "float",
        "float, one of `0.5`, `1.0`",
    ),
    (
        NullableType(ListType(IntegerType())),
        "list[pydantic.StrictInt] | None",
        "list[int] | None",
        "list[int] | None",
        "list[int] or None",
    ),
    (
        DictType(NumberType()),
        "dict[str, pydantic.StrictFloat]",
        "dict[str, float]",
        "dict[str, float]",
        "dict[str, float]",
    ),
    (
        ObjectRefType(POINT),
        "Point",
        "Point",
        "_commands.Point | typing.Mapping[str, typing.Any]",
        "Point",
    ),
]


@pytest.mark.parametrize("t, command, message, arg, doc", TABLE, ids=lambda v: str(v)[:40])
def test_each_kind_owns_its_python_and_doc_types(
    t: SchemaType, command: str, message: str, arg: str, doc: str
) -> None:
    assert t.model_type("command") == command
    assert t.model_type("message") == message
    assert t.arg_type() == arg
    assert t.doc_type() == doc
    assert "|" not in t.doc_type()  # README table cells


def test_kinds_registry_and_parts_round_trip() -> None:
    assert set(KINDS) == {
        "string",
        "integer",
        "number",
        "boolean",
        "enum",
        "nullable",
        "list",
        "dict",
        "object",
        "upload",
        "any",
    }
    for t, *_ in TABLE:
        rebuilt = from_parts(t.kind, t.inner, t.choices, t.object_type)
        assert rebuilt == t and type(rebuilt) is type(t)
    # the string format is README-only: not part of equality
    assert StringType(format="uri") == StringType()
    # different kinds never compare equal, even when their parts do
    assert ListType(AnyType()) != DictType(AnyType())


@pytest.mark.parametrize(
    "t, good, bad",
    [
        (IntegerType(), [0, -3], [1.5, True, "1", None]),
        (NumberType(), [1, 1.5], [True, "0.25", None]),
        (BooleanType(), [True], [1, "true"]),
        (EnumType((1.0, 2.0)), [1, 2.0], [True, 3, "1"]),
        (EnumType(("a",)), ["a"], ["b", None]),
        (NullableType(IntegerType()), [None, 4], ["4"]),
        (ListType(StringType()), [[], ["a"]], [["a", 1], "a"]),
        (DictType(IntegerType()), [{}, {"a": 1}], [{"a": "1"}, []]),
        (ObjectRefType(POINT), [{"x": 1}], [{}, {"x": 1, "y": 2}, {"x": "1"}]),
        (UploadType(), [{"upload_id": "u"}], ["path.png"]),
        (AnyType(), [None, 1, "x", [1]], []),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, SchemaType) else "",
)
def test_conformance_of_defaults(t: SchemaType, good: list[Any], bad: list[Any]) -> None:
    for value in good:
        assert t.conforms(value), value
    for value in bad:
        assert not t.conforms(value), value


def test_widening_rules_belong_to_the_types() -> None:
    assert NumberType().includes(IntegerType())
    assert not IntegerType().includes(NumberType())
    assert NullableType(StringType()).includes(StringType())
    assert NullableType(NumberType()).includes(IntegerType())
    assert not NullableType(StringType()).includes(NullableType(StringType()))
    assert AnyType().includes(StringType()) and not AnyType().includes(AnyType())


def test_keywords_that_apply_follow_the_type() -> None:
    assert IntegerType().takes_bounds and NumberType().takes_bounds
    assert EnumType((1, 2.5)).takes_bounds and not EnumType((1, "a")).takes_bounds
    assert not StringType().takes_bounds
    assert StringType().takes_lengths and ListType(AnyType()).takes_lengths
    assert not DictType(AnyType()).takes_lengths
    assert NullableType(EnumType((1,))).unwrap().takes_bounds
    assert NullableType(AnyType()).admits_null and AnyType().admits_null
    assert not StringType().admits_null


def _field(t: SchemaType, **kw: Any) -> Field:
    return Field(name="f", type=t, required=False, py_name="f", **kw)


def test_widgets() -> None:
    def draw(t: SchemaType, **kw: Any) -> Widget:
        f = _field(t, **kw)
        default = kw.get("default")
        return t.widget(WidgetInput(f, False, default, default is not None, None))

    assert draw(IntegerType(), constraints=Constraints(minimum=1, maximum=8)) == Widget(
        kind="integer", input_type="number", attrs=(("step", "1"), ("min", "1"), ("max", "8"))
    )
    assert draw(BooleanType(), has_default=True, default=True) == Widget(
        kind="boolean", input_type="checkbox", checked=True
    )
    assert draw(BooleanType()).choices == (True, False)  # no default: three states
    assert draw(EnumType(("a", "b"))) == Widget(
        kind="enum", element="select", choices=("a", "b"), blank=True
    )
    assert draw(StringType(), constraints=Constraints(max_length=500)).element == "textarea"
    assert draw(ListType(IntegerType()), has_default=True, default=(1,)).kind == "json"
    assert draw(UploadType()).input_type == "file"


def test_examples() -> None:
    assert ListType(StringType()).example(_field(ListType(StringType())), "tags", "") == ["outdoor"]
    assert IntegerType().example(_field(IntegerType(), constraints=Constraints(minimum=3)), "n", "")
    assert NumberType().example(None, "ratio", "") == 0.5
    assert EnumType(("x", "y")).example(None, "mode", "") == "x"
    assert DictType(IntegerType()).example(None, "counts", "") == {"example": 0}
    assert ObjectRefType(POINT).example(None, "p", "") == {"x": 0}


SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "tiny", "version": "v1.0.0", "description": ""},
    "x-reactor": {"tracks": []},
    "paths": {
        "/events/paint": {
            "post": {
                "operationId": "paint",
                "summary": "Paint.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "colour": {"type": "string", "default": "#000000"},
                                    "sizes": {"type": "array", "items": {"type": "integer"}},
                                    "mode": {"enum": [0.5, 1.0], "type": "number"},
                                    "where": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                                },
                            }
                        }
                    },
                },
                "responses": {"202": {"description": "Command accepted"}},
            }
        }
    },
}


def _ir() -> ModelIR:
    return apply_names(build_ir(SCHEMA, file="t.json"), file="t.json")


def test_canonical_form_keeps_surface_format_2() -> None:
    ir = _ir()
    data = to_canonical(ir)
    fields = {f["name"]: f["type"] for f in data["commands"][0]["params"]["fields"]}
    assert fields["sizes"] == {
        "kind": "list",
        "item": {"kind": "integer", "item": None, "enum_values": [], "obj": None},
        "enum_values": [],
        "obj": None,
    }
    assert fields["mode"]["enum_values"] == [0.5, 1.0]
    assert from_canonical(data) == dataclasses.replace(ir, version="")  # version: not surface


def test_diff_reports_through_the_types() -> None:
    old = _ir()
    params = old.commands[0].params
    changed = dataclasses.replace(
        params,
        fields=tuple(
            dataclasses.replace(f, type=NumberType())
            if f.name == "sizes"
            else dataclasses.replace(f, type=EnumType((0.5, 2.0)))
            if f.name == "mode"
            else f
            for f in params.fields
        ),
    )
    new = dataclasses.replace(old, commands=(dataclasses.replace(old.commands[0], params=changed),))
    details = sorted(str(c) for c in diff_ir(old, new))
    assert any("enum value 1.0 removed" in d and d.startswith("breaking") for d in details)
    assert any("enum value 2.0 added" in d and d.startswith("compatible") for d in details)
    assert any("type changed from list[integer] to number" in d for d in details)


class HexColourType(StringType):
    """A kind this test adds: one class, no edit anywhere else."""

    kind: ClassVar[str] = "string"

    def doc_type(self, *, markup: bool = True) -> str:
        return "colour (#rrggbb)"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        return "#ff8800"

    def widget(self, given: WidgetInput) -> Widget:
        return Widget(kind="string", input_type="color", value="#ff8800")


def test_a_new_kind_is_one_class() -> None:
    ir = _ir()
    params = ir.commands[0].params
    colour = HexColourType()
    fields = tuple(
        dataclasses.replace(f, type=colour) if f.name == "colour" else f for f in params.fields
    )
    ir = dataclasses.replace(
        ir,
        commands=(
            dataclasses.replace(ir.commands[0], params=dataclasses.replace(params, fields=fields)),
        ),
    )
    files = render_model(ir, schema_name="t.json", schema_sha256="0" * 64)
    readme = files["README.md"]
    page = next(text for path, text in files.items() if path.endswith("index.html"))
    assert "colour (#rrggbb)" in readme
    assert 'type="color"' in page
    client = next(text for path, text in files.items() if path.endswith("_client.py"))
    assert re.search(r"colour: str = ", client)


def test_no_module_switches_on_a_type_kind() -> None:
    """What varies by kind lives in ``reactor_gen/types``: elsewhere a schema type's
    ``kind`` is only written out (canonical form, the stand-in's surface file)."""
    offenders = []
    for path in GENERATOR.rglob("*.py"):
        if "types" in path.relative_to(GENERATOR).parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\.type\.kind\b|\bt\.kind\s*(==|!=|in)\s*[\"'(](?!video|audio)", line):
                offenders.append(f"{path.relative_to(GENERATOR)}:{number}: {line.strip()}")
    assert offenders == []
