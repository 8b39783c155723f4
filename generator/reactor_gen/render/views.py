"""View objects the templates read: everything derived from the IR, precomputed.

Type expressions come in two flavours:

* **model** annotations (fields of the pydantic classes): commands use strict booleans
  and integers and an ``UploadSource`` validator for uploads; messages are lax
  (``7.0`` validates into ``int``) and read uploads as ``reactor_client.UploadReference``;
* **argument** annotations (keyword parameters of the generated command methods):
  plain Python types; nested objects also accept a mapping; uploads accept a reference,
  a path or bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from reactor_gen.ir.build import thaw_json
from reactor_gen.ir.model import (
    Command,
    Field,
    Message,
    ModelIR,
    ObjectType,
    Track,
    TypeRef,
)
from reactor_gen.render.filters import py_literal, py_str, py_value
from reactor_gen.version import (
    PYDANTIC_REQUIREMENT,
    RUNTIME_API_VERSION,
    RUNTIME_REQUIREMENT,
)

__all__ = [
    "ClassView",
    "CommandView",
    "FieldView",
    "MessageView",
    "ModelView",
    "TrackView",
    "build_view",
]

Side = Literal["command", "message"]
SAMPLE_TEXT = "A sunset over the ocean"
UPLOAD_ARG = "reactor_client.UploadReference | str | os.PathLike[str] | bytes"


# ----------------------------------------------------------------------------- types
def _type_expr(t: TypeRef, leaf: Callable[[TypeRef], str]) -> str:
    """A type annotation: containers (nullable, list, dict) around leaves rendered by ``leaf``."""
    if t.kind in ("nullable", "list", "dict"):
        assert t.item is not None
        inner = _type_expr(t.item, leaf)
        return {
            "nullable": f"{inner} | None",
            "list": f"list[{inner}]",
            "dict": f"dict[str, {inner}]",
        }[t.kind]
    return leaf(t)


def model_type(t: TypeRef, side: Side, qual: str = "") -> str:
    """Annotation of a pydantic field. ``qual`` prefixes nested class names. Command
    parameters are strict (no ``"7"`` → 7, no 1 → True); messages are lax (``7.0`` → 7)."""

    def leaf(t: TypeRef) -> str:
        k = t.kind
        if k == "integer":
            return "pydantic.StrictInt" if side == "command" else "int"
        if k == "boolean":
            return "pydantic.StrictBool" if side == "command" else "bool"
        if k == "upload":
            return "UploadSource" if side == "command" else "reactor_client.UploadReference"
        return _plain_leaf(t, qual)

    return _type_expr(t, leaf)


def arg_type(t: TypeRef, qual: str = "_commands.") -> str:
    """Annotation of a command method's keyword parameter."""

    def leaf(t: TypeRef) -> str:
        if t.kind == "object":
            assert t.obj is not None
            return f"{qual}{t.obj.class_name} | typing.Mapping[str, typing.Any]"
        if t.kind == "upload":
            return UPLOAD_ARG
        return _plain_leaf(t, qual)

    return _type_expr(t, leaf)


def _plain_leaf(t: TypeRef, qual: str) -> str:
    """The annotation both sides share for a non-container type."""
    k = t.kind
    if k in _SCALARS:
        return _SCALARS[k]
    if k == "enum":
        return literal_type(t)
    if k == "object":
        assert t.obj is not None
        return qual + t.obj.class_name
    return "typing.Any"


_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def literal_type(t: TypeRef) -> str:
    values = ", ".join(py_literal(v) for v in t.enum_values)
    return f"typing.Literal[{values}]" if values else "typing.Any"


def doc_type(t: TypeRef) -> str:
    """Human-readable type for docs and README tables."""
    k = t.kind
    if k == "enum":
        return " \\| ".join(py_value(v) for v in t.enum_values) or "any"
    if k == "nullable":
        assert t.item is not None
        return f"{doc_type(t.item)} or None"
    if k == "list":
        assert t.item is not None
        return f"list[{doc_type(t.item)}]"
    if k == "dict":
        assert t.item is not None
        return f"dict[str, {doc_type(t.item)}]"
    if k == "object":
        assert t.obj is not None
        return t.obj.class_name
    if k == "upload":
        return "upload (path, bytes or UploadReference)"
    return {
        "string": "str",
        "integer": "int",
        "number": "float",
        "boolean": "bool",
    }.get(k, "any")


