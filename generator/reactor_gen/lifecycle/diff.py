"""Comparing two model surfaces: every change, classified, and the semver bump it needs.

Classes (see ``docs/release-workflow.md`` for the full table):

* **breaking** — something a client relies on is gone or different: a command, message,
  field or track removed (a rename is a removal plus an addition), a field made
  required, a new *required command parameter*, a type changed or narrowed, a
  constraint tightened, an enum value removed, a reply type changed or dropped, a
  track's kind/direction changed, a generated Python name changed.
* **compatible** — additions and loosenings: new command, message, track, optional
  parameter, message field (readers ignore what they do not know), enum value; a
  constraint loosened; a command parameter widened (``T`` → ``T | None``, ``integer``
  → ``number``); a reply added to a command that had none; a default changed.
* **documentation** — descriptions and summaries only.

Direction matters for types: a command parameter is *written* by the client (accepting
more is compatible, accepting less is breaking); a message field is *read* by it (a
value that may now be ``null`` or fractional breaks readers, so that is breaking).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar, cast

from packaging.version import InvalidVersion, Version

from reactor_gen.ir.model import (
    Command,
    Constraints,
    Field,
    Message,
    ModelIR,
    ObjectType,
    Track,
)
from reactor_gen.types import SchemaType

__all__ = [
    "Bump",
    "Change",
    "ChangeKind",
    "Role",
    "diff_ir",
    "has_breaking",
    "required_bump",
]

ChangeKind = Literal["breaking", "compatible", "documentation"]
Role = Literal["param", "message"]
BumpLevel = Literal["major", "minor", "patch", "none"]

_ORDER: dict[str, int] = {"breaking": 0, "compatible": 1, "documentation": 2}


@dataclass(frozen=True)
class Change:
    """One difference between two surfaces."""

    kind: ChangeKind
    where: str
    """What changed, e.g. ``command set_seed › seed``."""
    detail: str
    """What happened to it, e.g. ``made required``."""

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.detail}"


def has_breaking(changes: Iterable[Change]) -> bool:
    """True when any change is breaking."""
    return any(change.kind == "breaking" for change in changes)


# --- types -------------------------------------------------------------------------


class _Sink:
    """Collects what :meth:`reactor_gen.types.SchemaType.compare` reports."""

    def __init__(self, role: Role) -> None:
        self.role = role
        self.out: list[Change] = []

    def change(self, kind: str, where: str, detail: str) -> None:
        self.out.append(Change(cast(ChangeKind, kind), where, detail))

    def types(self, old: SchemaType, new: SchemaType, where: str) -> None:
        self.out += _compare_types(old, new, where, self.role)

    def objects(self, old: ObjectType, new: ObjectType, where: str) -> None:
        self.out += _compare_objects(old, new, where, self.role)


def _compare_types(old: SchemaType, new: SchemaType, where: str, role: Role) -> list[Change]:
    """Same class: the kind's own rules (choices added or removed, the inner type, the
    nested object). Else: widened (every old value still valid), narrowed, or changed."""
    if old == new:
        return []
    if type(old) is type(new):
        sink = _Sink(role)
        if old.compare(new, where, role, sink):
            return sink.out
    old_label, new_label = old.diff_label(), new.diff_label()
    if new.includes(old):
        kind: ChangeKind = "compatible" if role == "param" else "breaking"
        return [Change(kind, where, f"type widened from {old_label} to {new_label}")]
    if old.includes(new):
        kind = "breaking" if role == "param" else "compatible"
        return [Change(kind, where, f"type narrowed from {old_label} to {new_label}")]
    return [Change("breaking", where, f"type changed from {old_label} to {new_label}")]


# --- constraints -------------------------------------------------------------------


def _compare_bound(
    name: str,
    old: int | float | None,
    new: int | float | None,
    lower: bool,
    where: str,
) -> list[Change]:
    if old == new:
        return []
    if new is None:
        return [Change("compatible", where, f"{name} {old} removed (loosened)")]
    if old is None:
        return [Change("breaking", where, f"{name} {new} added (tightened)")]
    tightened = new > old if lower else new < old
    word = "tightened" if tightened else "loosened"
    kind: ChangeKind = "breaking" if tightened else "compatible"
    return [Change(kind, where, f"{name} {old} → {new} ({word})")]


def _compare_constraints(old: Constraints, new: Constraints, where: str) -> list[Change]:
    return (
        _compare_bound("minimum", old.minimum, new.minimum, True, where)
        + _compare_bound("maximum", old.maximum, new.maximum, False, where)
        + _compare_bound("min_length", old.min_length, new.min_length, True, where)
        + _compare_bound("max_length", old.max_length, new.max_length, False, where)
    )


# --- fields and objects ------------------------------------------------------------


def _compare_field(old: Field, new: Field, where: str, role: Role) -> list[Change]:
    out: list[Change] = []
    if old.py_name != new.py_name:
        out.append(Change("breaking", where, f"Python name {old.py_name!r} → {new.py_name!r}"))
    if not old.required and new.required:
        out.append(Change("breaking", where, "made required"))
    elif old.required and not new.required:
        if role == "param":
            out.append(Change("compatible", where, "no longer required"))
        else:
            out.append(Change("breaking", where, "no longer required (may be absent)"))
    out += _compare_types(old.type, new.type, where, role)
    out += _compare_constraints(old.constraints, new.constraints, where)
    if (old.has_default, old.default) != (new.has_default, new.default):
        before = repr(old.default) if old.has_default else "none"
        after = repr(new.default) if new.has_default else "none"
        out.append(Change("compatible", where, f"default {before} → {after}"))
    if old.moderate != new.moderate:
        out.append(Change("compatible", where, f"moderation {old.moderate} → {new.moderate}"))
    if old.description != new.description:
        out.append(Change("documentation", where, "description changed"))
    return out


def _rename_hint(removed: Field, added: Sequence[Field]) -> str:
    for candidate in added:
        if candidate.type == removed.type:
            return f" (renamed to {candidate.name!r}? a rename breaks clients)"
    return ""


def _compare_objects(old: ObjectType, new: ObjectType, where: str, role: Role) -> list[Change]:
    out: list[Change] = []
    if old.class_name != new.class_name and old.class_name and new.class_name:
        out.append(
            Change(
                "breaking",
                where,
                f"Python class {old.class_name} renamed to {new.class_name}",
            )
        )
    old_fields = {f.name: f for f in old.fields}
    new_fields = {f.name: f for f in new.fields}
    added = [f for name, f in new_fields.items() if name not in old_fields]
    what = "parameter" if role == "param" else "field"
    for name, field in old_fields.items():
        sub = f"{where} › {name}"
        if name not in new_fields:
            hint = _rename_hint(field, added)
            out.append(Change("breaking", sub, f"{what} removed{hint}"))
        else:
            out += _compare_field(field, new_fields[name], sub, role)
    for field in added:
        sub = f"{where} › {field.name}"
        if role == "param" and field.required:
            out.append(Change("breaking", sub, "new required parameter"))
        else:
            optional = "" if field.required else "optional "
            out.append(Change("compatible", sub, f"new {optional}{what}"))
    if old.description != new.description:
        out.append(Change("documentation", where, "description changed"))
    return out


# --- commands, messages, tracks ----------------------------------------------------


def _compare_command(old: Command, new: Command) -> list[Change]:
    where = f"command {old.name}"
    out: list[Change] = []
    if old.method_name != new.method_name:
        out.append(
            Change(
                "breaking",
                where,
                f"Python method {old.method_name!r} → {new.method_name!r}",
            )
        )
    if old.reply != new.reply:
        if old.reply is None:
            out.append(Change("compatible", where, f"now replies with {new.reply}"))
        elif new.reply is None:
            out.append(Change("breaking", where, f"no longer replies ({old.reply} dropped)"))
        else:
            out.append(Change("breaking", where, f"reply type {old.reply} → {new.reply}"))
    out += _compare_objects(old.params, new.params, where, "param")
    if old.description != new.description:
        out.append(Change("documentation", where, "summary changed"))
    elif old.emits != new.emits:
        out.append(Change("documentation", where, "emitted messages changed"))
    return out


def _compare_message(old: Message, new: Message) -> list[Change]:
    where = f"message {old.name}"
    out: list[Change] = []
    for attr in ("listener_name", "waiter_name"):
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after:
            out.append(Change("breaking", where, f"Python method {before!r} → {after!r}"))
    if old.component != new.component and old.payload.class_name == new.payload.class_name:
        out.append(Change("compatible", where, f"component {old.component} → {new.component}"))
    out += _compare_objects(old.payload, new.payload, where, "message")
    if old.description != new.description:
        out.append(Change("documentation", where, "description changed"))
    return out


def _compare_track(old: Track, new: Track) -> list[Change]:
    where = f"track {old.name}"
    out: list[Change] = []
    if old.kind != new.kind:
        out.append(Change("breaking", where, f"kind {old.kind} → {new.kind}"))
    if old.direction != new.direction:
        out.append(Change("breaking", where, f"direction {old.direction} → {new.direction}"))
    for attr in ("attr_name", "publish_name", "unpublish_name"):
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after and old.direction == new.direction:
            out.append(Change("breaking", where, f"Python name {before!r} → {after!r}"))
    return out


_Named = TypeVar("_Named", Command, Message, Track)


def _diff_named(
    what: str,
    old: Sequence[_Named],
    new: Sequence[_Named],
    compare: Callable[[_Named, _Named], list[Change]],
) -> list[Change]:
    """Removed (breaking) and new (compatible) ``what``s by name, then ``compare`` on the
    ones in both, in the old order."""
    old_by_name = {item.name: item for item in old}
    new_by_name = {item.name: item for item in new}
    out = [
        Change("breaking", f"{what} {n}", f"{what} removed")
        for n in old_by_name
        if n not in new_by_name
    ]
    out += [
        Change("compatible", f"{what} {n}", f"new {what}")
        for n in new_by_name
        if n not in old_by_name
    ]
    for name, item in old_by_name.items():
        if name in new_by_name:
            out += compare(item, new_by_name[name])
    return out


def diff_ir(old: ModelIR, new: ModelIR) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking first, then compatible, then
    documentation (stable within a class). ``info.version`` itself is not a change."""
    out: list[Change] = []
    model = f"model {old.title}"
    if old.title != new.title:
        out.append(Change("breaking", model, f"title {old.title!r} → {new.title!r}"))
    for attr, what in (("package", "import package"), ("prefix", "class prefix")):
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after and old.title == new.title:
            out.append(Change("breaking", model, f"{what} {before!r} → {after!r}"))
    if old.layout != new.layout:
        out.append(Change("compatible", model, f"renderer layout {old.layout} → {new.layout}"))
    if old.description != new.description:
        out.append(Change("documentation", model, "description changed"))

    out += _diff_named("command", old.commands, new.commands, _compare_command)
    out += _diff_named("message", old.messages, new.messages, _compare_message)
    out += _diff_named("track", old.tracks, new.tracks, _compare_track)
    old_tracks, new_tracks = [t.name for t in old.tracks], [t.name for t in new.tracks]
    if old_tracks != new_tracks and sorted(old_tracks) == sorted(new_tracks):
        out.append(Change("compatible", "tracks", "track order changed"))

    return sorted(out, key=lambda c: _ORDER[c.kind])


