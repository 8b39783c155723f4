"""The ``reactor-gen`` command line.

::

    reactor-gen build <model-name | schema-path>... [--out DIR] [--check | --diff] [--force]
    reactor-gen build --all [--out DIR] [--check | --diff]
    reactor-gen list
    reactor-gen new NAME --model MODEL [--dir PATH] [--setup CALL]...
    reactor-gen mock <model-name | schema-path> [--port N] [--python PATH] ...
    (every command takes --root DIR; default: $REACTOR_GEN_ROOT, else the nearest folder
    with schemas/ at or above the cwd)

Exit codes: 0 success (or up to date), 1 bad input / output out of date / unsafe write,
2 usage error. Bad schemas print every diagnostic as ``file: pointer: message`` on
stderr; nothing is written and no traceback is shown.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.errors import UserError
from reactor_gen.format import FormatError
from reactor_gen.layout import SCHEMA_SUFFIXES, Layout, find_root, find_schemas
from reactor_gen.naming import package_name
from reactor_gen.pipeline import build, build_many, write
from reactor_gen.version import GENERATOR_VERSION
from reactor_gen.write import render_diff

__all__ = ["main"]


CliError = UserError
"""The CLI's name for :class:`reactor_gen.errors.UserError` (one type)."""


def _root(args: argparse.Namespace, *, required: bool) -> Path | None:
    given = getattr(args, "root", None)
    if given is not None:
        return Layout.at(given).root
    return find_root(required=required)


