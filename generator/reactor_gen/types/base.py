"""The base class of a schema type, and what its methods hand back.

A field's type in the IR is an instance of one :class:`SchemaType` subclass per kind of
JSON-Schema type (``StringType``, ``EnumType``, ``ListType``...). The class owns everything
that varies by kind, so the parser, the renderer, the diff and the playground ask the type
instead of switching on a name:

* on the IR side: :meth:`~SchemaType.conforms` (does a default fit), :meth:`~SchemaType.label`
  (diagnostics), which keywords apply (:attr:`~SchemaType.takes_bounds`,
  :attr:`~SchemaType.takes_lengths`), :meth:`~SchemaType.includes` and
  :meth:`~SchemaType.compare` (the diff's rules);
* on the Python side: :meth:`~SchemaType.model_type` (the strict command and the lax
  message annotation), :meth:`~SchemaType.arg_type` (a command method's keyword),
  :meth:`~SchemaType.doc_type` (docs and README tables), :meth:`~SchemaType.example`
  (README and scaffold values) and :meth:`~SchemaType.widget` (the playground's control).

Adding a kind of type is one subclass (and one branch in the parser that recognises it).
Instances are frozen dataclasses: equal exactly when the surfaces are the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from reactor_gen.jsonvalue import thaw_json

if TYPE_CHECKING:
    from reactor_gen.ir.model import Constraints, Field, ObjectType

__all__ = [
    "DiffSink",
    "Role",
    "SchemaType",
    "Side",
    "Widget",
    "WidgetInput",
    "given_default",
    "is_number",
    "json_text",
]

Side = Literal["command", "message"]
"""Which side of the wire a model class sits on: command parameters are validated strictly
(as the runtime does), messages laxly (``7.0`` → ``7``)."""

Role = Literal["param", "message"]
"""A diff's view of a field: a parameter the user sends or a message field they read."""


def is_number(value: object) -> bool:
    """An ``int`` or ``float`` that is not a ``bool``."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def given_default(field: Field | None) -> Any:
    """The field's thawed schema default, None without one."""
    return thaw_json(field.default) if field is not None and field.has_default else None


def json_text(value: Any) -> str:
    """``value`` as JSON text (non-ASCII kept): how the playground shows and sends values."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class WidgetInput:
    """What a type needs to know to draw its playground control."""

    field: Field
    nullable: bool
    """The field's type is ``T | None`` (the control draws ``T``)."""
    default: Any
    """The thawed schema default (``None`` when there is none)."""
    has_value: bool
    """A non-null default to prefill."""
    example: Any
    """:func:`reactor_gen.render.examples.example_value` of the field (placeholders)."""


@dataclass(frozen=True)
class Widget:
    """A playground control, before the page's ids and labels are added."""

    kind: str
    """How the page turns the control into JSON: ``string``, ``integer``, ``number``,
    ``boolean``, ``enum`` (option values are JSON), ``json`` (the text is JSON), ``upload``."""
    element: str = "input"
    input_type: str = "text"
    value: str = ""
    checked: bool = False
    choices: tuple[Any, ...] = ()
    """The options of a ``select``, as values."""
    blank: bool = False
    """A ``select`` offers "(not set)" (leave the argument out)."""
    attrs: tuple[tuple[str, str], ...] = ()


class DiffSink(Protocol):
    """Where :meth:`SchemaType.compare` reports: the diff supplies it (so the types know
    nothing of the diff's classes)."""

    def change(self, kind: str, where: str, detail: str) -> None: ...

    def types(self, old: SchemaType, new: SchemaType, where: str) -> None: ...

    def objects(self, old: ObjectType, new: ObjectType, where: str) -> None: ...


@dataclass(frozen=True)
class SchemaType:
    """A field's type. Subclasses are the kinds; see the module docstring."""

    kind: ClassVar[str] = "any"
    """The kind's name in the canonical surface and the stand-in's surface file."""
    takes_bounds: ClassVar[bool] = False
    """``minimum``/``maximum`` apply (numbers, and choices that are all numbers)."""
    takes_lengths: ClassVar[bool] = False
    """``minLength``/``maxLength`` apply (strings, arrays)."""
    admits_null: ClassVar[bool] = False
    """``None`` is already a value of the type (``T | None``, ``Any``)."""
    is_scalar: ClassVar[bool] = False
    """One JSON scalar (string, number, boolean, a choice)."""
    length_unit: ClassVar[str] = "items"
    """What ``minLength``/``maxLength`` count, in words (``characters`` for a string)."""

    # -- structure (the same for every kind; containers and objects override) ------

    @property
    def inner(self) -> SchemaType | None:
        """The element (list), value (dict) or non-null (nullable) type, else None."""
        return None

    @property
    def object_type(self) -> ObjectType | None:
        """The nested object of an object type, else None."""
        return None

    @property
    def choices(self) -> tuple[Any, ...]:
        """The allowed values of a choice type, in schema order, else ``()``."""
        return ()

    def unwrap(self) -> SchemaType:
        """The type without any ``| None`` around it."""
        return self

    def with_inner(self, inner: SchemaType) -> SchemaType:
        """This type with another inner type (containers only)."""
        raise TypeError(f"{type(self).__name__} has no inner type")

    # -- the IR side ----------------------------------------------------------------

    def conforms(self, value: Any) -> bool:
        """Whether a (thawed) JSON value is a value of this type (schema defaults)."""
        return True

    def label(self) -> str:
        """How diagnostics name the type (``array of string``, ``enum [1, 2]``)."""
        return self.kind

    def diff_label(self) -> str:
        """How the surface diff names the type (``list[string]``, ``integer | null``)."""
        return self.kind

    def includes(self, other: SchemaType) -> bool:
        """Every value of ``other`` is a value of this type, and this type has more."""
        return False

    def compare(self, new: SchemaType, where: str, role: Role, sink: DiffSink) -> bool:
        """Report the changes from this type to ``new`` of the same class to ``sink``;
        False when the kind has no rule of its own (the diff then says widened, narrowed
        or changed)."""
        return False

    # -- the Python side ----------------------------------------------------------

    def model_type(self, side: Side, qual: str = "") -> str:
        """The annotation of a pydantic field (``qual`` prefixes nested class names)."""
        return "typing.Any"

    def arg_type(self, qual: str = "_commands.") -> str:
        """The annotation of a command method's keyword parameter."""
        return self.model_type("message", qual)

    def doc_type(self, *, markup: bool = True) -> str:
        """The type for docs and README tables: Markdown (no ``|``: table cells), or plain
        text with ``markup=False`` (the playground's labels)."""
        return "any"

    def needs_one_of(self) -> bool:
        """Whether a command parameter of this type is checked by the generated
        ``_one_of`` validator (numeric choices, anywhere inside)."""
        return False

    def example(self, field: Field | None, name: str, description: str) -> Any:
        """A realistic value for README examples, the scaffold and the playground's
        placeholder (``None``: leave the argument out). ``field`` is the field the type
        belongs to (None for an element of a list or dict); ``name`` and ``description``
        are the field's (a list's item is named in the singular)."""
        return None

    def another(self, value: Any, constraints: Constraints) -> Any:
        """A value other than ``value`` where one is at hand (the README shows an
        override), else ``value``."""
        return value

    def widget(self, given: WidgetInput) -> Widget:
        """The playground's control for a field of this type: JSON text by default."""
        return Widget(
            kind="json",
            element="textarea",
            value=json_text(given.default) if given.has_value else "",
            attrs=(("placeholder", json_text(given.example)),) if given.example is not None else (),
        )
