"""Numeric parameter shapes reactor-runtime 3.10.0 renders (issue 17): ``choices`` next to
bounds, integral-float defaults of ``int`` fields, ``float`` choices, strict floats."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from test_ir_types import P, doc_with, errors, one_field

from reactor_gen.ir.model import Constraints, TypeRef
from reactor_gen.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
FIELDS_SCHEMA = ROOT / "tests" / "models" / "fields_model" / "fields-model.json"


def test_int_choices_with_bounds_are_accepted() -> None:
    # InputField(default=4, ge=1, le=8, choices=[1, 2, 4, 8])
    f = one_field(
        {"type": "integer", "default": 4, "minimum": 1, "maximum": 8, "enum": [1, 2, 4, 8]}
    )
    assert f.type == TypeRef(kind="enum", enum_values=(1, 2, 4, 8))
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
        f"t.json: {P}/minimum: minimum applies only to integer or number fields, "
        'not enum ["a"]'
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
        {"batch": {"type": "integer", "default": 4, "minimum": 1, "maximum": 8,
                   "enum": [1, 2, 4, 8]}}
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
