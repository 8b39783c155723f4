"""The ``new`` subcommand of ``python -m reactor_models.<pkg>`` (see
:mod:`reactor_client.apps.cli`): write the package's starter project into a new directory."""

from __future__ import annotations

import argparse
import importlib
import sys
import typing
from importlib import resources
from pathlib import Path

from .project import ScaffoldError, app_names, render_project, write_project

__all__ = ["add_arguments", "load_files", "new_project", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the app's name, e.g. my-app")
    parser.add_argument(
        "--dir",
        type=Path,
        metavar="PATH",
        help="where to write it (default ./NAME); must not exist or be empty",
    )
    parser.add_argument(
        "--setup",
        action="append",
        metavar="CALL",
        help="a command setup() sends instead of the ones derived from the schema, e.g. "
        "--setup 'set_shot(prompt=\"A cat\")' --setup start (repeat, in order)",
    )


def load_files(package: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The starter's files (project path → text) and the commands ``--setup`` may call,
    from the package data of ``package`` (``reactor_models.<pkg>``)."""
    data = importlib.import_module(f"{package}._scaffold")
    folder = resources.files(f"{package}._scaffold")
    files = {
        project: folder.joinpath(name).read_text(encoding="utf-8")
        for project, name in data.FILES.items()
    }
    return files, dict(data.COMMANDS)


def new_project(
    files: typing.Mapping[str, str],
    commands: typing.Mapping[str, typing.Sequence[str]],
    *,
    name: str,
    target: Path | None,
    setup: typing.Sequence[str] | None,
    dependencies: typing.Sequence[str],
) -> Path:
    """Validate, render and write a project (what both ``new`` commands do). Raises
    :class:`~reactor_client.apps.scaffold.project.ScaffoldError`."""
    names = app_names(name, taken=dependencies)
    rendered = render_project(files, names, setup=setup, commands=commands)
    return write_project(rendered, target if target is not None else Path(name))


def run(args: argparse.Namespace, model_class: type[typing.Any], package: str) -> int:
    files, commands = load_files(package)
    distribution = "reactor-models-" + str(model_class._model_name)
    try:
        target = new_project(
            files,
            commands,
            name=args.name,
            target=args.dir,
            setup=args.setup,
            dependencies=(distribution, "reactor-client"),
        )
    except ScaffoldError as exc:
        print(f"new: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {target}/ ({', '.join(sorted(files))})")
    print(f"next: cd {target} && pip install . && python main.py --local")
    return 0
