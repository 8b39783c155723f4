"""The lifecycle subcommands (``pull``, ``diff``, ``publish``, ``update``) for argparse.

``reactor_gen.cli`` registers them with :func:`register`; ``python -m
reactor_gen.lifecycle`` runs them on their own. Every handler returns an exit code and
turns :class:`~reactor_gen.lifecycle.common.LifecycleError` into one line on stderr.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.layout import SCHEMA_SUFFIXES
from reactor_gen.lifecycle.common import Layout, LifecycleError, check_model_name, run_command
from reactor_gen.lifecycle.diff import Change, diff_ir, has_breaking, required_bump
from reactor_gen.lifecycle.publish import Credentials
from reactor_gen.lifecycle.report import (
    bump_line,
    changes_table,
    err_console,
    out_console,
    summary_table,
)
from reactor_gen.load import LoadedModel, load_document, load_model, parse_document

__all__ = ["main", "register", "run_diff", "run_publish", "run_pull", "run_update"]

Handler = Callable[[argparse.Namespace], int]
DIFF_ERROR = 2


def _layout(args: argparse.Namespace) -> Layout:
    return Layout.at(getattr(args, "root", None))


def _guarded(command: str, handler: Handler, error_code: int | None = None) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except LifecycleError as exc:
            err_console().print(f"reactor-gen {command}: error: {exc}", markup=False)
            return error_code if error_code is not None else exc.exit_code
        except KeyboardInterrupt:
            err_console().print(f"reactor-gen {command}: interrupted", markup=False)
            return 130

    return run


# --- pull --------------------------------------------------------------------------


def run_pull(args: argparse.Namespace) -> int:
    """``reactor-gen pull NAME (--url URL | --model-dir DIR)``."""
    from reactor_gen.lifecycle.pull import UNSET_VERSION, pull, same_model

    layout = _layout(args)
    result = pull(
        args.name,
        layout,
        url=args.url,
        model_dir=Path(args.model_dir) if args.model_dir else None,
        runtime_python=args.runtime_python,
        version=args.version,
        force=args.force,
    )
    console = out_console()
    console.print(result.summary(), markup=False)
    if result.kept_version:
        err_console().print(
            f"note: the source reports {UNSET_VERSION}; kept {result.new_version} from the "
            "existing schema (pass --version to stamp a release)",
            markup=False,
        )
    elif result.new_version == UNSET_VERSION:
        err_console().print(
            f"note: info.version is {UNSET_VERSION}; pass --version vX.Y.Z to stamp a release",
            markup=False,
        )
    if result.title != args.name:
        forced = "" if same_model(result.title, args.name) else " (written because of --force)"
        err_console().print(
            f"warning: the schema's info.title is {result.title!r}, not {args.name!r}{forced}",
            markup=False,
        )
    return 0


# --- diff --------------------------------------------------------------------------


def _load_file(path: Path) -> LoadedModel:
    if not path.is_file():
        raise LifecycleError(f"no such schema file: {path}")
    try:
        return load_model(path)
    except DiagnosticError as exc:
        raise LifecycleError(f"{path} is not a usable schema: {_first(exc)}") from exc


def _first(exc: DiagnosticError) -> str:
    more = len(exc.diagnostics) - 1
    first = str(exc.diagnostics[0]) if exc.diagnostics else str(exc)
    return first + (f" (and {more} more)" if more > 0 else "")


def _load_revision(layout: Layout, name: str, revision: str) -> LoadedModel:
    path = layout.schema_path(name)
    relative = path.relative_to(layout.root).as_posix()
    shown = f"{revision}:{relative}"
    try:
        raw = run_command(
            ["git", "-C", str(layout.root), "show", shown], what="git show", text=False, timeout=60
        ).stdout
    except LifecycleError as exc:
        detail = str(exc).removeprefix("git show failed: ")
        raise LifecycleError(f"cannot read {relative} at {revision!r}: {detail}") from None
    try:
        document = parse_document(raw, file=shown, suffix=path.suffix)
        return load_document(document, raw, path=path, file=shown)
    except DiagnosticError as exc:
        raise LifecycleError(f"{shown} is not a usable schema: {_first(exc)}") from exc


@dataclass(frozen=True)
class DiffInputs:
    """The two schemas ``diff`` compares, and how its header names them."""

    old: LoadedModel
    new: LoadedModel
    model: str
    """The model the header names: ``MODEL`` when given, else the schemas' title."""
    old_label: str
    new_label: str

    @property
    def header(self) -> str:
        """``longlive-v2 v3.0.5 → v3.1.0 (old: schemas/longlive-v2.json at HEAD, new: the
        working tree)``."""
        versions = f"{self.old.ir.version} → {self.new.ir.version}"
        return f"{self.model} {versions} (old: {self.old_label}, new: {self.new_label})"