# --- semver --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bump:
    """The release a set of changes needs, relative to the old schema's version."""

    level: BumpLevel
    """What semver asks for on a 1.x+ line (0.x: see ``effective``)."""
    effective: BumpLevel
    """What to bump in this version: on 0.x a breaking change bumps the minor and
    everything else the patch."""
    current: str
    """The old ``info.version`` as written."""
    suggested: str
    """The smallest version that satisfies the bump (``v`` prefix kept)."""
    zero_major: bool
    """True when ``current`` is a 0.x version."""
    satisfied_by: bool | None = None
    """Whether the new schema's version already is at least ``suggested``
    (None when not checked)."""

    def describe(self) -> str:
        """One plain line, e.g. ``needs a major release: v3.0.5 → v4.0.0 or later``."""
        if self.level == "none":
            return f"no release needed: the surface is unchanged (still {self.current})"
        text = f"needs a {self.effective} release: {self.current} → {self.suggested} or later"
        if self.zero_major and self.effective != self.level:
            text += f" (a {self.level}-level change; on 0.x that bumps the {self.effective} number)"
        return text


def _release(version: str) -> tuple[str, Version]:
    prefix = "v" if version[:1] in ("v", "V") else ""
    core = version[len(prefix) :].split("-g", 1)[0]
    return prefix, Version(core)


