"""black's layout for the code the templates build from schema parts.

black formats a rendered file twice when its first pass changes anything, so the renderer
lays out signatures, calls, collection literals, unions and docstrings the way black 26
would (88 columns): split only what does not fit, hug a body that fits on one line, else one
item per line with a trailing comma. Only the shapes our templates produce are modelled;
anything else is still correct, since every ``.py`` file goes through black afterwards, it
just costs black a second pass (``scripts/format-drift`` shows where that happens).

Each helper returns text whose first line starts at the column the template is at (given
as ``indent``) and whose further lines carry their own indentation.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TypeAlias

TEMPLATE_GLOBALS = (
    "annotated",
    "as_call",
    "as_expr",
    "as_literal",
    "py_assign",
    "py_bracket",
    "py_call",
    "py_def",
    "py_docstring",
    "py_items",
    "py_union",
)
"""The helpers templates call (registered as Jinja globals by ``make_environment``)."""

__all__ = ["LINE_LENGTH", "TEMPLATE_GLOBALS", "Bracket", "Operands", *TEMPLATE_GLOBALS]

LINE_LENGTH = 88
"""black's default line length, which our pinned mode uses."""


@dataclasses.dataclass(frozen=True)
class Bracket:
    """``head`` + items separated by commas + ``tail``: ``foo(`` … ``)``, ``{`` … ``}``.

    ``collection`` marks a literal (list, dict, set): black puts its items one per line
    whenever it splits one with more than one item. ``is_def`` marks a signature: black
    splits a one-parameter signature one per line too. ``flat`` is the one-line form when it
    is not head + items + tail (brackets black adds only when it splits). ``magic`` keeps
    it one item per line even when it would fit, as a magic trailing comma does.
    """

    head: str
    items: tuple[Item, ...]
    tail: str
    collection: bool = False
    is_def: bool = False
    flat: str | None = None
    magic: bool = False

    def one_line(self) -> str:
        if self.flat is not None:
            return self.flat
        return self.head + ", ".join(_one_line(item) for item in self.items) + self.tail


@dataclasses.dataclass(frozen=True)
class Operands:
    """``a | b | c``: split, black puts each operand on a line of its own, the operator
    leading (``| b``)."""

    items: tuple[Item, ...]
    operator: str = "|"

    def one_line(self) -> str:
        return f" {self.operator} ".join(_one_line(item) for item in self.items)


Item: TypeAlias = "str | Bracket | Operands"


def _one_line(item: Item) -> str:
    return item if isinstance(item, str) else item.one_line()


def _prefixed(prefix: str, item: Item) -> Item:
    if isinstance(item, str):
        return prefix + item
    if isinstance(item, Bracket):
        flat = None if item.flat is None else prefix + item.flat
        return dataclasses.replace(item, head=prefix + item.head, flat=flat)
    first, *rest = item.items
    return dataclasses.replace(item, items=(_prefixed(prefix, first), *rest))


def _width(text: str) -> int:
    """Columns ``text`` takes, as black counts them (East Asian wide characters are two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fits(indent: int, text: str) -> bool:
    return "\n" not in text and indent + _width(text) <= LINE_LENGTH


def _lines(item: Item, indent: int, suffix: str = "") -> list[tuple[int, str]]:
    """``item`` at ``indent``, followed by ``suffix``, split as black splits it."""
    one = _one_line(item) + suffix
    if isinstance(item, Operands):
        if _fits(indent, one) or len(item.items) < 2:
            return [(indent, one)]
        out: list[tuple[int, str]] = []
        for n, each in enumerate(item.items):
            last = n == len(item.items) - 1
            shown = _prefixed(f"{item.operator} ", each) if n else each
            out += _lines(shown, indent, suffix if last else "")
        return out
    if isinstance(item, str) or not item.items or (_fits(indent, one) and not item.magic):
        return [(indent, one)]
    return _split(item, indent, suffix)


def _split(item: Bracket, indent: int, suffix: str = "") -> list[tuple[int, str]]:
    """``item`` split at its own brackets: the body hugged when it fits, else one item per
    line."""
    inner = indent + 4
    explode = (
        item.magic
        or (item.collection and len(item.items) > 1)
        or (item.is_def and len(item.items) == 1)
    )
    if not explode:
        body = ", ".join(_one_line(i) for i in item.items)
        if _fits(inner, body):
            return [(indent, item.head), (inner, body), (indent, item.tail + suffix)]
        if len(item.items) == 1:  # nothing to put one per line: split the item itself
            return [
                (indent, item.head),
                *_lines(item.items[0], inner),
                (indent, item.tail + suffix),
            ]
    out = [(indent, item.head)]
    for each in item.items:
        out += _lines(each, inner, ",")
    out.append((indent, item.tail + suffix))
    return out


def _join(lines: list[tuple[int, str]]) -> str:
    """The lines as template text: the first at the template's column, the rest indented."""
    first, *rest = lines
    return "\n".join([first[1], *(" " * indent + text for indent, text in rest)])


