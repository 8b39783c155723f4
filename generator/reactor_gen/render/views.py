"""View objects the templates read: everything derived from the IR, precomputed, so
templates only lay text out (no indexing, no logic beyond loops and flags).

Types come from :mod:`.types`, prose from :mod:`.docs`, README examples from
:mod:`.examples`. Views copy the IR fields templates need; ``field``/``command``/...
keep the IR node for the rare template that needs more.
"""

from __future__ import annotations

from dataclasses import dataclass

from reactor_gen.ir.model import Command, Field, Message, ModelIR, ObjectType, Track
from reactor_gen.naming import KEYWORDS, distribution_name
from reactor_gen.render import docs
from reactor_gen.render.examples import example_args, example_value
from reactor_gen.render.filters import py_literal, py_str, py_value
from reactor_gen.types import SchemaType, Side, UploadType, given_default
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
    "ModuleExports",
    "StateFieldView",
    "TrackView",
    "build_view",
]


@dataclass(frozen=True)
class FieldView:
    field: Field
    py_name: str
    wire_name: str
    model_type: str
    field_call: str
    """``pydantic.Field(...)`` expression (default, alias, constraints); the description
    is the attribute docstring (``use_attribute_docstrings``), never repeated here."""
    doc: str
    """Description plus constraints note, wrapped (raw text; escape in the template)."""
    description: str
    doc_type: str
    required: bool
    note: str
    """Constraints and default for the README (Markdown), see :func:`docs.constraint_note`."""
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
    command_name: str = ""
    """The command's wire name (a command's top-level params class only)."""
    description: str = ""
    """The schema's description of a nested object (raw text), "" when it has none."""


@dataclass(frozen=True)
class StateFieldView:
    """One state field: command ``set_<key>`` whose only parameter is ``<key>`` (the
    runtime's rule for a stepped request's ``state`` keys)."""

    key: str
    command: str
    params_class: str
    model_type: str
    doc_type: str
    description: str
    example: str
    """A Python literal for the README (``42``, ``'A sunset over the ocean'``)."""


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
    summary: str
    """The first sentence of the description (the blocking twin's one-line docstring)."""
    example_args: str
    """``prompt="A sunset over the ocean", at_session_chunk=0`` for the README."""
    nested: tuple[ClassView, ...] = ()
    """The nested classes its arguments use (``ConfigureParamsRegion``...), each once,
    in order of first use: the README lists their fields."""


@dataclass(frozen=True)
class MessageView:
    message: Message
    name: str
    class_name: str
    listener_name: str
    waiter_name: str
    cls: ClassView
    doc: str
    listener_doc: str
    waiter_doc: str
    example_fields: tuple[str, ...]
    nested: tuple[ClassView, ...] = ()
    """The nested classes its fields use, as for :attr:`CommandView.nested`."""


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
class ModuleExports:
    """Names ``__init__`` re-exports from one module."""

    module: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class ModelView:
    ir: ModelIR
    title: str
    version: str
    package_version: str
    description: str
    doc: str
    """The model class's docstring."""
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
    uses_omit: bool
    """Some command argument defaults to ``_typed.OMIT`` (a list or object default)."""
    uses_one_of: bool
    """commands.py defines ``_one_of``, the validator of numeric choices."""
    messages_use_pydantic: bool
    """A message field's type or default names ``pydantic`` (messages.py imports it)."""
    track_names: tuple[str, ...]
    """What tracks.py exports."""
    exports: tuple[ModuleExports, ...]
    """What ``__init__`` re-exports, module by module."""
    all_names: tuple[str, ...]
    state_class: str
    """``<Prefix>State``: the TypedDict of the state fields (``step(state=...)``)."""
    listeners_class: str
    """``<Prefix>Listeners``: the listener and waiter declarations (listeners.py)."""
    state_fields: tuple[StateFieldView, ...]
    state_doc: str
    step_doc: str
    state_class_syntax: bool
    """Every state key is a plain identifier (class syntax), else the functional form."""
    command_union: str
    """``<Prefix>Command``: the union of the top-level params classes (``step(commands=...)``)."""
    moderated_args: tuple[str, ...] = ()
    """``method(argument)`` of every argument marked ``x-reactor-moderate: true``."""

    @property
    def output_video_track(self) -> TrackView | None:
        """The first video track the model sends (what README examples show), if any."""
        return next((t for t in self.output_tracks if t.kind == "video"), None)


