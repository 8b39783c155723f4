"""The frozen intermediate representation (IR) of one Reactor model surface.

The loader turns a schema document (3.x or 2.x renderer layout, JSON or YAML) into a
:class:`ModelIR`; everything downstream (naming, rendering, diffing) reads only the IR.
Field types are the classes of :mod:`reactor_gen.types`, which own what varies by kind.

Invariants, enforced by :mod:`reactor_gen.ir.build`:

* every collection is a tuple, every node is a frozen dataclass, so an IR is hashable
  and two IRs compare equal exactly when the surfaces are the same;
* ordering is deterministic and independent of the document's key order (declaration
  order from the runtime, jsonb order from the coordinator): commands, messages and the
  fields of every object are sorted by wire name; tracks keep schema order (it decides
  transceiver order on the wire); enum values keep schema order;
* wire names are the schema's own strings; Python names are filled in by the naming
  pass (:mod:`reactor_gen.naming`) and are empty strings until then;
* ``pointer`` is the RFC 6901 JSON pointer of the node in the source document, used in
  diagnostics only. Pointers and the source file are excluded from equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reactor_gen.diagnostics import Diagnostic
from reactor_gen.jsonvalue import FrozenObject, JsonScalar, JsonValue

if TYPE_CHECKING:
    from reactor_gen.types import SchemaType

__all__ = [
    "Command",
    "Constraints",
    "Field",
    "FrozenObject",
    "JsonScalar",
    "JsonValue",
    "Message",
    "ModelIR",
    "ObjectType",
    "PackageNames",
    "Track",
]


@dataclass(frozen=True)
class Constraints:
    """Validation keywords the runtime enforces (``ge``/``le``/length)."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None

    def is_empty(self) -> bool:
        return (
            self.minimum is None
            and self.maximum is None
            and self.min_length is None
            and self.max_length is None
        )


@dataclass(frozen=True)
class Field:
    """One property of a command body, message payload or nested object."""

    name: str
    """Wire name (the JSON property key)."""
    type: SchemaType
    """The field's type: an instance of one :mod:`reactor_gen.types` class per kind."""
    required: bool
    """In ``required`` (commands: iff the fragment has no ``default``)."""
    has_default: bool = False
    default: JsonValue = None
    """The frozen default; meaningful only when ``has_default``."""
    description: str = ""
    constraints: Constraints = Constraints()
    moderate: bool | None = None
    """``x-reactor-moderate`` on command fields (None where absent)."""
    py_name: str = ""
    """Python identifier, set by the naming pass (keywords escaped with ``_``)."""
    unusable_default: str = ""
    """Why the schema's ``default`` cannot be used, e.g. ``the schema's default -1 violates
    minimum 0`` (commands only; such a field has no default and is required), else ""."""
    pointer: str = field(default="", compare=False)


@dataclass(frozen=True)
class ObjectType:
    """An object with named properties: a command body, a message payload, or an
    inline nested object (a dataclass in the model's code)."""

    fields: tuple[Field, ...]
    description: str = ""
    class_name: str = ""
    """Python class name, set by the naming pass (``SetShotParams``, ``State``,
    ``StateScheduledShotsItem``...)."""
    pointer: str = field(default="", compare=False)


@dataclass(frozen=True)
class Command:
    """A client → model command (``paths["/events/<name>"].post``)."""

    name: str
    """Wire name (``operationId``, else the last path segment)."""
    description: str
    """``summary`` (falling back to ``description``) of the operation."""
    params: ObjectType
    """The request body; an empty object for commands without parameters."""
    reply: str | None
    """Wire name of the message a ``200`` response references, or None for ``202``."""
    emits: tuple[str, ...]
    """Backticked names of known messages in the positive "Emits ..." clauses of
    ``description``, in order of first appearance, deduplicated
    (:func:`reactor_gen.ir.build.extract_emits`)."""
    method_name: str = ""
    """Python method name on the generated client (set by the naming pass)."""
    pointer: str = field(default="", compare=False)


