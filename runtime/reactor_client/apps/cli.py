"""The command line every generated package exposes as ``python -m reactor_models.<model>``.

Each subcommand is a module with ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args, model_class, package) -> int``; it is imported only when chosen, so
``--help`` and ``new`` never import the playground's web server, and ``mock`` imports
reactor-runtime only where it runs the stand-in.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import typing

__all__ = ["SUBCOMMANDS", "model_main"]

SUBCOMMANDS: typing.Final = {
    "play": ("reactor_client.apps.playground.command", "serve a local page to try the model"),
    "new": ("reactor_client.apps.scaffold.command", "write a starter project for the model"),
    "mock": (
        "reactor_client.apps.mock.command",
        "serve an offline stand-in for the model (reactor-runtime, Python >= 3.12)",
    ),
}
"""name → (module implementing it, one-line help)."""


class Subcommand(typing.Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, model_class: type[typing.Any], package: str) -> int: ...


def _load(name: str) -> Subcommand:
    module_name = SUBCOMMANDS[name][0]
    return typing.cast(Subcommand, importlib.import_module(module_name))


def model_main(
    model_class: type[typing.Any],
    *,
    package: str,
    argv: typing.Sequence[str] | None = None,
) -> int:
    """Parse ``argv`` and run the chosen subcommand for ``model_class`` (the generated
    ``<Prefix>Model``) of ``package`` (``reactor_models.<model>``); the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    script = os.path.basename(sys.argv[0]) if argv is None else ""
    parser = argparse.ArgumentParser(
        # the console script by its own name; ``python -m`` (argv[0] is __main__.py) by the module
        prog=script if script and not script.endswith(".py") else f"python -m {package}",
        description=f"{model_class._model_label} on Reactor ({model_class._model_name} "
        f"{model_class._model_version}).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    for name, (_module, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            _load(name).add_arguments(sub_parser)
    args = parser.parse_args(args_list)
    return _load(args.command).run(args, model_class, package)