def _is_container(value: object) -> bool:
    return isinstance(value, (list, dict))


def _field_view(f: Field, side: Side) -> FieldView:
    kwargs: list[str] = []
    default_value = given_default(f)
    if f.has_default:
        kwargs.append(f"default={py_literal(f.default)}")
    elif not f.required:
        kwargs.append("default=None")
    if f.py_name != f.name:
        kwargs.append(f"alias={py_str(f.name)}")
    c = f.constraints
    # Bounds next to choices are checked against every choice at build time, so the
    # choices say it all (and pydantic cannot bound a Literal).
    if c.minimum is not None and not f.type.unwrap().choices:
        kwargs.append(f"ge={py_value(c.minimum)}")
    if c.maximum is not None and not f.type.unwrap().choices:
        kwargs.append(f"le={py_value(c.maximum)}")
    if c.min_length is not None:
        kwargs.append(f"min_length={c.min_length}")
    if c.max_length is not None:
        kwargs.append(f"max_length={c.max_length}")
    mtype = f.type.model_type(side)
    if not f.has_default and not f.required and not f.type.admits_null:
        mtype += " | None"
    atype = ""
    arg_default = ""
    if side == "command":
        atype = f.type.arg_type()
        if f.has_default:
            if _is_container(default_value):
                atype += " | _typed.Omitted"
                arg_default = "_typed.OMIT"
            else:
                arg_default = py_literal(f.default)
        elif not f.required:
            if not f.type.admits_null:
                atype += " | None"
            arg_default = "None"
    return FieldView(
        field=f,
        py_name=f.py_name,
        wire_name=f.name,
        model_type=mtype,
        field_call=f"pydantic.Field({', '.join(kwargs)})" if kwargs else "",
        doc=docs.field_doc(f),
        description=f.description,
        doc_type=f.type.doc_type(),
        required=f.required and not f.has_default,
        note=docs.constraint_note(f, choices=False),  # the README's type column has them
        arg_type=atype,
        arg_default=arg_default,
        is_upload=isinstance(f.type.unwrap(), UploadType),
    )


def _collect_classes(
    obj: ObjectType,
    side: Side,
    doc: str,
    wire_type: str,
    out: list[ClassView],
    command_name: str = "",
    description: str = "",
) -> ClassView:
    """Append the classes of ``obj``'s nested objects (depth first), then ``obj``'s."""

    def nested(t: SchemaType, owner: Field) -> None:
        if t.object_type is not None:
            _collect_classes(
                t.object_type,
                side,
                t.object_type.description or owner.description or f"The ``{owner.name}`` object.",
                "",
                out,
                description=t.object_type.description or owner.description,
            )
        elif t.inner is not None:
            nested(t.inner, owner)

    for f in obj.fields:
        nested(f.type, f)
    view = ClassView(
        class_name=obj.class_name,
        doc=docs.class_doc(doc),
        fields=tuple(_field_view(f, side) for f in obj.fields),
        wire_type=wire_type,
        command_name=command_name,
        description=description,
    )
    out.append(view)
    return view