def resolve_diff_inputs(old: str, new: str, layout_root: str | Path | None) -> DiffInputs:
    """``OLD NEW`` schema files, or ``MODEL REV``: ``schemas/MODEL.json`` at git revision
    ``REV`` (old) against the working tree (new)."""
    old_path, new_path = Path(old), Path(new)
    if old_path.suffix in SCHEMA_SUFFIXES or old_path.is_file():
        before, after = _load_file(old_path), _load_file(new_path)
        titles = before.ir.title, after.ir.title
        model = titles[0] if titles[0] == titles[1] else f"{titles[0]} (now {titles[1]})"
        return DiffInputs(before, after, model, old, new)
    layout = Layout.at(layout_root)
    try:
        current = layout.existing_schema(old)
    except LifecycleError as exc:
        if new in layout.model_names():
            raise LifecycleError(
                f"{exc}; the model comes first: reactor-gen diff {new} {old}"
            ) from None
        raise
    relative = current.relative_to(layout.root).as_posix()
    return DiffInputs(
        _load_revision(layout, old, new),
        _load_file(current),
        old,
        f"{relative} at {new}",
        "the working tree",
    )


def _severity(change: Change) -> int:
    return ("breaking", "compatible", "documentation").index(change.kind)


def run_diff(args: argparse.Namespace) -> int:
    """``reactor-gen diff OLD NEW`` / ``diff MODEL REV``: exit 1 on a breaking change, 0
    otherwise, 2 on error."""
    inputs = resolve_diff_inputs(args.old, args.new, getattr(args, "root", None))
    old, new = inputs.old, inputs.new
    changes: list[Change] = diff_ir(old.ir, new.ir)
    console = out_console()
    if not args.no_api and old.ir != new.ir:
        from reactor_gen.lifecycle.api_diff import api_changes

        try:
            changes = sorted(changes + api_changes(old, new), key=_severity)
        except LifecycleError as exc:
            err_console().print(f"warning: Python API check skipped: {exc}", markup=False)
    if changes:
        console.print(inputs.header, markup=False)
        console.print(changes_table(changes))
    else:
        console.print(f"{inputs.header}: no surface changes", markup=False)
    try:
        bump = required_bump(changes, old.ir.version, new.ir.version)
        console.print(bump_line(bump, new.ir.version), markup=False)
    except InvalidVersion:
        console.print(f"cannot suggest a version: {old.ir.version!r} is not semver", markup=False)
    counts = {
        kind: sum(c.kind == kind for c in changes)
        for kind in ("breaking", "compatible", "documentation")
    }
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    breaking = has_breaking(changes)
    console.print(
        f"{summary} → {'BREAKING (exit 1)' if breaking else 'no breaking change'}", markup=False
    )
    return 1 if breaking else 0


# --- publish -----------------------------------------------------------------------


def _credentials(args: argparse.Namespace) -> Credentials:
    return Credentials.resolve(args.username, args.password)


def run_publish(args: argparse.Namespace) -> int:
    """``reactor-gen publish NAME --repository-url URL``."""
    from reactor_gen.lifecycle.publish import publish

    layout = _layout(args)
    results = publish(
        check_model_name(args.name),
        layout,
        repository_url=args.repository_url,
        credentials=_credentials(args),
        console=err_console(),
        index_url=args.index_url,
        skip_existing=args.skip_existing,
        with_runtime=not args.no_runtime,
    )
    rows = [(r.name, str(r.version), r.outcome, ", ".join(r.files)) for r in results]
    out_console().print(summary_table("publish", ("project", "version", "result", "files"), rows))
    return 0


# --- update ------------------------------------------------------------------------


def run_update(args: argparse.Namespace) -> int:
    """``reactor-gen update --repository-url URL [--all | NAME...]``."""
    from reactor_gen.lifecycle.update import parse_sources, update, update_exit_code

    layout = _layout(args)
    if args.all and args.names:
        raise LifecycleError("give model names or --all, not both")
    names = layout.model_names() if args.all else [check_model_name(n) for n in args.names]
    if not names:
        raise LifecycleError("nothing to update: name models or pass --all")
    rows = update(
        names,
        layout,
        repository_url=args.repository_url,
        credentials=_credentials(args),
        console=err_console(),
        index_url=args.index_url,
        sources=parse_sources(args.pull_from or [], names),
        dry_run=args.dry_run,
        allow_same_version=args.allow_same_version,
        runtime_python=args.runtime_python,
    )
    table = summary_table(
        "update",
        ("model", "schema version", "published version", "action"),
        [(r.model, r.schema_version, r.published, r.action) for r in rows],
    )
    out_console().print(table)
    return update_exit_code(rows)


