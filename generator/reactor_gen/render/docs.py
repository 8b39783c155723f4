"""Every piece of generated prose, written and wrapped here: class, field, command,
listener and waiter docstrings and the notes the README repeats.

Texts come back wrapped for where they go (``*_WIDTH``: the text width that keeps the
indented docstring within black's 88 columns) but not escaped: templates pass them
through the ``docstring`` / ``md_*`` filters, which are the only way schema text reaches
the output.
"""

from __future__ import annotations

from typing import Any

from reactor_gen.ir.model import Command, Field, Message, ModelIR, TypeRef
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.render.filters import py_value, wrap
from reactor_gen.render.types import float_choices

__all__ = [
    "CLASS_WIDTH",
    "METHOD_WIDTH",
    "class_doc",
    "command_doc",
    "constraint_note",
    "doc_value",
    "field_doc",
    "listener_doc",
    "model_doc",
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


def doc_value(value: Any) -> str:
    """A value as shown in prose: strings in single quotes (``''``, not ``""``, which a
    docstring would have to escape), everything else as a Python literal."""
    if isinstance(value, str):
        return repr(value)
    return py_value(value)


def constraint_note(f: Field) -> str:
    """``(min 0, max 1, min length 1, max length 32, default 42)``, plus "Must be given:
    ..." for an argument whose schema default is unusable; ``""`` when there is nothing."""
    c = f.constraints
    parts: list[str] = []
    choices = _float_choices(f.type)
    if choices:
        parts.append("one of " + ", ".join(py_value(v) for v in choices))
    if c.minimum is not None:
        parts.append(f"min {py_value(c.minimum)}")
    if c.maximum is not None:
        parts.append(f"max {py_value(c.maximum)}")
    if c.min_length is not None:
        parts.append(f"min length {c.min_length}")
    if c.max_length is not None:
        parts.append(f"max length {c.max_length}")
    if f.has_default:
        parts.append(f"default {doc_value(thaw_json(f.default))}")
    note = f"({', '.join(parts)})" if parts else ""
    if f.unusable_default:
        note = _join(note, f"Must be given: {f.unusable_default}.")
    return note


def _float_choices(t: TypeRef) -> tuple[Any, ...]:
    """The choices of a float field (its type does not show them), else ``()``."""
    while t.kind == "nullable" and t.item is not None:
        t = t.item
    return t.enum_values if float_choices(t) else ()


def field_doc(f: Field) -> str:
    """A pydantic field's attribute docstring: description and constraints."""
    text = _join(f.description, constraint_note(f)) or f"The ``{f.name}`` field."
    return wrap(text, CLASS_WIDTH)


def class_doc(text: str) -> str:
    return wrap(text, CLASS_WIDTH)


def model_doc(ir: ModelIR) -> str:
    """The generated model class's docstring."""
    first = ir.description or f"{ir.prefix} model on Reactor."
    body = (
        f"A typed client for the ``{ir.title}`` model ({ir.version}): one method per command, "
        "``on_<message>`` / ``wait_for_<message>`` per message and one accessor per track. "
        "Use it as an async context manager, or call :meth:`connect` and :meth:`disconnect`. "
        ":attr:`client` is the underlying :class:`reactor_client.ReactorClient`. Constructor "
        "arguments (``url``, ``local``, ``jwt``, ``api_key``, ``codec``, ``**options``): see "
        ":class:`reactor_client.typed.ModelClient`."
    )
    return wrap(first, CLASS_WIDTH) + "\n\n" + wrap(body, CLASS_WIDTH)


def argument_text(f: Field, upload: bool) -> str:
    text = _join(f.description, constraint_note(f)) or f"The ``{f.name}`` argument."
    if upload:
        text = _join(text, "A path or bytes is uploaded first; an UploadReference is sent as is.")
    return text


def command_doc(cmd: Command, reply: Message | None, uploads: frozenset[str]) -> str:
    """A command method's docstring: summary, Emits, Args, Returns, Raises."""
    lines: list[str] = [cmd.description.strip() or f"Send the ``{cmd.name}`` command."]
    if cmd.emits:
        lines += ["", "Emits: " + ", ".join(f"``{e}``" for e in cmd.emits) + "."]
    if cmd.params.fields:
        lines += ["", "Args:"]
        for f in cmd.params.fields:
            body = argument_text(f, f.name in uploads).split("\n")
            lines.append(f"    {f.py_name}: {body[0]}")
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
    return wrap("\n".join(lines), METHOD_WIDTH)


def listener_doc(msg: Message) -> str:
    """``on_<message>``: the call form returns a Subscription, the decorator form
    (``@model.on_x()``) returns the function."""
    text = (
        f"Call ``callback(message)`` for every ``{msg.name}`` message.\n\n"
        "Returns a :class:`reactor_client.Subscription`; call it to unsubscribe. As a "
        f"decorator, write ``@model.{msg.listener_name}()``: the decorated function is "
        "registered and returned unchanged."
    )
    return wrap(text, METHOD_WIDTH)


def waiter_doc(msg: Message) -> str:
    text = (
        f"Wait for a ``{msg.name}`` message.\n\n"
        f"With ``predicate``: return as soon as a ``{msg.name}`` message matches it, "
        "counting the most recent one already received (so a message that arrived just "
        "before this call, e.g. before a command's acknowledgement, is not missed). "
        f"Without: the next ``{msg.name}`` message.\n\n"
        "Raises:\n"
        "    reactor_client.RequestTimeoutError: (a ``TimeoutError``) after ``timeout`` "
        "seconds."
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
        wrap(f"- ``{key}`` ({kind}): {desc or 'no description'}", CLASS_WIDTH - 2).replace(
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