@dataclass(frozen=True)
class Message:
    """A model → client message (``webhooks[<name>].post``)."""

    name: str
    """Wire name (the ``type`` on the wire; ``operationId`` else the webhook key)."""
    description: str
    payload: ObjectType
    component: str | None
    """``components.schemas`` key the webhook body references (3.x), None when inline."""
    listener_name: str = ""
    """``on_<name>`` method on the generated client (set by the naming pass)."""
    waiter_name: str = ""
    """``wait_for_<name>`` method on the generated client (set by the naming pass)."""
    pointer: str = field(default="", compare=False)


@dataclass(frozen=True)
class Track:
    """A media track in ``x-reactor.tracks`` (direction from the model's side)."""

    name: str
    kind: Literal["video", "audio"]
    direction: Literal["in", "out"]
    """``in``: the client publishes it; ``out``: the client receives it."""
    attr_name: str = ""
    """Accessor attribute on the generated client (set by the naming pass)."""
    publish_name: str = ""
    """``publish_<name>`` method for ``in`` tracks (naming pass; "" for ``out`` tracks)."""
    unpublish_name: str = ""
    """``unpublish_<name>`` method for ``in`` tracks (naming pass; "" for ``out`` tracks)."""
    pointer: str = field(default="", compare=False)

    @property
    def client_direction(self) -> Literal["sendonly", "recvonly"]:
        return "sendonly" if self.direction == "in" else "recvonly"


@dataclass(frozen=True)
class PackageNames:
    """The package-level Python names of a model, set by the naming pass
    (:func:`reactor_gen.naming.package_names`): the one place they are made."""

    model_class: str = ""
    """``LongliveV2Model``: the async model (and, in ``sync``, its blocking twin)."""
    message_union: str = ""
    """``LongliveV2Message``: the union of the message classes."""
    state_class: str = ""
    """``LongliveV2State``: the typed state of stepped generation."""
    command_union: str = ""
    """``LongliveV2Command``: the union of the params classes (stepped commands)."""
    listeners_class: str = ""
    """``LongliveV2Listeners``: the listener and waiter declarations."""

    @property
    def fake_class(self) -> str:
        """``FakeLongliveV2Model``: the test double in ``testing`` (derived, not stored)."""
        return f"Fake{self.model_class}"

    def reserved(self) -> frozenset[str]:
        """The names no generated schema class may take."""
        return frozenset(
            {self.model_class, self.message_union, self.state_class, self.command_union}
        )


@dataclass(frozen=True)
class ModelIR:
    """One model's whole surface."""

    title: str
    """``info.title`` (``longlive-v2``): the model name used on the wire."""
    version: str
    """``info.version`` as written (``v3.0.5``, ``v1.0.5-ge6187a05``)."""
    description: str
    commands: tuple[Command, ...]
    messages: tuple[Message, ...]
    tracks: tuple[Track, ...]
    layout: Literal["3.x", "2.x"]
    """Renderer generation the document came from (2.x: inline webhooks, 202 only)."""
    prefix: str = ""
    """PascalCase model prefix (``LongliveV2``), set by the naming pass."""
    package: str = ""
    """Import name below ``reactor_models`` (``longlive_v2``), set by the naming pass."""
    names: PackageNames = field(default=PackageNames(), compare=False)
    """Package-level Python names (naming pass); derived from ``prefix``, so not part of
    equality or the canonical form."""
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)
    """Problems that did not stop the build (a default violating its own constraints...);
    not part of the surface."""

    @property
    def package_version(self) -> str:
        """PEP 440 version for the distribution: ``v3.0.5-gabc`` → ``3.0.5``."""
        version = self.version[1:] if self.version[:1] in ("v", "V") else self.version
        return version.split("-g", 1)[0]

    def message(self, name: str) -> Message | None:
        for message in self.messages:
            if message.name == name:
                return message
        return None