def _is_upload(t: TypeRef) -> bool:
    return t.kind == "upload" or (
        t.kind == "nullable" and t.item is not None and t.item.kind == "upload"
    )


def _is_container(value: Any) -> bool:
    return isinstance(value, (list, dict))


def constraint_note(f: Field, *, with_default: bool = True) -> str:
    """``(min 0, max 1, min length 1, max length 32, default 42)`` or ``""``."""
    c = f.constraints
    parts: list[str] = []
    if c.minimum is not None:
        parts.append(f"min {py_value(c.minimum)}")
    if c.maximum is not None:
        parts.append(f"max {py_value(c.maximum)}")
    if c.min_length is not None:
        parts.append(f"min length {c.min_length}")
    if c.max_length is not None:
        parts.append(f"max length {c.max_length}")
    if with_default and f.has_default:
        parts.append(f"default {py_value(thaw_json(f.default))}")
    return f"({', '.join(parts)})" if parts else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in (p.strip() for p in parts) if p)


# ----------------------------------------------------------------------------- views
@dataclass(frozen=True)
class FieldView:
    field: Field
    py_name: str
    wire_name: str
    model_type: str
    field_call: str
    """``pydantic.Field(...)`` expression (defaults, alias, constraints, description)."""
    doc: str
    """Description plus constraints note (raw text; escape in the template)."""
    description: str
    doc_type: str
    required: bool
    note: str
    # command-only
    arg_type: str = ""
    arg_default: str = ""
    """Signature default expression ("" when required)."""
    is_upload: bool = False


@dataclass(frozen=True)
class ClassView:
    class_name: str
    doc: str
    fields: tuple[FieldView, ...]
    wire_type: str = ""
    """The message's wire type (messages only; "" for params and nested classes)."""


@dataclass(frozen=True)
class CommandView:
    command: Command
    name: str
    method_name: str
    params: ClassView
    args: tuple[FieldView, ...]
    uploads: tuple[FieldView, ...]
    reply_class: str
    """Class name of the reply message, or "" for commands without a 200 reply."""
    reply_name: str
    emits: tuple[str, ...]
    doc: str
    example_args: str
    """``prompt="A sunset over the ocean", at_session_chunk=0`` for the README."""


@dataclass(frozen=True)
class MessageView:
    message: Message
    name: str
    class_name: str
    listener_name: str
    waiter_name: str
    cls: ClassView
    doc: str
    example_fields: tuple[str, ...]


@dataclass(frozen=True)
class TrackView:
    track: Track
    name: str
    kind: str
    direction: str
    client_direction: str
    attr_name: str
    publish_name: str
    unpublish_name: str


@dataclass(frozen=True)
class ModelView:
    ir: ModelIR
    title: str
    version: str
    package_version: str
    description: str
    prefix: str
    package: str
    model_class: str
    union_name: str
    distribution: str
    schema_name: str
    sha256: str
    runtime_requirement: str
    runtime_api_version: int
    pydantic_requirement: str
    commands: tuple[CommandView, ...]
    messages: tuple[MessageView, ...]
    command_classes: tuple[ClassView, ...]
    """Every class of commands.py, nested classes before their users."""
    message_classes: tuple[ClassView, ...]
    """Every class of messages.py, nested classes before their users."""
    tracks: tuple[TrackView, ...]
    input_tracks: tuple[TrackView, ...]
    output_tracks: tuple[TrackView, ...]
    has_uploads: bool
    exports: tuple[tuple[str, tuple[str, ...]], ...]
    """(module, names) re-exported by ``__init__``."""
    all_names: tuple[str, ...]


