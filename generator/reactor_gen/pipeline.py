"""The generator pipeline: load → render → format (→ write, see :mod:`reactor_gen.write`).

:func:`build` is pure: it returns the complete output of one model in memory
(:class:`GeneratedPackage`), manifest included, and never touches the output directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reactor_gen.format import format_files
from reactor_gen.ir.model import ModelIR
from reactor_gen.lifecycle.guard import add_surface_to_manifest
from reactor_gen.load import LoadedModel, load_model
from reactor_gen.render import render_model
from reactor_gen.version import GENERATOR_NAME, GENERATOR_VERSION, RUNTIME_REQUIREMENT
from reactor_gen.write import MANIFEST_NAME, Plan, make_manifest, plan_output

__all__ = ["SCHEMA_SUFFIXES", "GeneratedPackage", "build", "find_schemas"]

SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")


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
    rendered = render_model(loaded.ir, schema_name=schema_name, schema_sha256=loaded.sha256)
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
    )
    # lifecycle: record the surface fingerprint + schema version for the version guard
    files[MANIFEST_NAME] = add_surface_to_manifest(files[MANIFEST_NAME], loaded.ir)
    return GeneratedPackage(
        model=loaded,
        files=dict(sorted(files.items())),
        out_dir=Path(out_dir) if out_dir is not None else None,
    )


def find_schemas(schemas_dir: Path) -> list[Path]:
    """Every schema file directly in ``schemas_dir`` (sorted by name)."""
    if not schemas_dir.is_dir():
        return []
    return sorted(
        p
        for p in schemas_dir.iterdir()
        if p.is_file() and p.suffix in SCHEMA_SUFFIXES and not p.name.startswith(".")
    )