def _nested_classes(
    fields: tuple[FieldView, ...], classes: list[ClassView]
) -> tuple[ClassView, ...]:
    """The nested classes ``fields`` use, directly or through each other, each once, in
    order of first use."""
    by_name = {cls.class_name: cls for cls in classes}
    found: list[ClassView] = []

    def visit(t: SchemaType) -> None:
        if t.object_type is not None:
            cls = by_name.get(t.object_type.class_name)
            if cls is not None and cls not in found:
                found.append(cls)
                for fv in cls.fields:
                    visit(fv.field.type)
        elif t.inner is not None:
            visit(t.inner)

    for fv in fields:
        visit(fv.field.type)
    return tuple(found)


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
                listener_doc=docs.listener_doc(m),
                waiter_doc=docs.waiter_doc(m),
                example_fields=tuple(f.py_name for f in m.payload.fields),
                nested=_nested_classes(cls.fields, message_classes),
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
            command_name=c.name,
        )
        reply = ir.message(c.reply) if c.reply else None
        args = params.fields
        uploads = tuple(a for a in args if a.is_upload)
        commands.append(
            CommandView(
                command=c,
                name=c.name,
                method_name=c.method_name,
                params=params,
                args=args,
                uploads=uploads,
                reply_class=reply.payload.class_name if reply is not None else "",
                reply_name=reply.name if reply is not None else "",
                emits=c.emits,
                doc=docs.command_doc(
                    c,
                    reply,
                    frozenset(a.wire_name for a in uploads),
                    frozenset(a.wire_name for a in args if a.arg_default == "_typed.OMIT"),
                ),
                summary=docs.command_summary(c),
                example_args=example_args(c),
                nested=_nested_classes(args, command_classes),
            )
        )
    state_fields = tuple(
        StateFieldView(
            key=cv.args[0].wire_name,
            command=cv.name,
            params_class=cv.params.class_name,
            model_type=cv.args[0].model_type,
            doc_type=cv.args[0].doc_type,
            description=cv.args[0].description,
            example=py_value(example_value(cv.args[0].field)),
        )
        for cv in commands
        if len(cv.args) == 1 and cv.name == f"set_{cv.args[0].wire_name}"
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
    names = ir.names
    model_class, union_name = names.model_class, names.message_union
    inputs = tuple(t for t in tracks if t.direction == "in")
    outputs = tuple(t for t in tracks if t.direction == "out")
    track_names: list[str] = []
    if tracks:
        track_names.append("TrackName")
    if inputs:
        track_names.append("InputTrackName")
    if outputs:
        track_names.append("OutputTrackName")
    exports = (
        ModuleExports("_client", ("MODEL_NAME", "MODEL_VERSION", "SCHEMA_SHA256", model_class)),
        ModuleExports(
            "commands",
            tuple(
                sorted(
                    [cv.class_name for cv in command_classes]
                    + [names.state_class]
                    + ([names.command_union] if commands else [])
                )
            ),
        ),
        ModuleExports(
            "messages",
            tuple(
                sorted([cv.class_name for cv in message_classes] + ["UnknownMessage", union_name])
            ),
        ),
        ModuleExports("tracks", tuple(sorted(track_names))),
    )
    all_names = tuple(sorted(n for e in exports for n in e.names))
    moderated_args = tuple(
        f"{cv.method_name}({a.py_name})" for cv in commands for a in cv.args if a.field.moderate
    )
    return ModelView(
        moderated_args=moderated_args,
        ir=ir,
        title=ir.title,
        version=ir.version,
        package_version=ir.package_version,
        description=ir.description,
        doc=docs.model_doc(ir),
        prefix=ir.prefix,
        package=ir.package,
        model_class=model_class,
        union_name=union_name,
        distribution=distribution_name(ir.title),
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
        uses_omit=any(a.arg_default == "_typed.OMIT" for cv in commands for a in cv.args),
        uses_one_of=any(
            fv.field.type.needs_one_of() for cls in command_classes for fv in cls.fields
        ),
        messages_use_pydantic=any(
            "pydantic." in f"{fv.model_type} {fv.field_call or ''}"
            for cls in message_classes
            for fv in cls.fields
        ),
        track_names=tuple(sorted(track_names)),
        exports=exports,
        all_names=all_names,
        state_class=names.state_class,
        listeners_class=names.listeners_class,
        state_fields=state_fields,
        state_doc=docs.state_doc(
            model_class, [(f.key, f.doc_type, f.description) for f in state_fields]
        ),
        step_doc=docs.step_doc(
            model_class,
            names.state_class,
            names.command_union if commands else "",
            bool(inputs),
        ),
        state_class_syntax=all(
            f.key.isidentifier() and f.key not in KEYWORDS for f in state_fields
        ),
        command_union=names.command_union,
    )