def _display(path: Path) -> str:
    """A path as shown in diagnostics: relative to the cwd when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def resolve_target(target: str, root: Path | None) -> Path:
    """A model name (``longlive-v2`` → ``<root>/schemas/longlive-v2.json``) or a path."""
    as_path = Path(target)
    if as_path.suffix in SCHEMA_SUFFIXES or "/" in target or as_path.is_file():
        if not as_path.is_file():
            raise UserError(f"{target}: no such schema file")
        return as_path
    if root is None:
        raise UserError(
            f"{target}: not a file, and no schemas/ folder at or above {Path.cwd()} to look it "
            "up in: pass the schema's path, or --root DIR (a reactor-gen checkout)"
        )
    return Layout(root).existing_schema(target)


def cmd_build(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    if args.check and args.diff:
        raise UserError("--check and --diff are mutually exclusive")
    if args.all and args.targets:
        raise UserError("pass model names or --all, not both")
    if not args.all and not args.targets:
        raise UserError("nothing to build: pass a model name, a schema path, or --all")
    root = _root(args, required=bool(args.all))
    if args.all:
        assert root is not None
        paths = find_schemas(root / "schemas")
        if not paths:
            raise UserError(f"no schemas in {root / 'schemas'}")
    else:
        paths = [resolve_target(t, root) for t in args.targets]
    packages = build_many(
        paths,
        out=args.out,
        generated=root / "generated" if root is not None else None,
        nest=bool(args.all) or len(paths) > 1,
        display=_display,
    )
    for package in packages:
        for warning in package.ir.warnings:
            print(warning, file=err)
    if args.check:
        plans = [p.plan() for p in packages]
        stale = [
            f"{_display(plan.out_dir)}/{path} ({state})"
            for plan in plans
            for path, state in plan.differences()
        ]
        if stale:
            print("generated output is out of date:", file=err)
            for line in stale:
                print(f"  {line}", file=err)
            print("run: reactor-gen build" + (" --all" if args.all else ""), file=err)
            return 1
        print(f"{len(plans)} package(s) up to date", file=out)
        return 0
    if args.diff:
        changed = False
        for plan in (p.plan() for p in packages):
            text = render_diff(plan, _display(plan.out_dir))
            if text:
                changed = True
                out.write(text)
        return 1 if changed else 0
    result = write(packages, force=args.force, allow_same_version=args.allow_same_version)
    for note in result.notes:
        print(note, file=err)
    for package, plan in zip(packages, result.plans, strict=True):
        state = "up to date" if plan.up_to_date else "written"
        print(f"{package.label}: {_display(plan.out_dir)} ({state})", file=out)
    if args.verbose:
        for line in result.report:
            print(f"  {line}", file=out)
    return 0


def _new_schema(args: argparse.Namespace, root: Path | None) -> Path:
    """The schema ``new`` scaffolds from: ``--schema PATH``, or ``--model`` (a name looked
    up in the checkout's ``schemas/``, or a path)."""
    if args.schema is not None:
        if not args.schema.is_file():
            raise UserError(f"--schema {args.schema}: no such schema file")
        return Path(args.schema)
    as_path = Path(args.model)
    if root is None and not (
        as_path.suffix in SCHEMA_SUFFIXES or "/" in args.model or as_path.is_file()
    ):
        module = _installed_model_package(package_name(args.model))
        raise UserError(
            f"new: no schemas/ folder at or above {Path.cwd()} to look up the model "
            f"{args.model!r} in: pass --schema PATH (the model's schema file), --root DIR (a "
            f"reactor-gen checkout), or, with the model's package installed, run "
            f"python -m reactor_models.{module} new {args.name}"
        )
    return resolve_target(args.model, root)


def _installed_model_package(module: str) -> str:
    """``module``, or the installed ``reactor_models`` package it is most likely a typo of
    (so a hint never repeats the user's typo as a command to run)."""
    import importlib.util
    import pkgutil

    from reactor_gen.ir.rules import close_match

    try:
        if importlib.util.find_spec(f"reactor_models.{module}") is not None:
            return module
        namespace = importlib.util.find_spec("reactor_models")
    except ImportError:
        return module
    if namespace is None or not namespace.submodule_search_locations:
        return module
    installed = [m.name for m in pkgutil.iter_modules(namespace.submodule_search_locations)]
    return close_match(module, installed) or module


def cmd_new(args: argparse.Namespace) -> int:
    """The model's starter project, rendered in memory and written by the same code as
    ``python -m reactor_models.<pkg> new`` (``reactor_client.apps.scaffold``), so both
    write identical files. The model's package is built from the same memory into the
    project's ``wheels/``, and so is ``reactor-client`` when it comes from a local build
    (the checkout's ``runtime/``, or wherever the installed one came from)."""
    from reactor_gen.render.scaffold import FILES

    root = _root(args, required=False)
    path = _new_schema(args, root)
    try:
        package = build(path, file=_display(path))
    except DiagnosticError as exc:
        raise UserError("\n".join(str(d) for d in exc.diagnostics)) from None
    try:
        from reactor_client.apps.scaffold.command import local_wheel_sources, new_project
        from reactor_client.apps.scaffold.project import ScaffoldError
        from reactor_client.surface import SURFACE_FILE, PackageSurface
    except ImportError:
        raise UserError(
            "reactor-gen new writes projects with reactor-client: pip install reactor-client"
        ) from None
    data = f"reactor_models/{package.ir.package}/_scaffold/"
    files = {project: package.files[data + name] for project, name, _template in FILES}
    described = json.loads(package.files[f"reactor_models/{package.ir.package}/{SURFACE_FILE}"])
    commands = PackageSurface(described).setup_commands()
    runtime = root / "runtime" if root is not None else None
    with tempfile.TemporaryDirectory(prefix="reactor-gen-new-") as scratch:
        sources = {package.label: package.write_into(Path(scratch))}
        if runtime is not None and (runtime / "pyproject.toml").is_file():
            sources["reactor-client"] = runtime
        else:
            sources.update(local_wheel_sources(["reactor-client"]))
        try:
            written = new_project(
                files,
                commands,
                name=args.name,
                target=args.dir,
                setup=args.setup,
                dependencies=(package.label, "reactor-client"),
                wheel_sources=sources,
            )
        except ScaffoldError as exc:
            raise UserError(f"new: {exc}", exit_code=2) from None
    print("\n".join(written.report(_display(written.path))), file=sys.stdout)
    return 0


def cmd_mock(args: argparse.Namespace) -> int:
    """Serve the model's stand-in (``reactor_client.apps.mock``, the same server as
    ``python -m reactor_models.<pkg> mock``) from a schema, without building its package:
    the stand-in's data is rendered in memory into a temporary file."""
    from reactor_gen.load import load_model
    from reactor_gen.render.surface import surface_json

    root = _root(args, required=False)
    path = resolve_target(args.model, root)
    try:
        ir = load_model(path, file=_display(path)).ir
    except DiagnosticError as exc:
        raise UserError("\n".join(str(d) for d in exc.diagnostics)) from None
    try:
        from reactor_client.apps.mock import runner
        from reactor_client.apps.mock.launch import run_stand_in
    except ImportError:
        raise UserError(
            "reactor-gen mock serves the stand-in with reactor-client: "
            "pip install 'reactor-client[mock]'",
            exit_code=2,
        ) from None
    try:
        fps, size = runner.parse_fps(args.fps), runner.parse_size(args.size)
    except argparse.ArgumentTypeError as exc:
        raise UserError(f"mock: {exc}", exit_code=2) from None
    options = argparse.Namespace(
        host=args.host,
        port=args.port,
        fps=fps,
        size=size,
        examples=args.examples,
        print_schema=args.print_schema,
        verbose=args.verbose,
        quiet=args.quiet,
    )
    with tempfile.TemporaryDirectory(prefix="reactor-gen-mock-") as scratch:
        surface = Path(scratch) / "surface.json"
        surface.write_text(surface_json(ir), encoding="utf-8")
        return run_stand_in(
            surface,
            runner.serving_argv(options),
            python=args.python,
            install="reactor-client[mock]",
        )


def cmd_list(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    root = _root(args, required=True)
    assert root is not None
    rows: list[tuple[str, ...]] = [
        ("model", "title", "version", "commands", "messages", "tracks", "generated")
    ]
    for path in find_schemas(root / "schemas"):
        try:
            package = build(path, file=_display(path))
        except (DiagnosticError, FormatError, OSError) as exc:
            rows.append((path.stem, "-", "-", "-", "-", "-", "invalid"))
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            print(f"{first}", file=err)
            continue
        ir = package.ir
        plan = package.plan(root / "generated" / package.name)
        if not plan.out_dir.exists():
            state = "missing"
        else:
            state = "current" if plan.up_to_date else "stale"
        rows.append(
            (
                path.stem,
                ir.title,
                ir.version,
                str(len(ir.commands)),
                str(len(ir.messages)),
                str(len(ir.tracks)),
                state,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip(), file=out
        )
    return 0


def make_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="repository root (default: nearest folder with schemas/ above the cwd)",
    )
    parser = argparse.ArgumentParser(
        prog="reactor-gen",
        description="Generate typed Python SDK packages for Reactor models.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reactor-gen {GENERATOR_VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_build = sub.add_parser(
        "build",
        parents=[common],
        help="generate packages (or --check / --diff them)",
        description="Generate the package of each model into generated/<model>/.",
    )
    p_build.add_argument(
        "targets", nargs="*", metavar="MODEL", help="model name or schema file path"
    )
    p_build.add_argument("--all", action="store_true", help="every schema in schemas/")
    p_build.add_argument(
        "--out",
        metavar="DIR",
        help="output directory (with several models: the parent of <model>/)",
    )
    p_build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing files that differ, are missing or stale",
    )
    p_build.add_argument("--diff", action="store_true", help="write nothing; print a unified diff")
    p_build.add_argument(
        "--force",
        action="store_true",
        help="overwrite files in the output that the generator does not own",
    )
    p_build.add_argument(
        "--allow-same-version",
        action="store_true",
        help="regenerate even though the surface changed and info.version did not",
    )
    p_build.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also list each file written or deleted",
    )
    p_build.set_defaults(func=cmd_build)
    p_list = sub.add_parser("list", parents=[common], help="list the models in schemas/")
    p_list.set_defaults(func=cmd_list)
    p_new = sub.add_parser(
        "new",
        parents=[common],
        help="write a starter project for a model",
        description="Write a starter project (main.py, token_server.py, pyproject.toml, "
        "README.md, .env.example) for a model, like python -m reactor_models.<pkg> new.",
    )
    p_new.add_argument(
        "name",
        metavar="NAME",
        help="the app's name, e.g. my-app, or a path whose last part is the name "
        "(path/to/my-app; missing folders are created)",
    )
    which = p_new.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--model", metavar="MODEL", help="model name (schemas/MODEL.json) or schema file path"
    )
    which.add_argument(
        "--schema", type=Path, metavar="PATH", help="the model's schema file (no checkout needed)"
    )
    p_new.add_argument(
        "--dir",
        type=Path,
        metavar="PATH",
        help="where to write it (default ./NAME); must not exist or be empty",
    )
    p_new.add_argument(
        "--setup",
        action="append",
        metavar="CALL",
        help="a command setup() sends instead of the derived ones, e.g. "
        "--setup 'set_shot(prompt=\"A cat\")' --setup start (repeat, in order)",
    )
    p_new.set_defaults(func=cmd_new)
    p_mock = sub.add_parser(
        "mock",
        parents=[common],
        help="serve an offline stand-in for a model (reactor-runtime, Python >= 3.12)",
        description="Serve, on reactor-runtime, a stand-in with the model's surface: commands "
        "validated as the schema says, replies and emitted messages with example values, a "
        "test pattern on every output track (like python -m reactor_models.<pkg> mock).",
    )
    p_mock.add_argument("model", metavar="MODEL", help="model name or schema file path")
    p_mock.add_argument(
        "--examples",
        metavar="FILE",
        help="JSON file of example values and behaviour (messages, commands, on_connect, periodic)",
    )
    p_mock.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p_mock.add_argument(
        "--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)"
    )
    p_mock.add_argument("--fps", default="20", help="frames per second (default 20)")
    p_mock.add_argument(
        "--size", default="640x360", metavar="WxH", help="video size (default 640x360)"
    )
    p_mock.add_argument(
        "--print-schema", action="store_true", help="print the stand-in's /schema and exit"
    )
    p_mock.add_argument("--verbose", action="store_true", help="reactor-runtime's log at INFO")
    p_mock.add_argument("--quiet", action="store_true", help="do not print each command received")
    p_mock.add_argument(
        "--python",
        metavar="PATH",
        help="a Python (>= 3.12) with reactor-runtime to run it under "
        "(default: $REACTOR_RUNTIME_PYTHON, else this one)",
    )
    p_mock.set_defaults(func=cmd_mock)
    try:  # pull / diff / publish / update, owned by reactor_gen.lifecycle
        from reactor_gen.lifecycle.commands import register
    except ImportError:  # pragma: no cover - lifecycle not installed
        pass
    else:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.func(args)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
