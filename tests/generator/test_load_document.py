"""Reading JSON/YAML documents, load_model(), and data-channel float normalisation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from reactor_gen.diagnostics import Collector, Diagnostic, DiagnosticError, join_pointer
from reactor_gen.load import (
    LoadedModel,
    load_model,
    normalize_integral_floats,
    parse_document,
    read_document,
)

ROOT = Path(__file__).resolve().parents[2]


def load_errors(path: Path) -> list[str]:
    with pytest.raises(DiagnosticError) as info:
        load_model(path, file=path.name)
    return [str(d) for d in info.value.diagnostics]


def test_diagnostic_format_and_sorting() -> None:
    d = Diagnostic("a.json", "", "boom")
    assert str(d) == "a.json: /: boom"
    assert str(Diagnostic("a.json", "/info/title", "bad")) == "a.json: /info/title: bad"
    assert join_pointer("/paths", "/events/x", "post") == "/paths/~1events~1x/post"
    assert join_pointer("", "a~b", 3) == "/a~0b/3"
    c = Collector("f")
    c.add("/x/10", "m")
    c.add("/x/2", "m")
    c.add("", "root")
    c.add("/x/2", "m")  # duplicates collapse
    with pytest.raises(DiagnosticError) as info:
        c.raise_if_any()
    assert [d.pointer for d in info.value.diagnostics] == ["", "/x/2", "/x/10"]
    assert str(info.value) == "f: /: root\nf: /x/2: m\nf: /x/10: m"
    Collector("ok").raise_if_any()  # nothing recorded: no error


def test_yaml_equals_json(tmp_path: Path) -> None:
    source = ROOT / "schemas/x2.json"
    doc = json.loads(source.read_text(encoding="utf-8"))
    target = tmp_path / "x2.yaml"
    target.write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=True), encoding="utf-8"
    )
    from_yaml = load_model(target)
    from_json = load_model(source)
    assert from_yaml.ir == from_json.ir
    assert from_yaml.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert isinstance(from_yaml, LoadedModel) and from_yaml.path == target
    yml = tmp_path / "x2.yml"
    yml.write_bytes(target.read_bytes())
    assert load_model(yml).ir == from_json.ir


def test_invalid_json_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "openapi": "3.1.0",\n  "info": {,\n}\n', encoding="utf-8")
    assert load_errors(path) == [
        "broken.json: /: invalid JSON at line 3, column 12: Expecting property name enclosed in double quotes"
    ]


def test_invalid_yaml_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: 3.1.0\ninfo:\n  title: [unclosed\n", encoding="utf-8")
    (line,) = load_errors(path)
    assert line.startswith("broken.yaml: /: invalid YAML at line 4, column 1:")


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        (
            "[1, 2]",
            ".json",
            "the schema must be a JSON object (an OpenAPI document), got a JSON array",
        ),
        (
            '"x"',
            ".json",
            "the schema must be a JSON object (an OpenAPI document), got a JSON string",
        ),
        (
            "",
            ".yaml",
            "the schema must be a JSON object (an OpenAPI document), got empty document",
        ),
        (
            "- a\n",
            ".yaml",
            "the schema must be a JSON object (an OpenAPI document), got a JSON array",
        ),
        ('{"a": 1, "a": 2}', ".json", 'invalid JSON: duplicate object key "a"'),
        ('{"a": NaN}', ".json", "invalid JSON: NaN is not valid JSON"),
        (
            "{}",
            ".txt",
            "unsupported file extension '.txt'; expected .json, .yaml or .yml",
        ),
    ],
)
def test_document_level_problems(text: str, suffix: str, expected: str) -> None:
    with pytest.raises(DiagnosticError) as info:
        parse_document(text.encode(), file="d" + suffix, suffix=suffix)
    assert [d.message for d in info.value.diagnostics] == [expected]


def test_yaml_non_json_values() -> None:
    text = "a:\n  1: x\n  when: 2024-01-01\nb: {x: 1, x: 2}\n"
    with pytest.raises(DiagnosticError) as info:
        parse_document(text.encode(), file="d.yaml", suffix=".yaml")
    (d,) = info.value.diagnostics
    assert "duplicate key 'x'" in d.message and "line 4" in d.message
    with pytest.raises(DiagnosticError) as info:
        parse_document(
            b"a:\n  1: x\n  when: 2024-01-01\n", file="d.yaml", suffix=".yaml"
        )
    assert [str(d) for d in info.value.diagnostics] == [
        "d.yaml: /a/1: object key 1 is not a string; quote it",
        "d.yaml: /a/when: value of type date is not plain JSON; quote it as a string",
    ]


def test_non_utf8_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DiagnosticError) as info:
        parse_document(b'{"a": "\xff"}', file="d.json", suffix=".json")
    assert "not valid UTF-8" in str(info.value)
    with pytest.raises(DiagnosticError) as info:
        read_document(tmp_path / "missing.json", file="missing.json")
    assert str(info.value).startswith("missing.json: /: cannot read the file")


def test_utf8_bom_is_accepted() -> None:
    assert parse_document(b'\xef\xbb\xbf{"a": 1}', file="d.json", suffix=".json") == {
        "a": 1
    }


def test_naming_does_not_run_when_build_fails(tmp_path: Path) -> None:
    doc = json.loads((ROOT / "schemas/x2.json").read_text(encoding="utf-8"))
    doc["info"]["version"] = "nope"
    doc["paths"]["/events/on_state_update"] = doc["paths"][
        "/events/reset"
    ]  # would be a naming clash
    doc["paths"]["/events/on_state_update"] = {
        "post": {"operationId": "on_state_update"}
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    lines = load_errors(path)
    assert len(lines) == 1 and lines[0].startswith(
        "x.json: /info/version: info.version 'nope'"
    )


def test_normalize_integral_floats() -> None:
    fetched: dict[str, Any] = {
        "info": {"version": "v1.0.0"},
        "x-reactor": {
            "tracks": [{"name": "main_video", "kind": "video", "direction": "out"}]
        },
        "paths": {
            "/events/set_seed": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "seed": {
                                            "type": "integer",
                                            "default": 42.0,
                                            "minimum": 0.0,
                                            "maximum": 10.0,
                                        },
                                        "ratio": {
                                            "type": "number",
                                            "default": 1.0,
                                            "minimum": 0.0,
                                        },
                                        "mode": {"type": "integer", "enum": [1.0, 2.0]},
                                        "mixed": {"enum": [1.0, "x"]},
                                        "prompt": {
                                            "type": "string",
                                            "minLength": 1.0,
                                            "maxLength": 1000.0,
                                            "default": "1.0",
                                        },
                                        "maybe": {
                                            "anyOf": [
                                                {"type": "integer"},
                                                {"type": "null"},
                                            ],
                                            "default": 3.0,
                                            "minimum": 1.0,
                                        },
                                        "counts": {
                                            "type": "array",
                                            "items": {"type": "integer"},
                                            "default": [1.0, 2.0],
                                        },
                                        "table": {
                                            "type": "object",
                                            "additionalProperties": {"type": "integer"},
                                            "default": {"a": 1.0},
                                        },
                                        "half": {"type": "integer", "default": 1.5},
                                    },
                                }
                            }
                        }
                    }
                }
            }
        },
    }
    out = normalize_integral_floats(fetched)
    props = out["paths"]["/events/set_seed"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["properties"]
    seed = props["seed"]
    assert (seed["default"], seed["minimum"], seed["maximum"]) == (42, 0, 10)
    assert all(type(seed[k]) is int for k in ("default", "minimum", "maximum"))
    assert (
        type(props["ratio"]["default"]) is float
        and type(props["ratio"]["minimum"]) is float
    )
    assert [type(v) for v in props["mode"]["enum"]] == [int, int]
    assert type(props["mixed"]["enum"][0]) is float  # no type: unknowable, left alone
    assert (type(props["prompt"]["minLength"]), type(props["prompt"]["maxLength"])) == (
        int,
        int,
    )
    assert props["prompt"]["default"] == "1.0"
    assert (
        type(props["maybe"]["default"]) is int
        and type(props["maybe"]["minimum"]) is int
    )
    assert [type(v) for v in props["counts"]["default"]] == [int, int]
    assert type(props["table"]["default"]["a"]) is int
    assert props["half"]["default"] == 1.5
    assert (
        fetched["paths"]["/events/set_seed"]["post"]["requestBody"]["content"][
            "application/json"
        ]["schema"]["properties"]["seed"]["default"]
        == 42.0
    )  # not mutated


def test_normalized_fetch_equals_original() -> None:
    """Simulate the data channel: every number a float, key order lost."""
    for name in ("longlive-v2.json", "helios.json", "lingbot.json", "x2.json"):
        path = ROOT / "schemas" / name
        original = json.loads(path.read_text(encoding="utf-8"))
        fetched = json.loads(json.dumps(original, sort_keys=True), parse_int=float)
        from reactor_gen.ir.build import build_ir

        assert build_ir(normalize_integral_floats(fetched), file="f") == build_ir(
            original, file="o"
        )
