"""The ``reactor-gen`` console entry point.

A build that will need black starts the early formatter (:mod:`reactor_gen.format.early`)
before anything else is imported, so black loads in other processes while the generator's
own modules, jinja2 and the schema load here; then the command line runs
(:func:`reactor_gen.cli.main`).
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> int:
    argv = sys.argv[1:]
    from reactor_gen.format.early import early_formatter

    with early_formatter(_builds(argv)):
        from reactor_gen.cli import main as cli_main

        return cli_main(argv)


def _command(argv: list[str]) -> str:
    """The subcommand of ``argv`` (global options, ``--root DIR``, may come first)."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--root":
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return ""


def _builds(argv: list[str]) -> bool:
    """A ``build`` that will run black (no format cache to answer it)."""
    if _command(argv) != "build" or any(a in ("-h", "--help", "--version") for a in argv):
        return False
    from reactor_gen.format import black_expected

    return black_expected()
