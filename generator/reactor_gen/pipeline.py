"""The generator pipeline: load → ir → naming → render → format, then write/check/diff.

:func:`build` is pure: it returns the complete output of one model in memory
(:class:`GeneratedPackage`), manifest (with the surface record) included, and never
touches the output directory. :func:`build_many` builds several schemas and reports every
problem of every one together; :func:`write` runs the version guard and the
manifest-owned writer. ``reactor-gen build`` and ``reactor-gen update`` both go through
:func:`build_many` and :func:`write`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.errors import UserError
from reactor_gen.format import (
    FormatError,
    black_expected,
    early_formatter,
    format_files,
    prefetch,
)
from reactor_gen.ir.model import ModelIR
from reactor_gen.ir.serialize import surface_record
from reactor_gen.layout import SCHEMA_SUFFIXES, find_schemas
from reactor_gen.load import LoadedModel, load_model
from reactor_gen.naming import distribution_name
from reactor_gen.render import render_model
from reactor_gen.version import GENERATOR_NAME, GENERATOR_VERSION, RUNTIME_REQUIREMENT
from reactor_gen.write import MANIFEST_NAME, Plan, apply_plan, make_manifest, plan_output

__all__ = [
    "SCHEMA_SUFFIXES",
    "GeneratedPackage",
    "WriteResult",
    "build",
    "build_many",
    "find_schemas",
    "write",
]


@dataclass(frozen=True)
class GeneratedPackage:
    """One model's generated output, in memory."""

    model: LoadedModel
    files: dict[str, str]
    """``{relative POSIX path: text}``, sorted by path, manifest included."""
    out_dir: Path | None = None

    @property
    def ir(self) -> ModelIR:
        return self.model.ir

    @property
    def name(self) -> str:
        """The model's name in this repository: its schema file's stem
        (``schemas/longlive-v2.json`` → ``longlive-v2``), which names ``generated/<name>/``."""
        return self.model.path.stem

    @property
    def label(self) -> str:
        """How output lines name the package: its distribution
        (``reactor-models-longlive-v2``), whatever the schema file is called."""
        return distribution_name(self.ir.title)

    def write_into(self, directory: Path) -> Path:
        """Write every file into ``directory`` as it is (no manifest check, no atomic
        swap: for scratch directories, e.g. to build a wheel or diff an API)."""
        for relative, text in self.files.items():
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return directory

    def plan(self, out_dir: Path | None = None) -> Plan:
        """What writing this package into ``out_dir`` (default: its own) would do."""
        target = out_dir or self.out_dir
        if target is None:
            raise ValueError("no output directory")
        return plan_output(self.files, target)


def build(
    model_or_path: LoadedModel | Path | str,
    out_dir: Path | str | None = None,
    *,
    file: str | None = None,
) -> GeneratedPackage:
    """Load (unless given a :class:`LoadedModel`), render and format one model.

    Raises :class:`reactor_gen.diagnostics.DiagnosticError` for a bad schema.
    """
    if isinstance(model_or_path, LoadedModel):
        loaded = model_or_path
    else:
        loaded = load_model(Path(model_or_path), file=file)
    schema_name = loaded.path.name
    rendered = render_model(
        loaded.ir, schema_name=schema_name, schema_sha256=loaded.sha256, on_file=prefetch
    )
    files = format_files(rendered)
    files[MANIFEST_NAME] = make_manifest(
        files,
        generator=GENERATOR_NAME,
        generator_version=GENERATOR_VERSION,
        model=loaded.ir.title,
        model_version=loaded.ir.version,
        schema_name=schema_name,
        schema_sha256=loaded.sha256,
        runtime_requirement=RUNTIME_REQUIREMENT,
        surface=surface_record(loaded.ir),
    )
    return GeneratedPackage(
        model=loaded,
        files=dict(sorted(files.items())),
        out_dir=Path(out_dir) if out_dir is not None else None,
    )


def build_many(
    paths: Sequence[Path],
    *,
    out: Path | str | None = None,
    generated: Path | None = None,
    nest: bool | None = None,
    display: Callable[[Path], str] = lambda p: p.as_posix(),
) -> list[GeneratedPackage]:
    """Build every schema in memory, each with its output directory: ``out`` (with
    several schemas, or ``nest``: ``out/<name>``), else ``generated/<name>``.

    Raises one :class:`UserError` listing every diagnostic of every schema, or naming two
    schemas that would share an output directory or a distribution.
    """
    many = len(paths) > 1 if nest is None else nest
    packages: list[GeneratedPackage] = []
    problems: list[str] = []
    # black imports in a forked process while the first schema loads and renders
    with early_formatter(black_expected()):
        for path in paths:
            shown = display(path)
            try:
                package = build(path, file=shown)
            except DiagnosticError as exc:
                problems.extend(str(d) for d in exc.diagnostics)
                continue
            except FormatError as exc:  # a template bug, still no traceback
                problems.append(f"{shown}: /: internal error: {exc}")
                continue
            except OSError as exc:
                problems.append(f"{shown}: /: cannot read: {exc.strerror or exc}")
                continue
            if out is not None:
                out_dir = Path(out) / package.name if many else Path(out)
            elif generated is not None:
                out_dir = generated / package.name
            else:
                raise UserError(f"{shown}: no repository root to write generated/ in; pass --out")
            packages.append(replace(package, out_dir=out_dir))
    if problems:
        raise UserError("\n".join(problems))
    seen: dict[Path, Path] = {}
    titles: dict[str, Path] = {}
    for package in packages:
        assert package.out_dir is not None
        key = package.out_dir.resolve()
        if key in seen:
            raise UserError(
                f"{package.model.path} and {seen[key]} would both be generated into "
                f"{package.out_dir}"
            )
        seen[key] = package.model.path
        other = titles.setdefault(package.ir.title, package.model.path)
        if other != package.model.path:
            raise UserError(
                f"{display(package.model.path)}: /info/title: {package.ir.title!r} is also the "
                f"title of {display(other)}; both would publish {package.label}"
            )
    return packages


@dataclass(frozen=True)
class WriteResult:
    plans: tuple[Plan, ...]
    notes: tuple[str, ...]
    """Warnings to show (e.g. a surface change let through by ``allow_same_version``)."""
    report: tuple[str, ...]
    """``out_dir/path`` lines of what changed."""


def write(
    packages: Sequence[GeneratedPackage],
    *,
    force: bool = False,
    allow_same_version: bool = False,
) -> WriteResult:
    """The version guard for every package (one rule, whatever the output directory),
    then the manifest-owned, all-or-nothing write. Raises :class:`UserError`."""
    from reactor_gen.lifecycle.guard import check_packages

    notes = check_packages(packages, allow_same_version=allow_same_version)
    plans = tuple(p.plan() for p in packages)
    report = apply_plan(plans, force=force)
    return WriteResult(plans, tuple(notes), tuple(report))
