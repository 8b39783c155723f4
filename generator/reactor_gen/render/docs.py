"""Every piece of generated prose, written and wrapped here: class, field, command,
listener and waiter docstrings and the notes the README repeats.

Texts come back wrapped for where they go (``*_WIDTH``: the text width that keeps the
indented docstring within black's 88 columns) but not escaped: templates pass them
through the ``docstring`` / ``md_*`` filters, which are the only way schema text reaches
the output.

Docstrings use one convention, reST inline literals (````x````, as ``reactor_client``
does); schema descriptions and the notes built here are Markdown (```x```, what the
README shows), turned into literals by :func:`rst` on their way into a docstring. Values
are shown as code (```"balanced"```), never as a Python repr in prose. What every command
returns and raises is said once, in the model class's docstring.
"""

from __future__ import annotations

import re
from typing import Any

from reactor_gen.ir.model import Command, Field, Message, ModelIR
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.render.filters import md_code, py_value, wrap
from reactor_gen.types import EnumType, SchemaType

__all__ = [
    "CLASS_WIDTH",
    "METHOD_WIDTH",
    "MODERATED_NOTE",
    "class_doc",
    "command_doc",
    "constraint_note",
    "doc_value",
    "field_doc",
    "listener_doc",
    "model_doc",
    "rst",
    "state_doc",
    "step_doc",
    "waiter_doc",
]

CLASS_WIDTH = 78
"""Text width of docstrings at class level (indented 4, opening and closing quotes on
the same line)."""
METHOD_WIDTH = 76
"""Text width of docstrings of methods (indented 8)."""


def _join(*parts: str) -> str:
    return " ".join(p for p in (p.strip() for p in parts) if p)


_INLINE = re.compile(r"(?P<role>:[\w.:-]+:`[^`\n]*`)|(?P<literal>``[\s\S]+?``)|`(?P<code>[^`\n]+)`")


def rst(text: str) -> str:
    """Markdown code spans (schema descriptions, notes: ```configured```) as reST inline
    literals (````configured````), the one convention of generated docstrings; reST roles
    and literals already there are kept."""
    return _INLINE.sub(lambda m: m.group(0) if m["code"] is None else f"``{m['code']}``", text)


def doc_value(value: Any) -> str:
    """A value as shown in prose (Markdown): a Python literal in a code span
    (```"balanced"```, ```None```, ```0.5```)."""
    return md_code(py_value(value))


#: Said of every argument the schema marks ``x-reactor-moderate: true``.
MODERATED_NOTE = (
    "Moderated: the platform checks it against its content policy (see `on_moderation`)."
)


def constraint_note(f: Field, *, default: bool = True, choices: bool = True) -> str:
    """The constraints of ``f`` in Markdown: ``(one of `0.5`, `1.0`, min `0`, max `1`, min
    length 1, max length 32, default `42`)`` (float choices, unless ``choices=False``:
    other choices are the type; no bounds next to choices, which satisfy them; the
    default unless ``default=False``), plus "Must be given: ..." for an argument whose
    schema default is unusable and "Moderated: ..." for an argument marked
    ``x-reactor-moderate: true``; ``""`` when there is nothing."""
    c = f.constraints
    parts: list[str] = []
    float_values = _float_choices(f.type) if choices else ()
    if float_values:
        parts.append("one of " + ", ".join(doc_value(v) for v in float_values))
    if not f.type.unwrap().choices:
        if c.minimum is not None:
            parts.append(f"min {doc_value(c.minimum)}")
        if c.maximum is not None:
            parts.append(f"max {doc_value(c.maximum)}")
    if c.min_length is not None:
        parts.append(f"min length {c.min_length}")
    if c.max_length is not None:
        parts.append(f"max length {c.max_length}")
    if f.has_default and default:
        parts.append(f"default {doc_value(thaw_json(f.default))}")
    note = f"({', '.join(parts)})" if parts else ""
    if f.unusable_default:
        note = _join(note, f"Must be given: {f.unusable_default}.")
    if f.moderate:
        note = _join(note, MODERATED_NOTE)
    return note


