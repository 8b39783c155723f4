"""Diagnostics: located, human-readable problems in a schema document.

A :class:`Diagnostic` names the source file, the RFC 6901 JSON pointer of the offending
node and a message. ``str(diagnostic)`` is ``"<file>: <pointer>: <message>"``; the
document root (the empty pointer ``""``) is shown as ``/`` so the middle column is never
blank. (A real pointer to a key named ``""`` would also print as ``/``; schemas never
have one.)

Every stage collects *all* the problems it finds in a :class:`Collector` and raises a
single :class:`DiagnosticError` at the end, so a user sees every mistake in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Collector",
    "Diagnostic",
    "DiagnosticError",
    "escape_token",
    "join_pointer",
]


def escape_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (``~`` → ``~0``, ``/`` → ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON pointer: ``join_pointer("/paths", "/events/x")``
    → ``"/paths/~1events~1x"``."""
    return base + "".join("/" + escape_token(token) for token in tokens)


def _pointer_key(pointer: str) -> tuple[tuple[int, int | str], ...]:
    # Sort pointers by their tokens, numeric tokens numerically ("/2" before "/10").
    key: list[tuple[int, int | str]] = []
    for token in pointer.split("/")[1:]:
        key.append((0, int(token)) if token.isdigit() else (1, token))
    return tuple(key)


@dataclass(frozen=True)
class Diagnostic:
    """One problem: ``file`` (as given by the caller), ``pointer`` (RFC 6901, ``""`` =
    the whole document) and a message saying what is wrong and what was expected."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.message}"

    def sort_key(self) -> tuple[str, tuple[tuple[int, int | str], ...], str]:
        """Deterministic order: file, then pointer tokens, then message."""
        return (self.file, _pointer_key(self.pointer), self.message)


class DiagnosticError(Exception):
    """Raised with every diagnostic a stage found (sorted, deduplicated)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        unique = sorted(set(diagnostics), key=Diagnostic.sort_key)
        self.diagnostics: tuple[Diagnostic, ...] = tuple(unique)
        super().__init__(self.render())

    def render(self) -> str:
        """All diagnostics, one per line."""
        return "\n".join(str(d) for d in self.diagnostics)

    def __str__(self) -> str:
        return self.render()


class Collector:
    """Gathers diagnostics for one file; :meth:`raise_if_any` raises them all at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._items: list[Diagnostic] = []
        self._warnings: list[Diagnostic] = []

    def add(self, pointer: str, message: str) -> None:
        """Record a problem at ``pointer``."""
        self._items.append(Diagnostic(self.file, pointer, message))

    def warn(self, pointer: str, message: str) -> None:
        """Record something that does not stop the build but that the user should see
        (printed as ``file: pointer: warning: message``)."""
        self._warnings.append(Diagnostic(self.file, pointer, f"warning: {message}"))

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(set(self._warnings), key=Diagnostic.sort_key))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record problems found elsewhere (e.g. by a nested stage)."""
        self._items.extend(diagnostics)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(set(self._items), key=Diagnostic.sort_key))

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raise_if_any(self) -> None:
        """Raise :class:`DiagnosticError` when anything was recorded."""
        if self._items:
            raise DiagnosticError(self._items)
