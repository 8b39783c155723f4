"""Terminal output of the lifecycle commands (rich): consoles, progress, tables."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from reactor_gen.lifecycle.diff import Bump, Change

if TYPE_CHECKING:  # rich is imported where it is used: `reactor-gen build` never needs it
    from rich.console import Console
    from rich.table import Table

__all__ = [
    "changes_table",
    "err_console",
    "out_console",
    "step",
    "summary_table",
]

_STYLE = {"breaking": "bold red", "compatible": "green", "documentation": "cyan"}


_PIPE_WIDTH = 200
"""Width used when the stream is not a terminal (CI logs, pipes): tables stay unwrapped."""


def out_console() -> Console:
    """Results (tables, summaries) go to stdout."""
    from rich.console import Console

    width = None if sys.stdout.isatty() else _PIPE_WIDTH
    return Console(highlight=False, soft_wrap=True, width=width)


def err_console() -> Console:
    """Progress and warnings go to stderr, so stdout stays parseable."""
    from rich.console import Console

    width = None if sys.stderr.isatty() else _PIPE_WIDTH
    return Console(stderr=True, highlight=False, soft_wrap=True, width=width)


@contextlib.contextmanager
def step(console: Console, text: str) -> Iterator[None]:
    """A spinner while a long step runs, then a ``✓ text`` (or ``✗ text``) line."""
    ok = False
    try:
        if console.is_terminal:
            with console.status(text):
                yield
        else:
            yield
        ok = True
    finally:
        mark = "[green]✓[/green]" if ok else "[red]✗[/red]"
        console.print(f"{mark} {text}", markup=True)


def changes_table(changes: Sequence[Change]) -> Table:
    """Every change with its class."""
    from rich.table import Table

    table = Table(show_lines=False)
    table.add_column("class", no_wrap=True)
    table.add_column("where", overflow="fold")
    table.add_column("change", overflow="fold")
    for change in changes:
        style = _STYLE[change.kind]
        table.add_row(f"[{style}]{change.kind}[/{style}]", change.where, change.detail)
    return table


def summary_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A plain summary table."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    return table


def bump_line(bump: Bump, new_version: str | None) -> str:
    """The bump, plus whether ``new_version`` already satisfies it."""
    line = bump.describe()
    if new_version is None or bump.level == "none":
        return line
    if bump.satisfied_by:
        return f"{line}; the new schema's {new_version} satisfies it"
    return f"{line}; the new schema says {new_version}: set info.version to {bump.suggested}"