def _float_choices(t: SchemaType) -> tuple[Any, ...]:
    """The choices of a float field (its type does not show them), else ``()``."""
    t = t.unwrap()
    return t.values if isinstance(t, EnumType) and t.has_float else ()


def field_doc(f: Field) -> str:
    """A pydantic field's attribute docstring: description and constraints (the default
    is in the field's definition)."""
    text = _join(f.description, constraint_note(f, default=False))
    return wrap(rst(text) or f"The ``{f.name}`` field.", CLASS_WIDTH)


def class_doc(text: str) -> str:
    return wrap(rst(text), CLASS_WIDTH)


def model_doc(ir: ModelIR) -> str:
    """The generated model class's docstring."""
    first = rst(ir.description) or f"{ir.prefix} model on Reactor."
    body = (
        f"A typed client for the ``{ir.title}`` model ({ir.version}): one method per command, "
        "``on_<message>`` / ``wait_for_<message>`` per message and one accessor per track. "
        "Use it as an async context manager, or call :meth:`connect` and :meth:`disconnect`. "
        ":attr:`client` is the underlying :class:`reactor_client.ReactorClient`. The "
        "constructor takes the connection options as keyword arguments (``url``, ``local``, "
        "``jwt``, ``api_key``, ``codec``, ``transport``, ...), each documented on "
        ":class:`reactor_client.ClientOptions`."
    )
    commands = (
        "A command method validates its arguments first (an invalid one raises "
        ":class:`reactor_client.CommandValidationError` and nothing is sent) and returns once "
        "the runtime has accepted the command, with its typed reply when it has one. It "
        "raises :class:`reactor_client.CommandFailedError` when the runtime or the model "
        "refuses the command, :class:`reactor_client.InvalidStateError` when not connected."
    )
    moderated = [
        f"``{c.method_name}({f.py_name})``"
        for c in ir.commands
        for f in c.params.fields
        if f.moderate
    ]
    moderation = (
        "Content-moderation notices arrive through :meth:`on_moderation`"
        + (f" (moderated arguments: {', '.join(moderated)})" if moderated else "")
        + "; when moderation ends the session, pending calls and iterators raise "
        ":class:`reactor_client.ModerationError`."
    )
    return "\n\n".join(wrap(part, CLASS_WIDTH) for part in (first, body, commands, moderation))


def argument_text(f: Field, upload: bool, *, default: bool = False) -> str:
    """An argument's line in a command's ``Args:`` (Markdown code spans): description and
    constraints; the default only when ``default`` (the signature does not show it)."""
    text = _join(f.description, constraint_note(f, default=default)) or f"The `{f.name}` argument."
    if upload:
        text = _join(text, "A path or bytes is uploaded first; an UploadReference is sent as is.")
    return text


def command_doc(
    cmd: Command,
    reply: Message | None,
    uploads: frozenset[str],
    hidden_defaults: frozenset[str] = frozenset(),
) -> str:
    """A command method's docstring: summary, Args, Returns (commands with a reply). What
    every command raises is said once, in the model class's docstring; what it emits is in
    the summary it is extracted from (the README lists it). ``hidden_defaults``: arguments
    whose signature default is ``OMIT``."""
    lines: list[str] = [rst(cmd.description.strip()) or f"Send the ``{cmd.name}`` command."]
    if cmd.params.fields:
        lines += ["", "Args:"]
        for f in cmd.params.fields:
            text = argument_text(f, f.name in uploads, default=f.name in hidden_defaults)
            body = rst(text).split("\n")
            lines.append(f"    {f.py_name}: {body[0]}")
            lines += [f"        {line}" if line.strip() else "" for line in body[1:]]
    if reply is not None:
        lines += [
            "",
            "Returns:",
            f"    The ``{reply.name}`` reply, or ``None`` on the v0 codec (it has no replies).",
        ]
    return wrap("\n".join(lines), METHOD_WIDTH)


