"""The type, field and constraint parser: one schema fragment at a time, into
:class:`~reactor_gen.ir.model.SchemaType`, :class:`~reactor_gen.ir.model.Field` and
:class:`~reactor_gen.ir.model.ObjectType` (rules in :mod:`reactor_gen.ir.build`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from reactor_gen.diagnostics import Collector, join_pointer
from reactor_gen.ir.model import Constraints, Field, JsonValue, ObjectType
from reactor_gen.ir.rules import (
    _HINT_NULLABLE,
    _SCALAR_KINDS,
    _UNSUPPORTED_KEYWORDS,
    _UPLOAD_COMPONENT,
    COMPONENTS_PREFIX,
    FIELD_NAME_RE,
    SCHEMA_KEYWORDS,
    TYPE_NAMES,
    UPLOAD_FORMATS,
    close_match,
    describe,
    expect_mapping,
    short,
    unknown_type_message,
)
from reactor_gen.jsonvalue import freeze_json, thaw_json
from reactor_gen.types import (
    KINDS,
    AnyType,
    DictType,
    EnumType,
    ListType,
    NullableType,
    ObjectRefType,
    SchemaType,
    StringType,
    UploadType,
    same_choice,
)

__all__ = ["SchemaParser", "is_upload_target", "same_choice"]


def is_upload_target(key: str, target: Any) -> bool:
    if key == _UPLOAD_COMPONENT:
        return True
    return isinstance(target, Mapping) and target.get("format") in UPLOAD_FORMATS


def _enum_pointer(frag: Mapping[str, Any], pointer: str) -> str:
    """Where a (possibly nullable) field's ``enum`` is: on the fragment itself, or on
    its non-null ``anyOf`` arm."""
    if "enum" in frag:
        return pointer
    arms = frag.get("anyOf")
    if isinstance(arms, list):
        for index, arm in enumerate(arms):
            if isinstance(arm, Mapping) and "enum" in arm:
                return join_pointer(pointer, "anyOf", index)
    return pointer


_Context = Literal["command", "message", "nested"]


@dataclass
class SchemaParser:
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
                f"$ref must be a string, got {describe(ref)}",
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

    def parse_type(self, frag: Any, pointer: str) -> SchemaType | None:
        """The type of a schema fragment; None after a diagnostic."""
        if not isinstance(frag, Mapping):
            self.diag.add(pointer, f"expected a schema object, got {describe(frag)}")
            return None
        self._warn_misspelt_keywords(frag, pointer)
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
            return AnyType()
        if isinstance(kind, list):
            self.diag.add(
                join_pointer(pointer, "type"),
                f"unsupported type array {kind!r}: use a single type string ({_HINT_NULLABLE})",
            )
            return None
        if not isinstance(kind, str):
            self.diag.add(
                join_pointer(pointer, "type"),
                f"type must be a string, got {describe(kind)}",
            )
            return None
        if kind in _SCALAR_KINDS:
            fmt = frag.get("format")
            if kind == "string" and isinstance(fmt, str):
                return StringType(format=fmt)
            return KINDS[kind]()
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
        self.diag.add(join_pointer(pointer, "type"), unknown_type_message(kind))
        return None

    def _warn_misspelt_keywords(self, frag: Mapping[str, Any], pointer: str) -> None:
        """A keyword that is no schema keyword but close to one (``minimun``) is a typo the
        build would otherwise drop without a word: warn, naming the one meant."""
        for key in frag:
            if not isinstance(key, str) or key in SCHEMA_KEYWORDS or key.startswith("x-"):
                continue
            meant = close_match(key, SCHEMA_KEYWORDS)
            if meant is not None:
                self.diag.warn(
                    join_pointer(pointer, key),
                    f"unknown keyword {key!r} is ignored; did you mean {meant!r}?",
                )

    def _parse_ref(self, frag: Mapping[str, Any], pointer: str) -> SchemaType | None:
        resolved = self.resolve_ref(frag["$ref"], pointer)
        if resolved is None:
            return None
        key, target = resolved
        if is_upload_target(key, target):
            return UploadType()
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

    def _parse_any_of(self, frag: Mapping[str, Any], pointer: str) -> SchemaType | None:
        arms = frag["anyOf"]
        arms_ptr = join_pointer(pointer, "anyOf")
        if not isinstance(arms, list):
            self.diag.add(arms_ptr, f"anyOf must be an array, got {describe(arms)}")
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
        if inner.admits_null:
            return inner
        return NullableType(inner)

    def _parse_enum(self, frag: Mapping[str, Any], pointer: str) -> SchemaType | None:
        values = frag["enum"]
        enum_ptr = join_pointer(pointer, "enum")
        if not isinstance(values, list) or not values:
            self.diag.add(enum_ptr, f"enum must be a non-empty array, got {describe(values)}")
            return None
        kind = frag.get("type")
        checks: dict[str, Any] = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
        }
        if kind is not None and kind not in checks:
            misspelt = isinstance(kind, str) and kind not in (*TYPE_NAMES, "null")
            self.diag.add(
                join_pointer(pointer, "type"),
                unknown_type_message(kind)
                if misspelt
                else f"enum with type {kind!r} is not supported: enum values must be strings, "
                "integers, numbers or booleans",
            )
            return None
        ok = True
        seen: list[tuple[type, Any]] = []
        choices: list[Any] = []
        for index, value in enumerate(values):
            value_ptr = join_pointer(enum_ptr, index)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                self.diag.add(value_ptr, f"enum values must be scalars, got {describe(value)}")
                ok = False
                continue
            if kind is not None and not checks[kind](value):
                self.diag.add(value_ptr, f"enum value {value!r} does not match type {kind!r}")
                ok = False
                continue
            if kind == "number" and isinstance(value, (int, float)):
                # the choices of a float field (InputField(choices=[1, 2]) renders ints):
                # floats in the IR, so the field stays a float
                value = float(value)
            if (type(value), value) in seen:
                self.diag.add(value_ptr, f"duplicate enum value {value!r}")
                ok = False
            else:
                seen.append((type(value), value))
                choices.append(value)
        if not ok:
            return None
        return EnumType(tuple(choices))

    def _parse_array(self, frag: Mapping[str, Any], pointer: str) -> SchemaType | None:
        if "items" not in frag:
            return ListType(AnyType())
        items = frag["items"]
        if isinstance(items, list):
            self.diag.add(
                join_pointer(pointer, "items"),
                "tuple validation (items as an array) is not supported: use a single items schema",
            )
            return None
        item = self.parse_type(items, join_pointer(pointer, "items"))
        return None if item is None else ListType(item)

    def _parse_object_like(self, frag: Mapping[str, Any], pointer: str) -> SchemaType | None:
        if frag.get("format") in UPLOAD_FORMATS:
            return UploadType()
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
                return None if obj is None else ObjectRefType(obj)
        if extra is None or extra is True:
            return DictType(AnyType())
        if extra is False:
            return ObjectRefType(ObjectType(fields=(), pointer=pointer))
        value = self.parse_type(extra, join_pointer(pointer, "additionalProperties"))
        return None if value is None else DictType(value)

    # .. objects and fields ..

    def parse_object(self, frag: Any, pointer: str, context: _Context) -> ObjectType | None:
        """An object schema with ``properties`` (body, payload or nested object)."""
        if not isinstance(frag, Mapping):
            self.diag.add(pointer, f"expected an object schema, got {describe(frag)}")
            return None
        if "$ref" in frag and context != "nested":
            resolved = self.resolve_ref(frag["$ref"], pointer)
            if resolved is None:
                return None
            key, target = resolved
            return self.parse_object(target, join_pointer("/components/schemas", key), context)
        self._warn_misspelt_keywords(frag, pointer)  # ``requried`` would drop every required
        kind = frag.get("type", "object")
        if kind != "object":
            self.diag.add(
                join_pointer(pointer, "type"),
                f"expected an object schema (type 'object' with properties), got type {kind!r}",
            )
            return None
        properties = frag.get("properties", {})
        props_ptr = join_pointer(pointer, "properties")
        if expect_mapping(self.diag, properties, props_ptr, "properties") is None:
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
                f"required must be an array of property names, got {describe(required)}",
            )
            return set()
        result: set[str] = set()
        for index, name in enumerate(required):
            if not isinstance(name, str):
                self.diag.add(
                    join_pointer(req_ptr, index),
                    f"required entries must be strings, got {describe(name)}",
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
                f"{key} must be a string, got {describe(value)}",
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
            if raw_default is None and not type_ref.admits_null:
                # `UploadedFile = None` setters render the $ref with "default": null.
                type_ref = NullableType(type_ref)
            elif isinstance(type_ref.unwrap(), UploadType) and raw_default is not None:
                self.diag.add(
                    join_pointer(pointer, "default"),
                    "an upload reference can only default to null",
                )
                ok = False
            elif not type_ref.conforms(raw_default):
                self.diag.add(
                    join_pointer(pointer, "default"),
                    f"default {short(raw_default)} does not match the field's type "
                    f"({type_ref.label()})",
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
                    f"x-reactor-moderate must be true or false, got {describe(flag)}",
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
        self, frag: Mapping[str, Any], pointer: str, type_ref: SchemaType
    ) -> Constraints | None:
        values: dict[str, Any] = {}
        ok = True
        effective = type_ref.unwrap()
        for key, attr in (("minimum", "minimum"), ("maximum", "maximum")):
            if key not in frag:
                continue
            value = frag[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} must be a number, got {describe(value)}",
                )
                ok = False
            elif not effective.takes_bounds:
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} applies only to integer or number fields, not {type_ref.label()}",
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
                    f"{key} must be a non-negative integer, got {short(value)}",
                )
                ok = False
            elif not effective.takes_lengths:
                self.diag.add(
                    join_pointer(pointer, key),
                    f"{key} applies only to string (or array) fields, not {type_ref.label()}",
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
        if (
            isinstance(effective, EnumType)
            and effective.takes_bounds
            and not self._choices_within_bounds(frag, pointer, type_ref, values)
        ):
            return None
        return Constraints(**values)

    def _choices_within_bounds(
        self, frag: Mapping[str, Any], pointer: str, type_ref: SchemaType, bounds: dict[str, Any]
    ) -> bool:
        """A numeric enum with bounds (``InputField(choices=[1, 2, 4, 8], ge=1, le=8)``):
        every choice must satisfy them, or the runtime would refuse that choice."""
        low, high = bounds.get("minimum"), bounds.get("maximum")
        enum_ptr = join_pointer(_enum_pointer(frag, pointer), "enum")
        ok = True
        for index, value in enumerate(type_ref.unwrap().choices):
            assert isinstance(value, (int, float))
            if low is not None and value < low:
                broken = f"minimum {short(low)}"
            elif high is not None and value > high:
                broken = f"maximum {short(high)}"
            else:
                continue
            self.diag.add(
                join_pointer(enum_ptr, index),
                f"choice {short(value)} violates {broken}: the runtime would refuse it",
            )
            ok = False
        return ok


def _default_violation(value: Any, type_ref: SchemaType, constraints: Constraints) -> str:
    """Why ``value`` (a field's schema default) violates the field's own constraints, or
    "" when it satisfies them (``null`` for a nullable field always does)."""
    if value is None or isinstance(type_ref, AnyType):
        return ""
    shown = f"`{short(value)}`"  # a code span: the text lands in docstrings and the README
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
