"""The generated packages' public Python API, compared with griffe.

Both schemas are generated into temporary directories, loaded statically with griffe
(``reactor_models.<pkg>``) and compared with :func:`griffe.find_breaking_changes`, so a
change that only shows in Python (a component rename renaming a class, a naming-rule
change) is caught. Every finding is reported as **breaking**, except value-only changes
(``__version__``, recorded hashes) and changed parameter defaults, which the surface diff
already classifies.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.lifecycle.common import LifecycleError
from reactor_gen.lifecycle.diff import Change
from reactor_gen.load import LoadedModel

__all__ = ["Generator", "api_changes", "default_generator", "griffe_changes"]

Generator = Callable[[LoadedModel, Path], Path]
"""Generate ``model``'s package into a directory; return the directory that holds the
``reactor_models`` namespace (the import root)."""

_IGNORED = {"ATTRIBUTE_CHANGED_VALUE", "PARAMETER_CHANGED_DEFAULT"}


def default_generator() -> Generator:
    """Render with the build pipeline (``reactor_gen.pipeline.build``, in memory) and
    write the files into the directory; nothing else is touched."""
    try:
        pipeline = importlib.import_module("reactor_gen.pipeline")
    except ImportError as exc:  # pragma: no cover - only before the pipeline exists
        raise LifecycleError(f"the package generator is not available: {exc}") from exc

    def run(model: LoadedModel, out: Path) -> Path:
        try:
            package = pipeline.build(model)
        except DiagnosticError as exc:
            raise LifecycleError(f"cannot generate {model.path}: {exc}") from exc
        for relative, text in package.files.items():
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return out

    return run


def _import_root(directory: Path) -> Path:
    """The directory holding ``reactor_models/`` below ``directory``."""
    if (directory / "reactor_models").is_dir():
        return directory
    for candidate in sorted(directory.rglob("reactor_models")):
        if candidate.is_dir():
            return candidate.parent
    raise LifecycleError(f"no reactor_models package generated under {directory}")


def griffe_changes(old_root: Path, new_root: Path, module: str) -> list[Change]:
    """Breaking public-API changes of ``module`` between two import roots."""
    import griffe

    try:
        old = griffe.load(module, search_paths=[str(old_root)], allow_inspection=False)
        new = griffe.load(module, search_paths=[str(new_root)], allow_inspection=False)
    except (ImportError, OSError, griffe.GriffeError) as exc:
        raise LifecycleError(f"griffe could not load {module}: {exc}") from exc
    out: list[Change] = []
    for breakage in griffe.find_breaking_changes(old, new):
        if breakage.kind.name in _IGNORED:
            continue
        where = f"python {breakage.obj.path}"
        detail = breakage.kind.value
        old_value, new_value = breakage.old_value, breakage.new_value
        if old_value is not None and new_value is not None:
            detail += f" ({_short(old_value)} → {_short(new_value)})"
        out.append(Change("breaking", where, detail))
    return out


def _short(value: object) -> str:
    text = getattr(value, "name", None) or str(value)
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "..."


def api_changes(
    old: LoadedModel, new: LoadedModel, *, generator: Generator | None = None
) -> list[Change]:
    """Generate both packages into temp dirs and compare their public API."""
    if old.ir.package != new.ir.package:
        return []  # the import package itself changed: the surface diff reports it
    generate = generator or default_generator()
    module = f"reactor_models.{new.ir.package}"
    with tempfile.TemporaryDirectory(prefix="reactor-gen-api-") as tmp:
        base = Path(tmp)
        old_root = _import_root(generate(old, base / "old"))
        new_root = _import_root(generate(new, base / "new"))
        return griffe_changes(old_root, new_root, module)
