"""Loading a schema file into a named IR: ``load_model(path)``.

Stages: read + parse (:mod:`reactor_gen.load.document`) → validate into the IR
(:func:`reactor_gen.ir.build.build_ir`) → name (:func:`reactor_gen.naming.apply_names`).
Each stage reports every problem it finds; naming runs only when the IR was built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.ir.build import build_ir
from reactor_gen.ir.model import ModelIR
from reactor_gen.load.document import (
    normalize_integral_floats,
    parse_document,
    read_document,
    sha256_hex,
)
from reactor_gen.naming import apply_names

__all__ = [
    "DiagnosticError",
    "LoadedModel",
    "load_document",
    "load_model",
    "normalize_integral_floats",
    "parse_document",
    "read_document",
    "sha256_hex",
]


@dataclass(frozen=True)
class LoadedModel:
    """A schema file turned into a named IR."""

    path: Path
    ir: ModelIR
    """The IR with every Python name filled in."""
    sha256: str
    """Hex sha256 of ``raw``."""
    raw: bytes
    """The file's bytes, exactly as read."""


def load_document(
    document: dict[str, object], raw: bytes, *, path: Path, file: str | None = None
) -> LoadedModel:
    """Build and name an already-parsed document (e.g. one fetched by ``pull``).

    Integral floats where the schema says ``integer`` are ints first
    (:func:`normalize_integral_floats`): the runtime renders ``InputField(default=4.0)`` of
    an ``int`` parameter as ``"default": 4.0`` and accepts and coerces it, so the IR (and
    the generated default) has ``4``. Raises :class:`DiagnosticError` with every problem.
    """
    shown = str(path) if file is None else file
    ir = apply_names(build_ir(normalize_integral_floats(document), file=shown), file=shown)
    return LoadedModel(path=path, ir=ir, sha256=sha256_hex(raw), raw=raw)


def load_model(path: str | os.PathLike[str], *, file: str | None = None) -> LoadedModel:
    """Read, validate and name the schema at ``path`` (``.json``, ``.yaml``, ``.yml``).

    ``file`` is the name used in diagnostics (default ``str(path)``). Raises
    :class:`DiagnosticError` listing every problem found.
    """
    path = Path(path)
    document, raw = read_document(path, file=file)
    return load_document(document, raw, path=path, file=file)