# --- registration ------------------------------------------------------------------


def _index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repository-url", required=True, help="upload URL of the package index")
    parser.add_argument(
        "--index-url",
        default=None,
        help="simple-API URL of the index (default: <repository-url>/simple/)",
    )
    parser.add_argument(
        "--username",
        default=None,
        help="index user (else REACTOR_GEN_INDEX_USERNAME, TWINE_USERNAME)",
    )
    parser.add_argument(
        "--password",
        default=None,
        help="index password/token (else REACTOR_GEN_INDEX_PASSWORD, TWINE_PASSWORD); "
        "never printed",
    )


def _root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        metavar="DIR",
        default=argparse.SUPPRESS,  # keep a --root given before the subcommand
        help="checkout root holding schemas/ and generated/ (default: found from the cwd)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pull``, ``diff``, ``publish`` and ``update``; each sets ``args.func``
    (``func(args) -> int``)."""
    p = subparsers.add_parser("pull", help="fetch a model's schema into schemas/<name>.json")
    p.add_argument("name", help="model name (schemas/<name>.json)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="local runtime base URL (GET /schema, else the data channel)")
    source.add_argument("--model-dir", help="model source dir (python -m reactor_runtime.schema)")
    p.add_argument("--runtime-python", default=None, help="interpreter with reactor-runtime")
    p.add_argument("--version", default=None, help="release tag to stamp (vX.Y.Z)")
    p.add_argument(
        "--force",
        action="store_true",
        help="write a schema whose info.title is another model's (the replaced file is kept "
        "as schemas/<name>.json.bak)",
    )
    _root_option(p)
    p.set_defaults(func=_guarded("pull", run_pull))

    d = subparsers.add_parser(
        "diff",
        help="classify the changes between two schemas (exit 1 when breaking)",
        description="Classify what changed from an old schema to a new one and name the "
        "semver bump it needs. OLD NEW: two schema files, the earlier one first. MODEL REV: "
        "schemas/MODEL.json at git revision REV is the old schema, the working tree's is "
        "the new one (reactor-gen diff longlive-v2 HEAD: what changed since the last "
        "commit). The first line of the output names both.",
    )
    d.add_argument("old", metavar="OLD|MODEL", help="the old schema file, or a model name")
    d.add_argument(
        "new",
        metavar="NEW|REV",
        help="the new schema file, or the git revision of the old schema (the working "
        "tree's is the new one)",
    )
    d.add_argument("--no-api", action="store_true", help="skip the generated Python API check")
    _root_option(d)
    d.set_defaults(func=_guarded("diff", run_diff, DIFF_ERROR))

    b = subparsers.add_parser("publish", help="build, check and upload generated/<name>/")
    b.add_argument("name", help="model name (generated/<name>/)")
    _index_options(b)
    b.add_argument(
        "--skip-existing", action="store_true", help="an already published version is not an error"
    )
    b.add_argument("--no-runtime", action="store_true", help="never upload the runtime core")
    _root_option(b)
    b.set_defaults(func=_guarded("publish", run_publish))

    u = subparsers.add_parser(
        "update", help="regenerate and publish models whose schema is newer than the index"
    )
    u.add_argument("names", nargs="*", metavar="NAME", help="models to update")
    u.add_argument("--all", action="store_true", help="every schemas/*.json")
    _index_options(u)
    u.add_argument(
        "--pull-from",
        action="append",
        metavar="[NAME=]SOURCE",
        help="pull the schema first from a runtime URL or model dir (repeatable)",
    )
    u.add_argument(
        "--runtime-python", default=None, help="interpreter with reactor-runtime (model dirs)"
    )
    u.add_argument("--dry-run", action="store_true", help="only report what would be done")
    u.add_argument(
        "--allow-same-version",
        action="store_true",
        help="pass through to the build's version guard",
    )
    _root_option(u)
    u.set_defaults(func=_guarded("update", run_update))


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry: ``python -m reactor_gen.lifecycle <command> ...``."""
    parser = argparse.ArgumentParser(prog="reactor-gen")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    args = parser.parse_args(argv)
    func: Handler = args.func
    return func(args)