def py_bracket(indent: int, item: Item, suffix: str = "") -> str:
    """Lay out one :class:`Bracket` (or plain text) at column ``indent``."""
    return _join(_lines(item, indent, suffix))


def py_items(
    head: str,
    items: Sequence[Item],
    tail: str,
    *,
    collection: bool = False,
    magic: bool = False,
) -> Bracket:
    """A :class:`Bracket` for templates: ``py_items("{", entries, "}", collection=True)``."""
    return Bracket(head, tuple(items), tail, collection=collection, magic=magic)


def py_call(indent: int, head: str, args: Sequence[Item], tail: str = ")") -> str:
    """``head(args)tail`` (``head`` ends with the opening bracket) at column ``indent``."""
    return py_bracket(indent, Bracket(head, tuple(args), tail))


def py_def(indent: int, head: str, params: Sequence[Item], tail: str) -> str:
    """A signature: ``head`` is ``def name(`` / ``async def name(``, ``tail`` is
    ``) -> T:``."""
    return py_bracket(indent, Bracket(head, tuple(params), tail, is_def=True))


def annotated(name: str, annotation: str, default: str | None = None) -> Item:
    """A parameter or field ``name: annotation = default``, split as black splits a long
    one: a union annotation in parentheses of its own, else inside its last subscript."""
    rest = "" if default is None else f" = {default}"
    flat = f"{name}: {annotation}{rest}"
    if _top_level(annotation, " | "):
        return Bracket(f"{name}: (", (as_expr(annotation),), f"){rest}", flat=flat)
    subscript = _subscript(annotation, rest)
    return flat if subscript is None else _prefixed(f"{name}: ", subscript)


def as_expr(text: str) -> Item:
    """An annotation or expression as black splits it: a union at its ``|`` operators,
    else inside its last subscript. Other text as it is."""
    if _top_level(text, " | "):
        return Operands(tuple(as_expr(part) for part in _split_top_level(text, " | ")))
    subscript = _subscript(text)
    return text if subscript is None else subscript


def _subscript(text: str, rest: str = "") -> Bracket | None:
    """``X[a, b]`` (then ``rest``) split inside its last subscript; None for other text."""
    start = _opening(text) if text.endswith("]") else None
    if not start:  # no subscript, or a list display: not a subscript to split
        return None
    items = tuple(_split_top_level(text[start + 1 : -1], ", "))
    return Bracket(text[: start + 1], items, "]" + rest)


def py_assign(indent: int, target: str, value: Item) -> str:
    """``target = value`` as black lays it out: one line when it fits; else split inside
    ``value``'s own brackets when their opening line fits; else ``value`` in parentheses
    when that opening line fits; else split inside the target's last subscript."""
    one = f"{target} = {_one_line(value)}"
    if _fits(indent, one) and not (isinstance(value, Bracket) and value.magic):
        return one
    if isinstance(value, Bracket) and _fits(indent, f"{target} = {value.head}"):
        return py_bracket(indent, dataclasses.replace(value, head=f"{target} = {value.head}"))
    subscript = _subscript(target)
    if _fits(indent, f"{target} = (") or subscript is None:
        return py_bracket(indent, Bracket(f"{target} = (", (value,), ")"))
    lines = _split(subscript, indent)
    lines.pop()
    if isinstance(value, Bracket):
        lines += _lines(dataclasses.replace(value, head=f"] = {value.head}"), indent)
    else:
        lines.append((indent, f"] = {value}"))
    return _join(lines)


