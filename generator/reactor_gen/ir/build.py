"""Validate a schema document into the frozen IR (:mod:`reactor_gen.ir.model`).

:func:`build_ir` accepts both renderer layouts (wire-protocol §8, §8.7) in any key order
and reports every problem it finds at once (a :class:`DiagnosticError`). Rules worth
knowing, beyond the IR invariants:

* **Paths.** Every path must be ``/events/<segment>`` with a ``post`` operation; any other
  path or HTTP method is an error (silently dropping it would lose a command). Non-method
  path-item keys (``summary``, ``parameters``...) are ignored.
* **Command names** are the last path segment, a ``snake_case`` identifier; an
  ``operationId``, when present, must be the same name (the runtime always renders them
  equal; a mismatch is an error at the ``operationId``).
  Description = ``summary``, else ``description``. ``required`` = listed in ``required``
  *and* no ``default`` (the runtime's rule; a listed field with a default is optional).
* **Replies.** ``responses.200`` must ``$ref`` a component that some webhook's body
  ``$ref``s; the reply is that webhook's message (never derived by re-casing). ``202``
  only (or no responses) → ``None``. Other status codes are ignored.
* **Emits** = backticked identifiers in the description naming known messages, in order
  of first appearance, deduplicated (model-surfaces §1.2).
* **Messages.** Name = ``operationId`` else webhook key; description = ``summary``,
  except that a ``description`` which extends it (2.x split docstrings) wins.
* **Layout** = ``"2.x"`` when there is at least one webhook and no webhook body is a
  ``$ref``, else ``"3.x"``.
* **Types** (§8.5): string/integer/number/boolean; ``enum`` (typed, untyped/mixed);
  ``anyOf [T, {type: null}]``; arrays (no ``items`` → any); objects with ``properties``
  (nested class), with ``additionalProperties`` or bare (dict); upload references
  (``$ref`` to a component with ``format: reactor-upload-reference``/``file-reference`` or
  named ``ReactorUploadReference``, or such an inline object); ``{}`` → any. Only local
  ``#/components/schemas/<key>`` refs. ``oneOf``/``allOf``/``not``, type arrays,
  multi-arm ``anyOf`` and unknown types are errors. A ``default: null`` on a non-nullable
  type (the runtime's ``UploadedFile = None`` setter) makes the field nullable.
  Validation keywords the runtime never renders (``pattern``, ``exclusiveMinimum``,
  ``minItems``...) and annotations (``format``, ``title``, ``examples``) are ignored.
* **Names.** ``info.title``: letters, digits, ``-``/``_``, starting with a letter.
  Commands, messages and tracks: ``^[a-z_][a-z0-9_]*$``. Fields: any ASCII identifier
  (``^[A-Za-z_][A-Za-z0-9_]*$``); camelCase ones get a snake_case Python name in the
  naming pass, the wire name staying the alias. ``info.version``: ``[v]X.Y.Z`` with an
  optional PEP 440-convertible pre/post/dev part and an optional ``-g<hex>`` suffix.
* Text (descriptions, defaults, enum values) is kept verbatim; nothing is evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from packaging.version import InvalidVersion, Version

from reactor_gen.diagnostics import Collector, join_pointer
from reactor_gen.ir.model import (
    Command,
    Constraints,
    Field,
    JsonValue,
    Message,
    ModelIR,
    ObjectType,
    Track,
    TypeRef,
)
from reactor_gen.ir.serialize import freeze_json, thaw_json

__all__ = [
    "COMPONENTS_PREFIX",
    "FIELD_NAME_RE",
    "NAME_RE",
    "TITLE_RE",
    "UPLOAD_FORMATS",
    "build_ir",
    "extract_emits",
    "version_problem",
]

NAME_RE = re.compile(r"[a-z_][a-z0-9_]*")
"""Command, message and track names (full match)."""
FIELD_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""Field (property) names (full match)."""
TITLE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""``info.title`` (full match)."""
_VERSION_RE = re.compile(
    r"(?P<v>[vV]?)(?P<core>\d+\.\d+\.\d+(?:[-.+]?[A-Za-z0-9.]+?)??)(?:-g(?P<sha>[0-9a-f]+))?"
)
_BACKTICKED_RE = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")
_CLAUSE_END_RE = re.compile(r"(?<=[.!?;])\s+|\s+[—–]\s+")
_NEGATION_RE = re.compile(r"\b(?:no|not|never|without)\b", re.IGNORECASE)
COMPONENTS_PREFIX = "#/components/schemas/"
UPLOAD_FORMATS = frozenset({"reactor-upload-reference", "file-reference"})
_UPLOAD_COMPONENT = "ReactorUploadReference"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCALAR_KINDS = ("string", "integer", "number", "boolean")
_UNSUPPORTED_KEYWORDS = ("oneOf", "allOf", "not")
_HINT_NULLABLE = "use anyOf: [<schema>, {type: null}] for an optional value"


# --- small helpers ----------------------------------------------------------------


def extract_emits(
    description: str, known_messages: Sequence[str] | frozenset[str]
) -> tuple[str, ...]:
    """The messages a command's ``description`` says it emits: backticked known message
    names in its *positive* clauses, in order of first appearance, deduplicated.

    The TypeScript generator counts every backticked known name, so the seed's ``reset``
    ("Always succeeds — there is no `command_error` path. Emits ...") lists
    ``command_error``. Here a mention preceded, in its clause (a sentence, or the part
    of one between dashes or after a semicolon), by a negation (``no``, ``not``,
    ``never``, ``without``) does not count; every other mention does ("Rejects ... with
    `command_error`", "or `command_error` if the session is not paused").
    """
    known = set(known_messages)
    seen: dict[str, None] = {}
    for clause in _CLAUSE_END_RE.split(description):
        for match in _BACKTICKED_RE.finditer(clause):
            name = match.group(1)
            if name in known and _NEGATION_RE.search(clause[: match.start()]) is None:
                seen.setdefault(name, None)
    return tuple(seen)


def version_problem(version: str) -> str | None:
    """Why ``version`` is not an acceptable ``info.version`` (None when it is)."""
    match = _VERSION_RE.fullmatch(version)
    expected = (
        "expected a version like 'v1.2.3' or '1.2.3', optionally with a pre-release "
        "('v1.2.3rc1') and a '-g<hex>' build suffix ('v1.2.3-ge6187a05')"
    )
    if match is None:
        return f"info.version {version!r} is not a valid version; {expected}"
    core = match.group("core")
    if "-g" in core:
        return (
            f"info.version {version!r}: '-g' must be followed by a lowercase hex commit id; "
            f"{expected}"
        )
    try:
        parsed = Version(core)
    except InvalidVersion:
        return f"info.version {version!r} has an invalid pre-release part; {expected} (PEP 440)"
    if parsed.local is not None:
        return f"info.version {version!r} has a local version part ('+...'); {expected}"
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _is_upload_target(key: str, target: Any) -> bool:
    if key == _UPLOAD_COMPONENT:
        return True
    return isinstance(target, Mapping) and target.get("format") in UPLOAD_FORMATS


def _conforms(value: Any, type_ref: TypeRef) -> bool:
    """Whether a (thawed) JSON value fits ``type_ref`` (used to validate defaults)."""
    kind = type_ref.kind
    if kind == "any":
        return True
    if kind == "nullable":
        return value is None or (type_ref.item is not None and _conforms(value, type_ref.item))
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "enum":
        return any(
            type(value) is type(allowed) and value == allowed for allowed in type_ref.enum_values
        )
    if kind == "list":
        return isinstance(value, list) and (
            type_ref.item is None or all(_conforms(v, type_ref.item) for v in value)
        )
    if kind == "dict":
        return isinstance(value, Mapping) and (
            type_ref.item is None or all(_conforms(v, type_ref.item) for v in value.values())
        )
    if kind == "object":
        if not isinstance(value, Mapping) or type_ref.obj is None:
            return False
        fields = {f.name: f for f in type_ref.obj.fields}
        if any(key not in fields for key in value):
            return False
        if any(f.required and f.name not in value for f in fields.values()):
            return False
        return all(_conforms(value[k], fields[k].type) for k in value)
    if kind == "upload":
        return isinstance(value, Mapping)
    return False


def _effective(type_ref: TypeRef) -> TypeRef:
    while type_ref.kind == "nullable" and type_ref.item is not None:
        type_ref = type_ref.item
    return type_ref


# --- the builder ------------------------------------------------------------------

_Context = Literal["command", "message", "nested"]


@dataclass
class _Builder:
    doc: Mapping[str, Any]
    diag: Collector
    components: Mapping[str, Any] = field(default_factory=dict)
    _ref_stack: list[str] = field(default_factory=list)

    # .. components and refs ..

    def resolve_ref(self, ref: Any, pointer: str) -> tuple[str, Any] | None:
        """Resolve a ``$ref`` to ``(component key, fragment)``; None after a diagnostic."""
        if not isinstance(ref, str):
            self.diag.add(
                join_pointer(pointer, "$ref"),
                f"$ref must be a string, got {_describe(ref)}",
            )
            return None
        if not ref.startswith(COMPONENTS_PREFIX) or "/" in ref[len(COMPONENTS_PREFIX) :]:
            self.diag.add(
                join_pointer(pointer, "$ref"),
                f"unsupported $ref {ref!r}: only local references of the form "
                f"'{COMPONENTS_PREFIX}<Name>' are supported",
            )
            return None
        key = ref[len(COMPONENTS_PREFIX) :].replace("~1", "/").replace("~0", "~")
        if key not in self.components:
            known = ", ".join(sorted(self.components)) or "none"
            self.diag.add(
                join_pointer(pointer, "$ref"),
                f"unresolved $ref {ref!r}: components.schemas has no {key!r} (defined: {known})",
            )
            return None
        return key, self.components[key]

    # .. types ..

    def parse_type(self, frag: Any, pointer: str) -> TypeRef | None:
        """The type of a schema fragment; None after a diagnostic."""
        if not isinstance(frag, Mapping):
            self.diag.add(pointer, f"expected a schema object, got {_describe(frag)}")
            return None
        bad = [k for k in _UNSUPPORTED_KEYWORDS if k in frag]
        for keyword in bad:
            self.diag.add(
                join_pointer(pointer, keyword),
                f"unsupported schema keyword '{keyword}': a field has exactly one type "
                "(the runtime rejects unions such as int | str); the only union supported "
                "is an optional value, anyOf: [<schema>, {type: null}]",
            )
        if bad:
            return None
        if "$ref" in frag:
            return self._parse_ref(frag, pointer)
        if "anyOf" in frag:
            return self._parse_any_of(frag, pointer)
        if "enum" in frag:
            return self._parse_enum(frag, pointer)
        kind = frag.get("type")
        if kind is None:
            if "properties" in frag:
                return self._parse_object_like(frag, pointer)
            if "items" in frag:
                return self._parse_array(frag, pointer)
            return TypeRef(kind="any")
        if isinstance(kind, list):
            self.diag.add(
                join_pointer(pointer, "type"),
                f"unsupported type array {kind!r}: use a single type string ({_HINT_NULLABLE})",
            )
            return None
        if not isinstance(kind, str):
            self.diag.add(
                join_pointer(pointer, "type"),
                f"type must be a string, got {_describe(kind)}",
            )
            return None
        if kind in _SCALAR_KINDS:
            return TypeRef(kind=cast(Any, kind))
        if kind == "array":
            return self._parse_array(frag, pointer)
        if kind == "object":
            return self._parse_object_like(frag, pointer)
        if kind == "null":
            self.diag.add(
                join_pointer(pointer, "type"),
                f"a bare 'null' type is not supported ({_HINT_NULLABLE})",
            )
            return None
        self.diag.add(
            join_pointer(pointer, "type"),
            f"unknown type {kind!r}: expected one of string, integer, number, boolean, "
            "array, object",
        )
        return None

    def _parse_ref(self, frag: Mapping[str, Any], pointer: str) -> TypeRef | None:
        resolved = self.resolve_ref(frag["$ref"], pointer)
        if resolved is None:
            return None
        key, target = resolved
        if _is_upload_target(key, target):
            return TypeRef(kind="upload")
        if key in self._ref_stack:
            cycle = " -> ".join([*self._ref_stack[self._ref_stack.index(key) :], key])
            self.diag.add(
                join_pointer(pointer, "$ref"),
                f"cyclic $ref: {cycle}; recursive types are not supported",
            )
            return None
        self._ref_stack.append(key)
        try:
            return self.parse_type(target, join_pointer("/components/schemas", key))
        finally:
            self._ref_stack.pop()

    def _parse_any_of(self, frag: Mapping[str, Any], pointer: str) -> TypeRef | None:
        arms = frag["anyOf"]
        arms_ptr = join_pointer(pointer, "anyOf")
        if not isinstance(arms, list):
            self.diag.add(arms_ptr, f"anyOf must be an array, got {_describe(arms)}")
            return None
        null_arms = [
            i
            for i, arm in enumerate(arms)
            if isinstance(arm, Mapping) and arm.get("type") == "null" and len(arm) == 1
        ]
        other = [i for i in range(len(arms)) if i not in null_arms]
        if len(null_arms) != 1 or len(other) != 1:
            self.diag.add(
                arms_ptr,
                f"unsupported anyOf with {len(other)} non-null and {len(null_arms)} null arm(s): "
                "only a nullable value [<schema>, {type: null}] is supported "
                "(the runtime renders nothing else)",
            )
            return None
        inner = self.parse_type(arms[other[0]], join_pointer(arms_ptr, other[0]))
        if inner is None:
            return None
        if inner.kind in ("nullable", "any"):
            return inner
        return TypeRef(kind="nullable", item=inner)

    def _parse_enum(self, frag: Mapping[str, Any], pointer: str) -> TypeRef | None:
        values = frag["enum"]
        enum_ptr = join_pointer(pointer, "enum")
        if not isinstance(values, list) or not values:
            self.diag.add(enum_ptr, f"enum must be a non-empty array, got {_describe(values)}")
            return None
        kind = frag.get("type")
        checks: dict[str, Any] = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
        }
        if kind is not None and kind not in checks:
            self.diag.add(
                join_pointer(pointer, "type"),
                f"enum with type {kind!r} is not supported: enum values must be strings, "
                "integers, numbers or booleans",
            )
            return None
        ok = True
        seen: list[tuple[type, Any]] = []
        for index, value in enumerate(values):
            value_ptr = join_pointer(enum_ptr, index)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                self.diag.add(value_ptr, f"enum values must be scalars, got {_describe(value)}")
                ok = False
            elif kind is not None and not checks[kind](value):
                self.diag.add(value_ptr, f"enum value {value!r} does not match type {kind!r}")
                ok = False
            elif (type(value), value) in seen:
                self.diag.add(value_ptr, f"duplicate enum value {value!r}")
                ok = False
            else:
                seen.append((type(value), value))
        if not ok:
            return None
        return TypeRef(kind="enum", enum_values=tuple(values))

    def _parse_array(self, frag: Mapping[str, Any], pointer: str) -> TypeRef | None:
        if "items" not in frag:
            return TypeRef(kind="list", item=TypeRef(kind="any"))
        items = frag["items"]
        if isinstance(items, list):
            self.diag.add(
                join_pointer(pointer, "items"),
                "tuple validation (items as an array) is not supported: use a single items schema",
            )
            return None
        item = self.parse_type(items, join_pointer(pointer, "items"))
        return None if item is None else TypeRef(kind="list", item=item)

    def _parse_object_like(self, frag: Mapping[str, Any], pointer: str) -> TypeRef | None:
        if frag.get("format") in UPLOAD_FORMATS:
            return TypeRef(kind="upload")
        extra = frag.get("additionalProperties")
        if "properties" in frag:
            if isinstance(extra, Mapping) or extra is True:
                if frag.get("properties"):
                    self.diag.add(
                        join_pointer(pointer, "additionalProperties"),
                        "an object with both properties and additionalProperties is not "
                        "supported: use either a fixed set of properties or a dict",
                    )
                    return None
            else:
                obj = self.parse_object(frag, pointer, "nested")
                return None if obj is None else TypeRef(kind="object", obj=obj)
        if extra is None or extra is True:
            return TypeRef(kind="dict", item=TypeRef(kind="any"))
        if extra is False:
            return TypeRef(kind="object", obj=ObjectType(fields=(), pointer=pointer))
        value = self.parse_type(extra, join_pointer(pointer, "additionalProperties"))
        return None if value is None else TypeRef(kind="dict", item=value)

    # .. objects and fields ..

    def parse_object(self, frag: Any, pointer: str, context: _Context) -> ObjectType | None:
        """An object schema with ``properties`` (body, payload or nested object)."""
        if not isinstance(frag, Mapping):
            self.diag.add(pointer, f"expected an object schema, got {_describe(frag)}")
            return None
        if "$ref" in frag and context != "nested":
            resolved = self.resolve_ref(frag["$ref"], pointer)
            if resolved is None:
                return None
            key, target = resolved
            return self.parse_object(target, join_pointer("/components/schemas", key), context)
        kind = frag.get("type", "object")
        if kind != "object":
            self.diag.add(
                join_pointer(pointer, "type"),
                f"expected an object schema (type 'object' with properties), got type {kind!r}",
            )
            return None
        properties = frag.get("properties", {})
        props_ptr = join_pointer(pointer, "properties")
        if not isinstance(properties, Mapping):
            self.diag.add(props_ptr, f"properties must be an object, got {_describe(properties)}")
            return None
        required = self._required(frag, pointer, properties)
        description = self._text(frag, "description", pointer)
        fields: list[Field] = []
        for name, prop in properties.items():
            parsed = self.parse_field(
                name, prop, join_pointer(props_ptr, name), name in required, context
            )
            if parsed is not None:
                fields.append(parsed)
        fields.sort(key=lambda f: f.name)
        return ObjectType(fields=tuple(fields), description=description, pointer=pointer)

    def _required(
        self, frag: Mapping[str, Any], pointer: str, properties: Mapping[str, Any]
    ) -> set[str]:
        required = frag.get("required", [])
        req_ptr = join_pointer(pointer, "required")
        if not isinstance(required, list):
            self.diag.add(
                req_ptr,
                f"required must be an array of property names, got {_describe(required)}",
            )
            return set()
        result: set[str] = set()
        for index, name in enumerate(required):
            if not isinstance(name, str):
                self.diag.add(
                    join_pointer(req_ptr, index),
                    f"required entries must be strings, got {_describe(name)}",
                )
            elif name not in properties:
                self.diag.add(
                    join_pointer(req_ptr, index),
                    f"required lists {name!r}, which is not a property "
                    f"(properties: {', '.join(sorted(properties)) or 'none'})",
                )
            else:
                result.add(name)
        return result

    def _text(self, frag: Mapping[str, Any], key: str, pointer: str) -> str:
        value = frag.get(key, "")
        if not isinstance(value, str):
            self.diag.add(
                join_pointer(pointer, key),
                f"{key} must be a string, got {_describe(value)}",
            )
            return ""
        return value

    def parse_field(
        self,
        name: Any,
        frag: Any,
        pointer: str,
        listed_required: bool,
        context: _Context,
    ) -> Field | None:
        """One property; None after a diagnostic."""
        name_ok = isinstance(name, str) and FIELD_NAME_RE.fullmatch(name) is not None
        if not name_ok:
            self.diag.add(
                pointer,
                f"invalid field name {name!r}: expected an ASCII identifier "
                "(letters, digits, '_'; not starting with a digit), e.g. 'image_strength'",
            )
        type_ref = self.parse_type(frag, pointer)
        if type_ref is None or not name_ok or not isinstance(frag, Mapping):
            return None
        has_default = "default" in frag
        default: JsonValue = None
        ok = True
        if has_default:
            raw_default = frag["default"]
            if raw_default is None and type_ref.kind not in ("nullable", "any"):
                # `UploadedFile = None` setters render the $ref with "default": null.
                type_ref = TypeRef(kind="nullable", item=type_ref)
            elif type_ref.kind == "upload" or (
                type_ref.kind == "nullable"
                and type_ref.item is not None
                and type_ref.item.kind == "upload"
                and raw_default is not None
            ):
                self.diag.add(
                    join_pointer(pointer, "default"),
                    "an upload reference can only default to null",
                )
                ok = False
            elif not _conforms(raw_default, type_ref):
                self.diag.add(
                    join_pointer(pointer, "default"),
                    f"default {_short(raw_default)} does not match the field's type "
                    f"({_type_label(type_ref)})",
                )
                ok = False
            default = freeze_json(raw_default)
        description = self._text(frag, "description", pointer)
        constraints = self._constraints(frag, pointer, type_ref)
        moderate: bool | None = None
        if context == "command" and "x-reactor-moderate" in frag:
            flag = frag["x-reactor-moderate"]
            if isinstance(flag, bool):
                moderate = flag
            else:
                self.diag.add(
                    join_pointer(pointer, "x-reactor-moderate"),
                    f"x-reactor-moderate must be true or false, got {_describe(flag)}",
                )
                ok = False
        if constraints is None or not ok:
            return None
        unusable = ""
        if context == "command" and has_default:
            unusable = _default_violation(thaw_json(default), type_ref, constraints)
            if unusable:
                self.diag.warn(
                    join_pointer(pointer, "default"),
                    f"{unusable}; the model would refuse it, so the Python argument has no "
                    "default and must be given",
                )
                has_default, default = False, None
        if context == "command":
            required = (listed_required or bool(unusable)) and not has_default
        else:
            required = listed_required
        return Field(
            name=name,
            type=type_ref,
            required=required,
            has_default=has_default,
            default=default,
            description=description,
            constraints=constraints,
            moderate=moderate,
            unusable_default=unusable,
            pointer=pointer,
        )

    def _constraints(
        self, frag: Mapping[str, Any], pointer: str, type_ref: TypeRef
    ) -> Constraints | None:
        values: dict[str, Any] = {}
        ok = True
        effective = _effective(type_ref).kind
        for key, attr in (("minimum", "minimum"), ("maximum", "maximum")):
            if key not in frag:
                continue
            value = frag[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} must be a number, got {_describe(value)}",
                )
                ok = False
            elif effective not in ("integer", "number"):
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} applies only to integer or number fields, not {_type_label(type_ref)}",
                )
                ok = False
            else:
                values[attr] = value
        for key, attr in (("minLength", "min_length"), ("maxLength", "max_length")):
            if key not in frag:
                continue
            value = frag[key]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} must be a non-negative integer, got {_short(value)}",
                )
                ok = False
            elif effective not in ("string", "list"):
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} applies only to string (or array) fields, not {_type_label(type_ref)}",
                )
                ok = False
            else:
                values[attr] = value
        if not ok:
            return None
        for low, high, label in (
            ("minimum", "maximum", "minimum/maximum"),
            ("min_length", "max_length", "minLength/maxLength"),
        ):
            if low in values and high in values and values[low] > values[high]:
                self.diag.add(
                    pointer,
                    f"{label} {values[low]!r} > {values[high]!r}: no value can satisfy both",
                )
                return None
        return Constraints(**values)


def _default_violation(value: Any, type_ref: TypeRef, constraints: Constraints) -> str:
    """Why ``value`` (a field's schema default) violates the field's own constraints, or
    "" when it satisfies them (``null`` for a nullable field always does)."""
    if value is None or type_ref.kind == "any":
        return ""
    shown = repr(value) if isinstance(value, str) else _short(value)
    c = constraints
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if c.minimum is not None and value < c.minimum:
            return f"the schema's default {shown} violates minimum {c.minimum}"
        if c.maximum is not None and value > c.maximum:
            return f"the schema's default {shown} violates maximum {c.maximum}"
    if isinstance(value, (str, list)):
        if c.min_length is not None and len(value) < c.min_length:
            return f"the schema's default {shown} violates minLength {c.min_length}"
        if c.max_length is not None and len(value) > c.max_length:
            return f"the schema's default {shown} violates maxLength {c.max_length}"
    return ""


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_label(type_ref: TypeRef) -> str:
    kind = type_ref.kind
    if kind in ("list", "dict", "nullable") and type_ref.item is not None:
        inner = _type_label(type_ref.item)
        return {
            "list": f"array of {inner}",
            "dict": f"object of {inner}",
            "nullable": f"{inner} or null",
        }[kind]
    if kind == "enum":
        return "enum [" + ", ".join(_short(v) for v in type_ref.enum_values) + "]"
    return kind


# --- document level -------------------------------------------------------------


def _json_body_schema(
    builder: _Builder, owner: Mapping[str, Any], pointer: str, what: str
) -> tuple[Any, str] | None:
    """``owner.content["application/json"].schema`` and its pointer."""
    content = owner.get("content")
    content_ptr = join_pointer(pointer, "content")
    if not isinstance(content, Mapping) or "application/json" not in content:
        builder.diag.add(content_ptr, f"{what} must have content 'application/json' with a schema")
        return None
    media = content["application/json"]
    media_ptr = join_pointer(content_ptr, "application/json")
    if not isinstance(media, Mapping) or "schema" not in media:
        builder.diag.add(media_ptr, f"{what} content 'application/json' must have a schema")
        return None
    return media["schema"], join_pointer(media_ptr, "schema")


@dataclass
class _RawCommand:
    name: str
    description: str
    params: ObjectType
    reply_component: str | None
    reply_pointer: str
    pointer: str


def build_ir(doc: Mapping[str, Any], *, file: str) -> ModelIR:
    """Validate ``doc`` (a parsed schema document) into an unnamed :class:`ModelIR`.

    Raises :class:`~reactor_gen.diagnostics.DiagnosticError` listing every problem.
    """
    diag = Collector(file)
    if not isinstance(doc, Mapping):
        diag.add(
            "",
            f"the schema must be a JSON object (an OpenAPI document), got {_describe(doc)}",
        )
        diag.raise_if_any()
    builder = _Builder(doc=doc, diag=diag)

    openapi = doc.get("openapi")
    if not isinstance(openapi, str) or not openapi.startswith("3."):
        diag.add(
            "/openapi" if "openapi" in doc else "",
            f"expected an OpenAPI 3.x document ('openapi': '3.1.0'), got "
            f"{'no openapi key' if 'openapi' not in doc else _short(openapi)}",
        )

    # components first: refs resolve against them.
    components: Mapping[str, Any] = {}
    comps = doc.get("components", {})
    if not isinstance(comps, Mapping):
        diag.add("/components", f"components must be an object, got {_describe(comps)}")
    else:
        schemas = comps.get("schemas", {})
        if not isinstance(schemas, Mapping):
            diag.add(
                "/components/schemas",
                f"components.schemas must be an object, got {_describe(schemas)}",
            )
        else:
            components = schemas
    builder.components = components

    title, version, description = _parse_info(builder)
    tracks = _parse_tracks(builder)
    messages, component_to_message, layout = _parse_webhooks(builder)
    raw_commands = _parse_paths(builder)

    known = frozenset(m.name for m in messages)
    commands: list[Command] = []
    for raw in raw_commands:
        reply: str | None = None
        if raw.reply_component is not None:
            reply = component_to_message.get(raw.reply_component)
            if reply is None:
                used = ", ".join(sorted(component_to_message)) or "none"
                diag.add(
                    raw.reply_pointer,
                    f"command {raw.name!r} replies with component {raw.reply_component!r}, "
                    f"which no webhook uses as its body (components used by webhooks: {used}); "
                    "a reply must be one of the model's messages",
                )
        commands.append(
            Command(
                name=raw.name,
                description=raw.description,
                params=raw.params,
                reply=reply,
                emits=extract_emits(raw.description, known),
                pointer=raw.pointer,
            )
        )
    _check_duplicates(diag, "command", [(c.name, c.pointer) for c in commands])
    _check_duplicates(diag, "message", [(m.name, m.pointer) for m in messages])

    diag.raise_if_any()
    assert title is not None and version is not None
    return ModelIR(
        title=title,
        version=version,
        description=description,
        commands=tuple(sorted(commands, key=lambda c: c.name)),
        messages=tuple(sorted(messages, key=lambda m: m.name)),
        tracks=tuple(tracks),
        layout=layout,
        warnings=diag.warnings,
    )


def _check_duplicates(diag: Collector, what: str, items: list[tuple[str, str]]) -> None:
    first: dict[str, str] = {}
    for name, pointer in sorted(items, key=lambda item: item[1]):
        if name in first:
            diag.add(
                pointer,
                f"duplicate {what} name {name!r} (also defined at {first[name] or '/'})",
            )
        else:
            first[name] = pointer


def _parse_info(builder: _Builder) -> tuple[str | None, str | None, str]:
    diag = builder.diag
    info = builder.doc.get("info")
    if not isinstance(info, Mapping):
        diag.add(
            "/info" if "info" in builder.doc else "",
            "missing or invalid 'info' object (needs title and version)",
        )
        return None, None, ""
    title = info.get("title")
    if not isinstance(title, str):
        diag.add(
            "/info/title" if "title" in info else "/info",
            "info.title must be a string (the model name)",
        )
        title = None
    elif TITLE_RE.fullmatch(title) is None:
        diag.add(
            "/info/title",
            f"invalid model name {title!r}: expected letters, digits, '-' or '_', starting "
            "with a letter (e.g. 'longlive-v2')",
        )
    version = info.get("version")
    if not isinstance(version, str):
        diag.add(
            "/info/version" if "version" in info else "/info",
            "info.version must be a string like 'v1.2.3'",
        )
        version = None
    else:
        problem = version_problem(version)
        if problem:
            diag.add("/info/version", problem)
    description = builder._text(info, "description", "/info")
    return title, version, description


def _parse_tracks(builder: _Builder) -> list[Track]:
    diag = builder.diag
    ext = builder.doc.get("x-reactor", {})
    if not isinstance(ext, Mapping):
        diag.add("/x-reactor", f"x-reactor must be an object, got {_describe(ext)}")
        return []
    raw_tracks = ext.get("tracks", [])
    if not isinstance(raw_tracks, list):
        diag.add(
            "/x-reactor/tracks",
            f"x-reactor.tracks must be an array, got {_describe(raw_tracks)}",
        )
        return []
    tracks: list[Track] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(raw_tracks):
        ptr = join_pointer("/x-reactor/tracks", index)
        if not isinstance(raw, Mapping):
            diag.add(
                ptr,
                f"a track must be an object {{name, kind, direction}}, got {_describe(raw)}",
            )
            continue
        name, kind, direction = raw.get("name"), raw.get("kind"), raw.get("direction")
        ok = True
        if not isinstance(name, str) or NAME_RE.fullmatch(name) is None:
            diag.add(
                join_pointer(ptr, "name"),
                f"invalid track name {name!r}: expected snake_case ([a-z_][a-z0-9_]*)",
            )
            ok = False
        if kind not in ("video", "audio"):
            diag.add(
                join_pointer(ptr, "kind"),
                f"invalid track kind {kind!r}: expected 'video' or 'audio'",
            )
            ok = False
        if direction not in ("in", "out"):
            diag.add(
                join_pointer(ptr, "direction"),
                f"invalid track direction {direction!r}: expected 'in' (client sends) "
                "or 'out' (client receives)",
            )
            ok = False
        if isinstance(name, str) and name in seen:
            diag.add(
                join_pointer(ptr, "name"),
                f"duplicate track name {name!r} (also at {seen[name]})",
            )
            ok = False
        if isinstance(name, str):
            seen.setdefault(name, join_pointer(ptr, "name"))
        if ok:
            tracks.append(
                Track(
                    name=cast(str, name),
                    kind=cast(Literal["video", "audio"], kind),
                    direction=cast(Literal["in", "out"], direction),
                    pointer=ptr,
                )
            )
    return tracks


def _operation(
    builder: _Builder, item: Any, pointer: str, what: str
) -> tuple[Mapping[str, Any], str] | None:
    diag = builder.diag
    if not isinstance(item, Mapping):
        diag.add(
            pointer,
            f"{what} must be an object with a 'post' operation, got {_describe(item)}",
        )
        return None
    for method in _HTTP_METHODS:
        if method != "post" and method in item:
            diag.add(
                join_pointer(pointer, method),
                f"unsupported operation '{method}': Reactor {what}s are 'post' operations only",
            )
    if "post" not in item:
        diag.add(pointer, f"{what} has no 'post' operation")
        return None
    op = item["post"]
    op_ptr = join_pointer(pointer, "post")
    if not isinstance(op, Mapping):
        diag.add(op_ptr, f"the 'post' operation must be an object, got {_describe(op)}")
        return None
    return op, op_ptr


def _op_name(
    builder: _Builder, op: Mapping[str, Any], op_ptr: str, fallback: str, what: str
) -> str | None:
    if "operationId" in op:
        name = op["operationId"]
        where = join_pointer(op_ptr, "operationId")
    else:
        name, where = fallback, op_ptr
    if not isinstance(name, str) or NAME_RE.fullmatch(name) is None:
        builder.diag.add(
            where,
            f"invalid {what} name {name!r}: expected snake_case ([a-z_][a-z0-9_]*), "
            "e.g. 'set_prompt'",
        )
        return None
    return name


def _command_name(
    builder: _Builder, op: Mapping[str, Any], op_ptr: str, segment: str, path_ptr: str
) -> str | None:
    """The command's name: the path segment, which must be an identifier and equal the
    ``operationId`` when there is one."""
    if NAME_RE.fullmatch(segment) is None:
        builder.diag.add(
            path_ptr,
            f"invalid command name {segment!r} in the path: expected snake_case "
            "([a-z_][a-z0-9_]*), e.g. '/events/set_prompt'",
        )
        return None
    name = _op_name(builder, op, op_ptr, segment, "command")
    if name is not None and name != segment:
        builder.diag.add(
            join_pointer(op_ptr, "operationId"),
            f"operationId {name!r} does not match the path's command name {segment!r}; "
            "the runtime names a command once, so both must be the same",
        )
        return None
    return name


def _parse_paths(builder: _Builder) -> list[_RawCommand]:
    diag = builder.diag
    paths = builder.doc.get("paths", {})
    if not isinstance(paths, Mapping):
        diag.add("/paths", f"paths must be an object, got {_describe(paths)}")
        return []
    result: list[_RawCommand] = []
    for path, item in paths.items():
        ptr = join_pointer("/paths", path)
        segments = path.split("/") if isinstance(path, str) else []
        if len(segments) != 3 or segments[0] != "" or segments[1] != "events" or not segments[2]:
            diag.add(
                ptr,
                f"unsupported path {path!r}: commands must be at '/events/<command>' "
                "(the runtime renders nothing else)",
            )
            continue
        found = _operation(builder, item, ptr, "command")
        if found is None:
            continue
        op, op_ptr = found
        name = _command_name(builder, op, op_ptr, segments[2], ptr)
        summary = builder._text(op, "summary", op_ptr)
        long_text = builder._text(op, "description", op_ptr)
        description = summary or long_text
        params: ObjectType | None
        if "requestBody" in op:
            body = op["requestBody"]
            body_ptr = join_pointer(op_ptr, "requestBody")
            if not isinstance(body, Mapping):
                diag.add(body_ptr, f"requestBody must be an object, got {_describe(body)}")
                params = None
            else:
                found_schema = _json_body_schema(builder, body, body_ptr, "requestBody")
                params = (
                    None if found_schema is None else builder.parse_object(*found_schema, "command")
                )
        else:
            params = ObjectType(fields=(), pointer=op_ptr)
        reply_component, reply_ptr = _parse_responses(builder, op, op_ptr)
        if name is None or params is None:
            continue
        result.append(
            _RawCommand(
                name=name,
                description=description,
                params=params,
                reply_component=reply_component,
                reply_pointer=reply_ptr,
                pointer=op_ptr,
            )
        )
    return result


def _parse_responses(
    builder: _Builder, op: Mapping[str, Any], op_ptr: str
) -> tuple[str | None, str]:
    diag = builder.diag
    responses = op.get("responses", {})
    resp_ptr = join_pointer(op_ptr, "responses")
    if not isinstance(responses, Mapping):
        diag.add(resp_ptr, f"responses must be an object, got {_describe(responses)}")
        return None, resp_ptr
    if "200" not in responses:
        return None, resp_ptr
    ok = responses["200"]
    ok_ptr = join_pointer(resp_ptr, "200")
    if not isinstance(ok, Mapping):
        diag.add(ok_ptr, f"response 200 must be an object, got {_describe(ok)}")
        return None, ok_ptr
    found = _json_body_schema(builder, ok, ok_ptr, "response 200")
    if found is None:
        return None, ok_ptr
    schema, schema_ptr = found
    if not isinstance(schema, Mapping) or "$ref" not in schema:
        diag.add(
            schema_ptr,
            "a 200 reply must be a $ref to a message component ('#/components/schemas/<Message>'); "
            "inline reply schemas are not supported",
        )
        return None, schema_ptr
    resolved = builder.resolve_ref(schema["$ref"], schema_ptr)
    if resolved is None:
        return None, schema_ptr
    return resolved[0], join_pointer(schema_ptr, "$ref")


def _parse_webhooks(
    builder: _Builder,
) -> tuple[list[Message], dict[str, str], Literal["3.x", "2.x"]]:
    diag = builder.diag
    hooks = builder.doc.get("webhooks", {})
    if not isinstance(hooks, Mapping):
        diag.add("/webhooks", f"webhooks must be an object, got {_describe(hooks)}")
        return [], {}, "3.x"
    messages: list[Message] = []
    component_to_message: dict[str, str] = {}
    any_ref = False
    for key, item in hooks.items():
        ptr = join_pointer("/webhooks", key)
        found = _operation(builder, item, ptr, "message")
        if found is None:
            continue
        op, op_ptr = found
        name = _op_name(builder, op, op_ptr, key, "message")
        summary = builder._text(op, "summary", op_ptr)
        long_text = builder._text(op, "description", op_ptr)
        if summary and long_text and long_text != summary and long_text.startswith(summary):
            description = long_text  # 2.x: summary = first paragraph, description = all
        else:
            description = summary or long_text
        body = op.get("requestBody")
        body_ptr = join_pointer(op_ptr, "requestBody")
        if not isinstance(body, Mapping):
            diag.add(
                body_ptr,
                "a message needs a requestBody with an application/json schema",
            )
            continue
        found_schema = _json_body_schema(builder, body, body_ptr, "requestBody")
        if found_schema is None:
            continue
        schema, schema_ptr = found_schema
        component: str | None = None
        if isinstance(schema, Mapping) and "$ref" in schema:
            any_ref = True
            resolved = builder.resolve_ref(schema["$ref"], schema_ptr)
            if resolved is None:
                continue
            component = resolved[0]
            if _is_upload_target(component, resolved[1]):
                diag.add(
                    join_pointer(schema_ptr, "$ref"),
                    "a message body cannot be an upload reference",
                )
                continue
        payload = builder.parse_object(schema, schema_ptr, "message")
        if name is None or payload is None:
            continue
        if component is not None:
            other = component_to_message.get(component)
            if other is not None and other != name:
                diag.add(
                    join_pointer(schema_ptr, "$ref"),
                    f"messages {other!r} and {name!r} share component {component!r}; "
                    "replies could not be told apart",
                )
            component_to_message.setdefault(component, name)
        messages.append(
            Message(
                name=name,
                description=description,
                payload=payload,
                component=component,
                pointer=op_ptr,
            )
        )
    layout: Literal["3.x", "2.x"] = "2.x" if hooks and not any_ref else "3.x"
    return messages, component_to_message, layout
