"""Reading schema documents (JSON or YAML) and normalising data-channel schemas.

* ``.json`` is parsed strictly: duplicate keys and ``NaN``/``Infinity`` are errors.
* ``.yaml``/``.yml`` use PyYAML's safe loader; values must be plain JSON (string keys,
  no dates, no binary), duplicate keys are errors.
* The top level must be an object.

Every problem becomes a :class:`~reactor_gen.diagnostics.Diagnostic` (line and column
in the message for syntax errors); nothing is ever evaluated.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reactor_gen.diagnostics import Collector, join_pointer

if TYPE_CHECKING:
    import yaml

__all__ = [
    "JSON_SUFFIXES",
    "YAML_SUFFIXES",
    "normalize_integral_floats",
    "parse_document",
    "read_document",
    "sha256_hex",
]

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")


def sha256_hex(raw: bytes) -> str:
    """Hex sha256 of the document's raw bytes (what a generated package records)."""
    return hashlib.sha256(raw).hexdigest()


class _DuplicateKey(ValueError):
    pass


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _parse_json(text: str, collector: Collector) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs_no_duplicates,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        collector.add("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
    except _DuplicateKey as exc:
        collector.add("", f"invalid JSON: duplicate object key {json.dumps(str(exc))}")
    except ValueError as exc:
        collector.add("", f"invalid JSON: {exc}")
    return None


@functools.lru_cache(maxsize=1)
def _strict_loader() -> type[yaml.SafeLoader]:
    """A SafeLoader that rejects duplicate mapping keys (PyYAML is imported only for a YAML
    schema: ~14 ms a JSON build does not pay)."""
    import yaml

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    class StrictSafeLoader(yaml.SafeLoader):
        pass

    StrictSafeLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping
    )
    return StrictSafeLoader


def _parse_yaml(text: str, collector: Collector) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_strict_loader())  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "syntax error"
        collector.add("", f"invalid YAML{where}: {problem}")
    except yaml.YAMLError as exc:
        collector.add("", f"invalid YAML: {exc}")
    return None


def _check_plain_json(value: Any, pointer: str, collector: Collector) -> None:
    """YAML can express more than JSON; reject what a schema cannot contain."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                collector.add(
                    join_pointer(pointer, str(key)),
                    f"object key {key!r} is not a string; quote it",
                )
                continue
            _check_plain_json(item, join_pointer(pointer, key), collector)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_plain_json(item, join_pointer(pointer, index), collector)
    elif isinstance(value, float):
        if not math.isfinite(value):
            collector.add(pointer, f"{value!r} is not a JSON number")
    elif value is not None and not isinstance(value, (str, int, bool)):
        collector.add(
            pointer,
            f"value of type {type(value).__name__} is not plain JSON; quote it as a string",
        )


def parse_document(raw: bytes, *, file: str, suffix: str) -> dict[str, Any]:
    """Parse ``raw`` as JSON (``suffix`` ``.json``) or YAML (``.yaml``/``.yml``).

    Raises :class:`~reactor_gen.diagnostics.DiagnosticError` listing every problem.
    """
    collector = Collector(file)
    suffix = suffix.lower()
    if suffix not in JSON_SUFFIXES + YAML_SUFFIXES:
        collector.add(
            "",
            f"unsupported file extension {suffix or '(none)'!r}; expected .json, .yaml or .yml",
        )
        collector.raise_if_any()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        collector.add("", f"file is not valid UTF-8 (byte offset {exc.start})")
        collector.raise_if_any()
        raise AssertionError("unreachable") from exc
    if suffix in JSON_SUFFIXES:
        document = _parse_json(text, collector)
    else:
        document = _parse_yaml(text, collector)
        if not collector:
            _check_plain_json(document, "", collector)
    if not collector and not isinstance(document, dict):
        kind = "empty document" if document is None else f"a JSON {_json_type(document)}"
        collector.add("", f"the schema must be a JSON object (an OpenAPI document), got {kind}")
    collector.raise_if_any()
    assert isinstance(document, dict)
    return document


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else type(value).__name__


def read_document(path: Path, *, file: str | None = None) -> tuple[dict[str, Any], bytes]:
    """Read and parse a schema file; returns ``(document, raw bytes)``.

    ``file`` is the name shown in diagnostics (default ``str(path)``).
    """
    shown = str(path) if file is None else file
    try:
        raw = path.read_bytes()
    except OSError as exc:
        collector = Collector(shown)
        collector.add("", f"cannot read the file: {exc.strerror or exc}")
        collector.raise_if_any()
        raise AssertionError("unreachable") from exc
    return parse_document(raw, file=shown, suffix=path.suffix), raw


# --- data-channel normalisation ---------------------------------------------------

_LENGTH_KEYS = ("minLength", "maxLength")
_BOUND_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _int_if_integral(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _normalize_value(value: Any, schema: Any) -> Any:
    """Re-type a JSON value (a default) following ``schema``'s declared types."""
    if not isinstance(schema, Mapping):
        return value
    any_of = schema.get("anyOf")
    if isinstance(any_of, list) and value is not None:
        arms = [
            arm for arm in any_of if not (isinstance(arm, Mapping) and arm.get("type") == "null")
        ]
        if len(arms) == 1:
            return _normalize_value(value, arms[0])
        return value
    kind = schema.get("type")
    if kind == "integer":
        return _int_if_integral(value)
    if kind == "array" and isinstance(value, list):
        return [_normalize_value(item, schema.get("items")) for item in value]
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        result: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(properties, Mapping) and key in properties:
                result[key] = _normalize_value(item, properties[key])
            else:
                result[key] = _normalize_value(item, extra)
        return result
    return value


def normalize_integral_floats(document: Any) -> Any:
    """Undo the data channel's int → float conversion (wire-protocol §8.8).

    A schema fetched over the data channel has every number as a float. Returns a new
    document in which, for every schema fragment that says ``"type": "integer"``, integral
    float ``default``/``enum``/``minimum``/``maximum`` values are ints again (defaults are
    re-typed recursively through ``items``, ``properties``, ``additionalProperties`` and
    nullable ``anyOf``), and ``minLength``/``maxLength`` are always ints. Other floats
    (``number`` fields, mixed enums without a type) are left alone: their original type
    cannot be known.
    """
    if isinstance(document, list):
        return [normalize_integral_floats(item) for item in document]
    if not isinstance(document, dict):
        return document
    result: dict[str, Any] = {
        key: normalize_integral_floats(value) for key, value in document.items()
    }
    for key in _LENGTH_KEYS:
        if key in result:
            result[key] = _int_if_integral(result[key])
    if result.get("type") == "integer":
        for key in _BOUND_KEYS:
            if key in result:
                result[key] = _int_if_integral(result[key])
        if isinstance(result.get("enum"), list):
            result["enum"] = [_int_if_integral(v) for v in result["enum"]]
    if "default" in result:
        result["default"] = _normalize_value(result["default"], result)
    any_of = result.get("anyOf")
    if isinstance(any_of, list) and result.get("type") is None:
        # Nullable integer: bounds sit next to the anyOf.
        arms = [a for a in any_of if isinstance(a, Mapping) and a.get("type") != "null"]
        if len(arms) == 1 and arms[0].get("type") == "integer":
            for key in _BOUND_KEYS:
                if key in result:
                    result[key] = _int_if_integral(result[key])
    return result