def as_literal(text: str, *, magic: bool = False) -> Item:
    """A Python dict or list literal (``py_value`` output) as nested :class:`Bracket`
    collections; ``magic`` keeps the outer one a line per item. Other text as it is."""
    if len(text) <= 2 or text[0] + text[-1] not in ("{}", "[]") or _opening(text) != 0:
        return text
    items: list[Item] = []
    for part in _split_top_level(text[1:-1], ", "):
        colon = _top_level_positions(part, ": ") if text[0] == "{" else []
        if colon:
            key, value = part[: colon[0]], as_literal(part[colon[0] + 2 :])
            if isinstance(value, Bracket):
                value = dataclasses.replace(value, head=f"{key}: {value.head}")
            else:
                value = f"{key}: {value}"
            items.append(value)
        else:
            items.append(as_literal(part))
    return Bracket(text[0], tuple(items), text[-1], collection=True, magic=magic)


def _opening(text: str) -> int | None:
    """The index of the bracket that closes at the last character of ``text`` (brackets
    inside string literals do not count); None when there is none."""
    stack: list[int] = []
    for index, ch in _code(text):
        if ch in "([{":
            stack.append(index)
        elif ch in ")]}":
            match = stack.pop() if stack else None
            if index == len(text) - 1:
                return match
    return None


def _code(text: str) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of every character of ``text`` outside string literals."""
    quote = ""
    escaped = False
    for index, ch in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        else:
            yield index, ch


def py_union(indent: int, target: str, members: Sequence[str]) -> str:
    """``target = A | B | C``: in parentheses, one member per line, when it does not fit."""
    return py_assign(indent, target, Operands(tuple(members)))


def py_docstring(indent: int, body: str, *, closing: str = "inline") -> str:
    """A docstring of ``body`` (already escaped by the ``docstring`` filter, not yet
    indented) at column ``indent``, its closing quotes where black leaves them: after one
    line of text always; after several, on the last line (``closing="inline"``) unless that
    line would pass 88 columns, or on a line of their own (``closing="own"``)."""
    lines = body.split("\n")
    shown = "\n".join([lines[0], *((" " * indent + line) if line else "" for line in lines[1:])])
    if len(lines) == 1:
        return f'"""{shown}"""'
    # black measures a docstring's last line with len(), not the display width _fits uses
    if closing == "inline" and indent + len(lines[-1]) + 3 <= LINE_LENGTH:
        return f'"""{shown}"""'
    return f'"""{shown}\n{" " * indent}"""'


def as_call(text: str) -> Item:
    """``name(a, b=c)`` text as a :class:`Bracket` (split at its top-level commas); other
    text as it is."""
    head, sep, rest = text.partition("(")
    if not sep or _opening(text) != len(head) or _top_level(head, " ") or not rest[:-1]:
        return text
    args = _split_top_level(rest[:-1], ", ")
    return Bracket(head + "(", tuple(args), ")")


def _split_top_level(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for index in _top_level_positions(text, separator):
        parts.append(text[start:index])
        start = index + len(separator)
    parts.append(text[start:])
    return parts


def _top_level(text: str, separator: str) -> int:
    """How many times ``separator`` occurs in ``text`` outside brackets and strings."""
    return len(_top_level_positions(text, separator))


def _top_level_positions(text: str, separator: str) -> list[int]:
    """Where ``separator`` starts in ``text`` outside brackets and string literals."""
    depth = 0
    found: list[int] = []
    for index, ch in _code(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            found.append(index)
    return found
