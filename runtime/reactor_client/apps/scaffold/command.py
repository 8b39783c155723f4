"""The ``new`` subcommand of ``python -m reactor_models.<pkg>`` (see
:mod:`reactor_client.apps.cli`): write the package's starter project into a new directory."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import typing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ...surface import load_package_surface
from .project import (
    ScaffoldError,
    Wheel,
    app_names,
    check_target,
    render_project,
    use_wheels,
    write_project,
)
from .wheels import build_wheel, local_source

__all__ = [
    "NewProject",
    "add_arguments",
    "load_files",
    "local_wheel_sources",
    "new_project",
    "run",
    "split_name",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        metavar="NAME",
        help="the app's name, e.g. my-app, or a path whose last part is the name "
        "(path/to/my-app; missing folders are created)",
    )
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
    surface = load_package_surface(package)
    if surface is not None and surface.has_python_names:
        return files, surface.setup_commands()
    return files, dict(getattr(data, "COMMANDS", {}))  # a package older than _surface.json


@dataclass(frozen=True)
class NewProject:
    """What :func:`new_project` wrote."""

    path: Path
    files: tuple[str, ...]
    """The project's files, ``wheels/`` ones included."""
    wheels: tuple[Wheel, ...]
    """The dependencies bundled in ``wheels/`` (built from local sources)."""

    def report(self, shown: str | None = None) -> list[str]:
        """The lines both ``new`` commands print (``shown``: the path as they show it)."""
        path = shown if shown is not None else str(self.path)
        top = sorted({f.split("/", 1)[0] + ("/" if "/" in f else "") for f in self.files})
        lines = [f"wrote {path}/ ({', '.join(top)})"]
        if self.wheels:
            listed = ", ".join(f"{w.distribution} {w.version}" for w in self.wheels)
            lines.append(
                f"wheels/: {listed} (from local builds, not an index); "
                "pyproject.toml depends on these files"
            )
        lines.append(f"next: cd {path} && pip install . && python main.py --local")
        return lines


def split_name(name: str, target: Path | None) -> tuple[str, Path]:
    """``NAME`` → (the app's name, where to write it): ``path/to/my-app`` is the app
    ``my-app`` in ``path/to/my-app`` (as cargo and npm read it), unless ``--dir`` says
    where."""
    if not any(sep in name for sep in {"/", os.sep}):
        return name, target if target is not None else Path(name)
    if target is not None:
        raise ScaffoldError(
            f"{name!r} is not a usable app name with --dir: give the name alone "
            "(my-app), or the path without --dir"
        )
    path = Path(name)
    return path.name, path


def new_project(
    files: typing.Mapping[str, str],
    commands: typing.Mapping[str, typing.Sequence[str]],
    *,
    name: str,
    target: Path | None,
    setup: typing.Sequence[str] | None,
    dependencies: typing.Sequence[str],
    wheel_sources: typing.Mapping[str, Path] | None = None,
) -> NewProject:
    """Validate, render and write a project (what both ``new`` commands do): ``name`` may
    be a path (:func:`split_name`); each of ``wheel_sources`` (distribution → a local
    directory or wheel it was installed from) is built into ``wheels/`` and depended on
    there. Raises :class:`~reactor_client.apps.scaffold.project.ScaffoldError`."""
    app_name, where = split_name(name, target)
    names = app_names(app_name, taken=dependencies)
    rendered = render_project(files, names, setup=setup, commands=commands)
    check_target(where)  # before building anything
    wheels = [build_wheel(d, source) for d, source in (wheel_sources or {}).items()]
    project = use_wheels(rendered, wheels)
    return NewProject(write_project(project, where), tuple(sorted(project)), tuple(wheels))


def local_wheel_sources(distributions: typing.Iterable[str]) -> dict[str, Path]:
    """The ``distributions`` installed from a local directory or file, and where from."""
    found = {d: local_source(d) for d in distributions}
    return {d: source for d, source in found.items() if source is not None}


def run(args: argparse.Namespace, model_class: type[typing.Any], package: str) -> int:
    files, commands = load_files(package)
    distribution = "reactor-models-" + str(model_class._model_name)
    dependencies = (distribution, "reactor-client")
    try:
        written = new_project(
            files,
            commands,
            name=args.name,
            target=args.dir,
            setup=args.setup,
            dependencies=dependencies,
            wheel_sources=local_wheel_sources(dependencies),
        )
    except ScaffoldError as exc:
        print(f"new: {exc}", file=sys.stderr)
        return 2
    print("\n".join(written.report()))
    return 0