def required_bump(changes: Sequence[Change], current: str, new_version: str | None = None) -> Bump:
    """The bump ``changes`` need from version ``current`` (``v3.0.5``, ``0.4.1``...).

    ``new_version``, when given, is checked against the suggestion. Raises
    :class:`packaging.version.InvalidVersion` for an unparsable ``current``.
    """
    kinds = {change.kind for change in changes}
    level: BumpLevel
    if "breaking" in kinds:
        level = "major"
    elif "compatible" in kinds:
        level = "minor"
    elif "documentation" in kinds:
        level = "patch"
    else:
        level = "none"
    prefix, parsed = _release(current)
    major, minor, patch = (list(parsed.release) + [0, 0, 0])[:3]
    zero = major == 0
    effective: BumpLevel = level
    if zero and level == "major":
        effective = "minor"
    elif zero and level == "minor":
        effective = "patch"
    if effective == "major":
        target = f"{major + 1}.0.0"
    elif effective == "minor":
        target = f"{major}.{minor + 1}.0"
    elif effective == "patch":
        target = f"{major}.{minor}.{patch + 1}"
    else:
        target = f"{major}.{minor}.{patch}"
    satisfied: bool | None = None
    if new_version is not None:
        try:
            satisfied = _release(new_version)[1] >= Version(target)
        except InvalidVersion:
            satisfied = False
    return Bump(level, effective, current, prefix + target, zero, satisfied)
