"""View of the playground page (``python -m reactor_models.<model> play``): one form per
command with a control per argument, the tracks shown, the messages listed. What the
playground server needs to call the typed methods is the package's surface description
(``_surface.json``, :mod:`reactor_gen.render.surface`).

Built from the :class:`~reactor_gen.render.views.ModelView`; templates
``package/playground/*.jinja`` read it as ``pg``. Values are raw text here: the template
escapes them (``| html``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reactor_gen.ir.model import Field
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.render.examples import example_value
from reactor_gen.render.filters import py_value
from reactor_gen.render.views import CommandView, FieldView, ModelView
from reactor_gen.types import NullableType, WidgetInput, given_default, json_text

__all__ = ["CommandFormView", "ControlView", "OptionView", "PlaygroundView", "build_playground"]

STATE_NAME = re.compile(r"^(state|.*_state|state_.*)$")
"""Message names shown as the model's state (``state``, ``state_update``, ``world_state``)."""


@dataclass(frozen=True)
class OptionView:
    value: str
    """The option's value as JSON (``"fast"``, ``2``, ``true``): the page sends it parsed."""
    label: str
    selected: bool


@dataclass(frozen=True)
class ControlView:
    """One argument's control in a command form."""

    wire_name: str
    py_name: str
    dom_id: str
    element: str
    """``input`` / ``select`` / ``textarea``."""
    input_type: str
    """For ``input``: ``text``, ``number``, ``checkbox`` or ``file``."""
    kind: str
    """How the page turns the control into JSON: ``string``, ``integer``, ``number``,
    ``boolean``, ``enum`` (option values are JSON), ``json`` (the text is JSON), ``upload``."""
    required: bool
    value: str
    """Prefilled text (the schema default), "" for none."""
    checked: bool
    options: tuple[OptionView, ...]
    attrs: tuple[tuple[str, str], ...]
    """Extra attributes: ``min``, ``max``, ``step``, ``minlength``, ``maxlength``,
    ``placeholder``."""
    type_label: str
    description: str
    note: str
    """``1 to 50, default 4`` (ranges, lengths, default)."""


@dataclass(frozen=True)
class CommandFormView:
    name: str
    method_name: str
    dom_id: str
    summary: str
    reply_name: str
    emits: tuple[str, ...]
    controls: tuple[ControlView, ...]


@dataclass(frozen=True)
class PlaygroundView:
    title: str
    version: str
    label: str
    """The model's display name (``FeatureModel``)."""
    package: str
    distribution: str
    commands: tuple[CommandFormView, ...]
    video_tracks: tuple[str, ...]
    """Output video tracks (shown live)."""
    audio_tracks: tuple[str, ...]
    """Output audio tracks (not played by the page)."""
    input_tracks: tuple[str, ...]
    messages: tuple[str, ...]
    state_messages: tuple[str, ...]
    """Messages shown first in the "latest" panel (``state``-style names), else ()."""


def _number(value: int | float) -> str:
    return py_value(value)


def _note(f: Field, unit: str) -> str:
    c = f.constraints
    parts: list[str] = []
    if c.minimum is not None and c.maximum is not None:
        parts.append(f"{_number(c.minimum)} to {_number(c.maximum)}")
    elif c.minimum is not None:
        parts.append(f">= {_number(c.minimum)}")
    elif c.maximum is not None:
        parts.append(f"<= {_number(c.maximum)}")
    if c.min_length is not None and c.max_length is not None:
        parts.append(f"{c.min_length} to {c.max_length} {unit}")
    elif c.min_length is not None:
        parts.append(f"at least {c.min_length} {unit}")
    elif c.max_length is not None:
        parts.append(f"at most {c.max_length} {unit}")
    if f.has_default:
        parts.append(f"default {json_text(thaw_json(f.default))}")
    if f.unusable_default:
        parts.append(f"must be given: {f.unusable_default}")
    return ", ".join(parts)


def _label(value: Any) -> str:
    """An option's text: a string as itself (``balanced``, not ``"balanced"``), other values
    as JSON (``2``, ``true``)."""
    return value if isinstance(value, str) else json_text(value)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _unsaid(note: str, description: str) -> str:
    """``note`` unless the description already states its bounds (every number of the note's
    range and length parts appears in it): "Label (required, 1-32 chars)." needs no
    "(1 to 32 characters)"."""
    parts = [p for p in note.split(", ") if not p.startswith(("default ", "must be given"))]
    rest = [p for p in note.split(", ") if p.startswith(("default ", "must be given"))]
    said = set(_NUMBER.findall(description))
    if parts and all(set(_NUMBER.findall(p)) <= said for p in parts):
        parts = []
    return ", ".join(parts + rest)


def _control(fv: FieldView, dom_id: str) -> ControlView:
    """The field's control: its type draws it (:meth:`~reactor_gen.types.SchemaType.widget`;
    ``T | None`` draws ``T``, with "(not set)" for a choice)."""
    f = fv.field
    nullable = isinstance(f.type, NullableType)
    inner = f.type.inner if isinstance(f.type, NullableType) else f.type
    assert inner is not None
    default = given_default(f)
    has_value = f.has_default and default is not None
    widget = inner.widget(WidgetInput(f, nullable, default, has_value, example_value(f)))
    options = (
        *((OptionView("", "(not set)", not has_value),) if widget.blank else ()),
        *(OptionView(json_text(v), _label(v), has_value and v == default) for v in widget.choices),
    )
    return ControlView(
        wire_name=f.name,
        py_name=f.py_name,
        dom_id=dom_id,
        element=widget.element,
        input_type=widget.input_type,
        kind=widget.kind,
        required=fv.required,
        value=widget.value,
        checked=widget.checked,
        options=options,
        attrs=widget.attrs,
        type_label=f.type.doc_type(markup=False),
        description=f.description,
        note=_unsaid(_note(f, inner.length_unit), f.description),
    )


def _form(index: int, cv: CommandView) -> CommandFormView:
    ordered = sorted(cv.args, key=lambda a: not a.required)  # required first, stable
    return CommandFormView(
        name=cv.name,
        method_name=cv.method_name,
        dom_id=f"cmd{index}",
        summary=cv.command.description,
        reply_name=cv.reply_name,
        emits=cv.emits,
        controls=tuple(_control(a, f"cmd{index}-arg{j}") for j, a in enumerate(ordered)),
    )


def build_playground(m: ModelView) -> PlaygroundView:
    messages = tuple(mv.name for mv in m.messages)
    return PlaygroundView(
        title=m.title,
        version=m.version,
        label=m.prefix,
        package=m.package,
        distribution=m.distribution,
        commands=tuple(_form(i, cv) for i, cv in enumerate(m.commands)),
        video_tracks=tuple(t.name for t in m.output_tracks if t.kind == "video"),
        audio_tracks=tuple(t.name for t in m.output_tracks if t.kind == "audio"),
        input_tracks=tuple(t.name for t in m.input_tracks),
        messages=messages,
        state_messages=tuple(n for n in messages if STATE_NAME.match(n)),
    )
