"""Numeric parameter shapes reactor-runtime 3.10.0 renders (issue 17): ``choices`` next to
bounds, integral-float defaults of ``int`` fields, ``float`` choices, strict floats."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from test_generated_packages import mypy_strict
from test_ir_types import P, doc_with, errors, one_field
from typed_surface.fake_client import FakeClient, attach

import reactor_client
from reactor_gen.ir.model import Constraints
from reactor_gen.pipeline import build
from reactor_gen.types import EnumType

ROOT = Path(__file__).resolve().parents[2]
FIELDS_SCHEMA = ROOT / "tests" / "models" / "fields_model" / "fields-model.json"


def test_int_choices_with_bounds_are_accepted() -> None:
    # InputField(default=4, ge=1, le=8, choices=[1, 2, 4, 8])
    f = one_field(
        {"type": "integer", "default": 4, "minimum": 1, "maximum": 8, "enum": [1, 2, 4, 8]}
    )
    assert f.type == EnumType((1, 2, 4, 8))
    assert f.constraints == Constraints(minimum=1, maximum=8)
    assert f.default == 4 and not f.required
    nullable = one_field(
        {"anyOf": [{"type": "integer", "enum": [0, 2]}, {"type": "null"}], "maximum": 3}
    )
    assert nullable.constraints == Constraints(maximum=3)


def test_a_choice_outside_the_bounds_is_an_error() -> None:
    doc = doc_with({"f": {"type": "integer", "minimum": 1, "maximum": 8, "enum": [0, 4, 16]}})
    assert errors(doc) == [
        f"t.json: {P}/enum/0: choice 0 violates minimum 1: the runtime would refuse it",
        f"t.json: {P}/enum/2: choice 16 violates maximum 8: the runtime would refuse it",
    ]
    # bounds still apply only to numbers
    assert errors(doc_with({"f": {"type": "string", "enum": ["a"], "minimum": 1}})) == [
        f't.json: {P}/minimum: minimum applies only to integer or number fields, not enum ["a"]'
    ]


def _package(doc: dict[str, Any], tmp_path: Path, name: str) -> Any:

    schema = tmp_path / f"{name}.json"
    schema.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    for rel, text in build(schema).files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(f"reactor_models.{name}")
    finally:
        sys.path.remove(str(out))


def test_int_choices_with_bounds_generate_a_literal(tmp_path: Path) -> None:
    doc = doc_with(
        {
            "batch": {
                "type": "integer",
                "default": 4,
                "minimum": 1,
                "maximum": 8,
                "enum": [1, 2, 4, 8],
            }
        }
    )
    doc["info"]["title"] = "choices-bounds"
    mod = _package(doc, tmp_path, "choices_bounds")
    assert mod.GoParams(batch=8).batch == 8 and mod.GoParams().batch == 4
    with pytest.raises(ValueError, match="Input should be 1, 2, 4 or 8"):
        mod.GoParams(batch=3)


def test_an_integral_float_default_of_an_int_builds_as_an_int(tmp_path: Path) -> None:
    # InputField(default=4.0, ge=1, le=50) on an int parameter renders "default": 4.0
    doc = doc_with({"steps": {"type": "integer", "default": 4.0, "minimum": 1, "maximum": 50}})
    doc["info"]["title"] = "float-default"
    schema = tmp_path / "float-default.json"
    schema.write_text(json.dumps(doc), encoding="utf-8")
    package = build(schema)
    (f,) = package.ir.commands[0].params.fields
    assert f.default == 4 and type(f.default) is int and f.has_default
    commands = package.files["reactor_models/float_default/commands.py"]
    assert "steps: pydantic.StrictInt = pydantic.Field(default=4, ge=1, le=50)" in commands
    client = package.files["reactor_models/float_default/_client.py"]
    assert "steps: int = 4)" in client
    # a fractional default is still refused
    doc = doc_with({"steps": {"type": "integer", "default": 4.5}})
    assert errors(doc) == [
        f"t.json: {P.replace('/f', '/steps')}/default: default 4.5 does not match the "
        "field's type (integer)"
    ]


FLOAT_CHOICES = {
    # InputField(default=1.0, choices=[0.5, 1.0, 2.0]) on a float parameter
    "ratio": {"type": "number", "default": 1.0, "enum": [0.5, 1.0, 2.0]},
    # float choices written as ints (InputField(choices=[1, 2]) on a float)
    "scale": {"type": "number", "default": 1, "enum": [1, 2]},
    "maybe": {"anyOf": [{"type": "number", "enum": [0.5, 1.5]}, {"type": "null"}], "default": None},
    "many": {"type": "array", "items": {"type": "number", "enum": [0.25, 0.75]}, "default": []},
}


@pytest.fixture(scope="module")
def float_choices_pkg(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    doc = doc_with(FLOAT_CHOICES)
    doc["info"]["title"] = "float-choices"
    # a message field with float choices too (Literal[0.5, 1.0] on a ModelMessage)
    doc["webhooks"] = doc_with(
        {"ratio": {"type": "number", "enum": [0.5, 1.0]}}, ["ratio"], message=True
    )["webhooks"]
    tmp = tmp_path_factory.mktemp("float-choices")
    return tmp / "out", _package(doc, tmp, "float_choices")


def test_float_choices_are_floats_in_the_ir() -> None:
    assert one_field(FLOAT_CHOICES["ratio"]).type == EnumType((0.5, 1.0, 2.0))
    scale = one_field(FLOAT_CHOICES["scale"])
    assert scale.type.values == (1.0, 2.0) and scale.default == 1
    assert [type(v) for v in scale.type.values] == [float, float]


def test_float_choices_generate_a_validated_float(float_choices_pkg: tuple[Path, Any]) -> None:
    out, mod = float_choices_pkg
    commands = (out / "reactor_models/float_choices/commands.py").read_text()
    assert "ratio: typing.Annotated[float, _one_of(0.5, 1.0, 2.0)]" in commands
    assert "typing.Literal[0.5" not in commands and "typing.Literal[1.0" not in commands
    assert "(one of ``0.5``, ``1.0``, ``2.0``)" in commands
    messages = (out / "reactor_models/float_choices/messages.py").read_text()
    assert "    ratio: float\n" in messages
    client = (out / "reactor_models/float_choices/_client.py").read_text()
    assert "ratio: float = 1.0" in client and "scale: float = 1" in client
    params = mod.GoParams(ratio=2.0, scale=2, maybe=1.5, many=[0.25])
    assert (params.ratio, params.scale, params.maybe, params.many) == (2.0, 2.0, 1.5, [0.25])
    assert type(params.scale) is float
    assert mod.GoParams(ratio=2).ratio == 2.0  # an int is a valid float
    for field, bad in (("ratio", 0.7), ("scale", 1.5), ("maybe", 1.0), ("many", [0.5])):
        with pytest.raises(ValueError, match="Input should be "):
            mod.GoParams(**{field: bad})
    with pytest.raises(ValueError, match=r"Input should be 0\.5, 1\.0 or 2\.0"):
        mod.GoParams(ratio=0.7)


async def test_a_float_choice_is_refused_before_sending(
    float_choices_pkg: tuple[Path, Any],
) -> None:
    _, mod = float_choices_pkg
    model = mod.FloatChoicesModel(local=True)
    fake = attach(model, FakeClient())
    await model.go(ratio=0.5)
    assert fake.sent[-1][:2] == ("go", {"ratio": 0.5})
    with pytest.raises(
        reactor_client.CommandValidationError,
        match=r"go: ratio: Input should be 0\.5, 1\.0 or 2\.0 \(got 0\.7\)",
    ):
        await model.go(ratio=0.7)
    assert len(fake.sent) == 1


def test_float_choices_package_mypy_strict(
    float_choices_pkg: tuple[Path, Any], tmp_path: Path
) -> None:
    mypy_strict(float_choices_pkg[0], tmp_path / "cache")


@pytest.fixture(scope="module")
def fields_pkg(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The package of tests/models/fields_model (its schema rendered by reactor-runtime)."""
    doc = json.loads(FIELDS_SCHEMA.read_text(encoding="utf-8"))
    tmp = tmp_path_factory.mktemp("fields-model")
    return tmp / "out", _package(doc, tmp, "fields_model")