def command_summary(c: Command) -> str:
    """The first sentence of a command's description (reST), for a one-line docstring."""
    text = rst(c.description).strip()
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0] if text else ""
    if not first:
        return f"Send ``{c.name}``."
    return first if first.endswith((".", "!", "?")) else first + "."


def listener_doc(msg: Message) -> str:
    """``on_<message>``: the call form returns a Subscription, the decorator form
    (``@model.on_x()``) returns the function."""
    text = (
        f"Call ``callback(message)`` for every ``{msg.name}`` message; returns a "
        ":class:`reactor_client.Subscription` (call it to unsubscribe). "
        f"As a decorator, ``@model.{msg.listener_name}()`` registers the function and "
        "returns it unchanged."
    )
    return wrap(text, METHOD_WIDTH)


def waiter_doc(msg: Message) -> str:
    text = (
        f"The next ``{msg.name}`` message; with ``predicate``, the first one that matches, "
        "counting the latest one already received (so one sent just before this call is "
        "not missed). Raises :class:`reactor_client.RequestTimeoutError` (a "
        "``TimeoutError``) after ``timeout`` seconds."
    )
    return wrap(text, METHOD_WIDTH)


def state_doc(model_class: str, fields: list[tuple[str, str, str]]) -> str:
    """The ``<Prefix>State`` TypedDict's docstring; ``fields``: (key, doc type, description)."""
    head = wrap(
        f"The model's state fields, the ``state`` of ``{model_class}.step()``: key ``k`` is "
        "applied as command ``set_k``, validated with that command's params model first.",
        CLASS_WIDTH,
    )
    if not fields:
        return (
            head
            + "\n\n"
            + wrap(
                "This model has no state fields (no ``set_<x>`` command whose only "
                "parameter is ``<x>``).",
                CLASS_WIDTH,
            )
        )
    bullets = [
        wrap(rst(f"- ``{key}`` ({kind}): {desc or 'no description'}"), CLASS_WIDTH - 2).replace(
            "\n", "\n  "
        )
        for key, kind, desc in fields
    ]
    return head + "\n\n" + "\n".join(bullets)


def step_doc(model_class: str, state_class: str, command_union: str, has_inputs: bool) -> str:
    """The generated ``step()`` method's docstring."""
    parts = [
        'Run one step of a stepped session (``generation="stepped"`` in the constructor '
        "or in :meth:`connect`) and return exactly what the model produced.",
        f"``state`` ({state_class}) is applied first, one ``set_<key>`` per key in ascending "
        "key order, then ``commands`` in order"
        + (f" (``{command_union}`` instances, e.g. ``SetXParams(...)``)" if command_union else "")
        + (
            ", then ``media`` (input track name -> frames: RGB ``(H, W, 3) uint8`` arrays, "
            "``av.VideoFrame``, audio sample arrays, ``reactor_client.H264Frame``)"
            if has_inputs
            else ""
        )
        + ", then one generation. Both are validated before anything is sent "
        "(``reactor_client.CommandValidationError``).",
        "Returns a :class:`reactor_client.StepResult`: ``.step``, ``.elapsed_seconds``, "
        "``.files`` and ``.frames(track)`` (RGB ``(H, W, 3) uint8`` arrays for video).",
        "Raises ``reactor_client.StepRefusedError`` (nothing ran, e.g. a model that cannot "
        "step or a session that is not stepped; the runtime's reason is the message), "
        "``StepCommandFailedError`` (``.entry`` names the failing key or command), "
        "``StepFailedError`` / ``StepResultTooLargeError`` (the step ran: ``.step`` is "
        "set), ``StepNotReadyError`` or ``SessionEndedError``.",
    ]
    return "\n\n".join(wrap(p, METHOD_WIDTH) for p in parts)