def _field_view(f: Field, side: Side) -> FieldView:
    kwargs: list[str] = []
    default_value = thaw_json(f.default) if f.has_default else None
    if f.has_default:
        kwargs.append(f"default={py_literal(f.default)}")
    elif not f.required:
        kwargs.append("default=None")
    if f.py_name != f.name:
        kwargs.append(f"alias={py_str(f.name)}")
    c = f.constraints
    if c.minimum is not None:
        kwargs.append(f"ge={py_value(c.minimum)}")
    if c.maximum is not None:
        kwargs.append(f"le={py_value(c.maximum)}")
    if c.min_length is not None:
        kwargs.append(f"min_length={c.min_length}")
    if c.max_length is not None:
        kwargs.append(f"max_length={c.max_length}")
    if f.description:
        kwargs.append(f"description={py_str(f.description)}")
    mtype = model_type(f.type, side)
    if not f.has_default and not f.required and f.type.kind not in ("nullable", "any"):
        mtype += " | None"
    note = constraint_note(f)
    doc = _join(f.description, note) or f"The ``{f.name}`` field."
    atype = ""
    arg_default = ""
    if side == "command":
        atype = arg_type(f.type)
        if f.has_default:
            if _is_container(default_value):
                atype += " | _commands.Omitted"
                arg_default = "_commands.OMIT"
            else:
                arg_default = py_literal(f.default)
        elif not f.required:
            if f.type.kind not in ("nullable", "any"):
                atype += " | None"
            arg_default = "None"
    return FieldView(
        field=f,
        py_name=f.py_name,
        wire_name=f.name,
        model_type=mtype,
        field_call=f"pydantic.Field({', '.join(kwargs)})",
        doc=doc,
        description=f.description,
        doc_type=doc_type(f.type),
        required=f.required and not f.has_default,
        note=note,
        arg_type=atype,
        arg_default=arg_default,
        is_upload=_is_upload(f.type),
    )


def _collect_classes(
    obj: ObjectType, side: Side, doc: str, wire_type: str, out: list[ClassView]
) -> ClassView:
    """Append the classes of ``obj``'s nested objects (depth first), then ``obj``'s."""

    def nested(t: TypeRef, owner: Field) -> None:
        if t.kind == "object" and t.obj is not None:
            _collect_classes(
                t.obj,
                side,
                t.obj.description or owner.description or f"The ``{owner.name}`` object.",
                "",
                out,
            )
        elif t.item is not None:
            nested(t.item, owner)

    for f in obj.fields:
        nested(f.type, f)
    view = ClassView(
        class_name=obj.class_name,
        doc=doc,
        fields=tuple(_field_view(f, side) for f in obj.fields),
        wire_type=wire_type,
    )
    out.append(view)
    return view


# ----------------------------------------------------------------------------- examples
def example_value(f: Field) -> Any:
    """A realistic value for README examples (``None`` = leave the argument out)."""
    return _example(f.type, f)


def _example(t: TypeRef, f: Field | None) -> Any:
    default = thaw_json(f.default) if f is not None and f.has_default else None
    c = f.constraints if f is not None else None
    k = t.kind
    if k == "string":
        if isinstance(default, str) and default:
            return default
        return SAMPLE_TEXT
    if k in ("integer", "number"):
        low = c.minimum if c is not None else None
        high = c.maximum if c is not None else None
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if (low is None or default >= low) and (high is None or default <= high):
                if low is not None or default >= 0:
                    return default
        if low is not None:
            return low
        return 0 if k == "integer" else 0.5
    if k == "boolean":
        return default if isinstance(default, bool) else True
    if k == "enum":
        if f is not None and f.has_default and default in t.enum_values:
            return default
        return t.enum_values[0] if t.enum_values else None
    if k == "nullable":
        assert t.item is not None
        return _example(t.item, f if t.item.kind not in ("object",) else None)
    if k == "list":
        assert t.item is not None
        if isinstance(default, list) and default:
            return default
        item = _example(t.item, None)
        return [item] if item is not None else []
    if k == "dict":
        return default if isinstance(default, dict) else {}
    if k == "object":
        assert t.obj is not None
        return {
            g.name: v for g in t.obj.fields if g.required and (v := _example(g.type, g)) is not None
        }
    if k == "upload":
        return _UploadPath("image.png")
    return None


class _UploadPath(str):
    """An example upload argument (rendered as a string path)."""


def example_args(command: Command) -> str:
    parts = []
    for f in command.params.fields:
        value = example_value(f)
        if value is None:
            continue
        parts.append(f"{f.py_name}={py_value(value)}")
    return ", ".join(parts)