async def test_numbers_must_be_numbers(fields_pkg: tuple[Path, Any]) -> None:
    # the runtime refuses "0.25" and True for a float (and True for an int with choices);
    # the typed client refuses them before sending, like "7" for an int
    _, mod = fields_pkg
    model = mod.FieldsModel(local=True)
    fake = attach(model, FakeClient())
    for value in ("0.25", True):
        with pytest.raises(
            reactor_client.CommandValidationError,
            match=rf"configure: gain: Input should be a valid number \(got {value!r}\)",
        ):
            await model.configure(gain=value)
    with pytest.raises(
        reactor_client.CommandValidationError,
        match=r"configure: batch: Input should be 1, 2, 4 or 8 \(got True\)",
    ):
        await model.configure(batch=True)
    for field in ("ratio", "steps"):
        with pytest.raises(reactor_client.CommandValidationError, match=f"configure: {field}: "):
            await model.configure(**{field: True})
    assert fake.sent == []
    await model.configure(gain=1, ratio=2, batch=8)  # an int is a valid float
    assert fake.sent[-1][:2] == ("configure", {"batch": 8, "gain": 1.0, "ratio": 2.0})
    assert type(fake.sent[-1][1]["gain"]) is float


def test_nested_and_container_floats_are_strict(tmp_path: Path) -> None:
    region = {
        "type": "object",
        "properties": {"width": {"type": "number"}, "label": {"type": "string"}},
        "required": ["width"],
    }
    doc = doc_with(
        {
            "region": region,
            "weights": {"type": "object", "additionalProperties": {"type": "number"}},
            "points": {"type": "array", "items": {"type": "number"}},
            "level": {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None},
        }
    )
    doc["info"]["title"] = "strict-floats"
    mod = _package(doc, tmp_path, "strict_floats")
    ok = mod.GoParams(region={"width": 1}, weights={"a": 2}, points=[3], level=4)
    assert (ok.region.width, ok.weights, ok.points, ok.level) == (1.0, {"a": 2.0}, [3.0], 4.0)
    for bad in (
        {"region": {"width": True}},
        {"region": {"width": "1.5"}},
        {"weights": {"a": False}},
        {"points": ["3"]},
        {"level": True},
    ):
        with pytest.raises(ValueError, match="Input should be a valid number"):
            mod.GoParams(**bad)