# ----------------------------------------------------------------------------- docs
def _command_doc(cmd: Command, reply: Message | None, args: tuple[FieldView, ...]) -> str:
    lines: list[str] = [cmd.description.strip() or f"Send the ``{cmd.name}`` command."]
    if cmd.emits:
        lines += ["", "Emits: " + ", ".join(f"``{e}``" for e in cmd.emits) + "."]
    if args:
        lines += ["", "Args:"]
        for a in args:
            text = _join(a.description, a.note) or f"The ``{a.wire_name}`` argument."
            if a.is_upload:
                text = _join(
                    text,
                    "A path or bytes is uploaded first; an UploadReference is sent as is.",
                )
            body = text.split("\n")
            lines.append(f"    {a.py_name}: {body[0]}")
            lines += [f"        {line}" if line.strip() else "" for line in body[1:]]
    lines += ["", "Returns:"]
    if reply is not None:
        lines.append(
            f"    The ``{reply.name}`` reply as :class:`{reply.payload.class_name}`, or "
            "None when the runtime acknowledges without a reply (v0 codec)."
        )
    else:
        lines.append("    None, once the runtime has accepted the command.")
    lines += [
        "",
        "Raises:",
        "    reactor_client.CommandValidationError: an argument is invalid; nothing was sent.",
        "    reactor_client.CommandFailedError: the runtime or the model refused the command.",
        "    reactor_client.InvalidStateError: the client is not connected.",
    ]
    return "\n".join(lines)


def build_view(ir: ModelIR, *, schema_name: str, sha256: str) -> ModelView:
    command_classes: list[ClassView] = []
    message_classes: list[ClassView] = []
    messages: list[MessageView] = []
    for m in ir.messages:
        cls = _collect_classes(
            m.payload,
            "message",
            m.description.strip() or f"The ``{m.name}`` message.",
            m.name,
            message_classes,
        )
        messages.append(
            MessageView(
                message=m,
                name=m.name,
                class_name=m.payload.class_name,
                listener_name=m.listener_name,
                waiter_name=m.waiter_name,
                cls=cls,
                doc=m.description,
                example_fields=tuple(f.py_name for f in m.payload.fields),
            )
        )
    commands: list[CommandView] = []
    for c in ir.commands:
        params = _collect_classes(
            c.params,
            "command",
            f"Arguments of the ``{c.name}`` command (validated before sending).",
            "",
            command_classes,
        )
        reply = ir.message(c.reply) if c.reply else None
        args = params.fields
        commands.append(
            CommandView(
                command=c,
                name=c.name,
                method_name=c.method_name,
                params=params,
                args=args,
                uploads=tuple(a for a in args if a.is_upload),
                reply_class=reply.payload.class_name if reply is not None else "",
                reply_name=reply.name if reply is not None else "",
                emits=c.emits,
                doc=_command_doc(c, reply, args),
                example_args=example_args(c),
            )
        )
    tracks = tuple(
        TrackView(
            track=t,
            name=t.name,
            kind=t.kind,
            direction=t.direction,
            client_direction=t.client_direction,
            attr_name=t.attr_name,
            publish_name=t.publish_name,
            unpublish_name=t.unpublish_name,
        )
        for t in ir.tracks
    )
    model_class = f"{ir.prefix}Model"
    union_name = f"{ir.prefix}Message"
    inputs = tuple(t for t in tracks if t.direction == "in")
    outputs = tuple(t for t in tracks if t.direction == "out")
    track_names = ["TRACKS"]
    if tracks:
        track_names.append("TrackName")
    if inputs:
        track_names.append("InputTrackName")
    if outputs:
        track_names.append("OutputTrackName")
    exports: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("_client", ("MODEL_NAME", "MODEL_VERSION", "SCHEMA_SHA256", model_class)),
        ("commands", tuple(sorted(cv.class_name for cv in command_classes))),
        (
            "listeners",
            (f"{ir.prefix}Listeners",),
        ),
        (
            "messages",
            tuple(
                sorted(
                    [cv.class_name for cv in message_classes]
                    + ["UnknownMessage", union_name, "parse_message"]
                )
            ),
        ),
        ("tracks", tuple(sorted(track_names))),
    )
    all_names = tuple(sorted(n for _, names in exports for n in names))
    return ModelView(
        ir=ir,
        title=ir.title,
        version=ir.version,
        package_version=ir.package_version,
        description=ir.description,
        prefix=ir.prefix,
        package=ir.package,
        model_class=model_class,
        union_name=union_name,
        distribution=f"reactor-models-{ir.title.lower().replace('_', '-')}",
        schema_name=schema_name,
        sha256=sha256,
        runtime_requirement=RUNTIME_REQUIREMENT,
        runtime_api_version=RUNTIME_API_VERSION,
        pydantic_requirement=PYDANTIC_REQUIREMENT,
        commands=tuple(commands),
        messages=tuple(messages),
        command_classes=tuple(command_classes),
        message_classes=tuple(message_classes),
        tracks=tracks,
        input_tracks=inputs,
        output_tracks=outputs,
        has_uploads=any(cv.uploads for cv in commands),
        exports=exports,
        all_names=all_names,
    )
