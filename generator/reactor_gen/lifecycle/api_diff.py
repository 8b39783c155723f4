"""The generated packages' public Python API, compared with griffe.

Both schemas are generated into temporary directories, loaded statically with griffe
(``reactor_models.<pkg>``) and compared with :func:`griffe.find_breaking_changes`, so a
change that only shows in Python is caught. Only public names count (no ``_``-prefixed
module, class or member on the path: ``reactor_models.<pkg>._client.X`` is the same
object as the public ``reactor_models.<pkg>.X``), each object once, and nothing the
surface diff already reports (:func:`surface_names`: the Python names of every command,
message and track that changed) — one change per surface change. Every finding is
**breaking**, except value-only changes (``__version__``, recorded hashes) and changed
parameter defaults, which the surface diff already classifies.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.ir.model import ModelIR, ObjectType
from reactor_gen.lifecycle.common import LifecycleError
from reactor_gen.lifecycle.diff import Change
from reactor_gen.load import LoadedModel
from reactor_gen.types import SchemaType

__all__ = ["Generator", "api_changes", "default_generator", "griffe_changes", "surface_names"]

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
        return Path(package.write_into(out))

    return run


def _import_root(directory: Path) -> Path:
    """The directory holding ``reactor_models/`` below ``directory``."""
    if (directory / "reactor_models").is_dir():
        return directory
    for candidate in sorted(directory.rglob("reactor_models")):
        if candidate.is_dir():
            return candidate.parent
    raise LifecycleError(f"no reactor_models package generated under {directory}")


def _class_names(obj: ObjectType) -> set[str]:
    names = {obj.class_name}

    def walk(t: SchemaType) -> None:
        if t.object_type is not None:
            names.update(_class_names(t.object_type))
        if t.inner is not None:
            walk(t.inner)

    for f in obj.fields:
        walk(f.type)
    return names


def surface_names(old: ModelIR, new: ModelIR) -> frozenset[str]:
    """Python names (methods, classes, accessors) of every command, message and track that
    differs between ``old`` and ``new``, in either: the surface diff reports those."""
    names: set[str] = set()
    for attr in ("commands", "messages", "tracks"):
        before = {item.name: item for item in getattr(old, attr)}
        after = {item.name: item for item in getattr(new, attr)}
        for key in before.keys() | after.keys():
            if before.get(key) == after.get(key):
                continue
            for item in (before.get(key), after.get(key)):
                if item is None:
                    continue
                for py in (
                    "method_name",
                    "listener_name",
                    "waiter_name",
                    "attr_name",
                    "publish_name",
                    "unpublish_name",
                ):
                    if getattr(item, py, ""):
                        names.add(getattr(item, py))
                for obj in (getattr(item, "params", None), getattr(item, "payload", None)):
                    if obj is not None:
                        names.update(_class_names(obj))
    if old.prefix != new.prefix or old.messages != new.messages:
        names.add(new.names.message_union)  # the union of message classes
    return frozenset(n for n in names if n)


def _public(path: str, module: str) -> bool:
    tail = path[len(module) :].lstrip(".") if path.startswith(module) else path
    return not any(part.startswith("_") for part in tail.split(".") if part)


_SUBMODULES = ("commands", "messages", "listeners", "tracks")


def _object_key(path: str, module: str) -> str:
    """``<module>.commands.X`` and its re-export ``<module>.X`` are one object."""
    parts = path[len(module) :].lstrip(".").split(".")
    if len(parts) > 1 and parts[0] in _SUBMODULES:
        parts = parts[1:]
    return ".".join(parts)


def griffe_changes(
    old_root: Path, new_root: Path, module: str, covered: frozenset[str] = frozenset()
) -> list[Change]:
    """Breaking changes of ``module``'s public API between two import roots, each object
    once, leaving out objects whose path names one of ``covered``."""
    import griffe

    try:
        old = griffe.load(module, search_paths=[str(old_root)], allow_inspection=False)
        new = griffe.load(module, search_paths=[str(new_root)], allow_inspection=False)
    except (ImportError, OSError, griffe.GriffeError) as exc:
        raise LifecycleError(f"griffe could not load {module}: {exc}") from exc
    out: list[Change] = []
    seen: set[str] = set()
    for breakage in griffe.find_breaking_changes(old, new):
        if breakage.kind.name in _IGNORED:
            continue
        path = str(breakage.obj.path)
        if not _public(path, module) or covered & set(path.split(".")):
            continue
        # a re-export and its definition are one object: report it under one name
        key = f"{breakage.kind.name}:{_object_key(path, module)}"
        if key in seen:
            continue
        seen.add(key)
        where = f"python {path}"
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
    old: LoadedModel,
    new: LoadedModel,
    *,
    generator: Generator | None = None,
    skip_surface: bool = True,
) -> list[Change]:
    """Generate both packages into temp dirs and compare their public API; with
    ``skip_surface`` (the default) only what the surface diff does not already report."""
    if old.ir.package != new.ir.package:
        return []  # the import package itself changed: the surface diff reports it
    generate = generator or default_generator()
    module = f"reactor_models.{new.ir.package}"
    with tempfile.TemporaryDirectory(prefix="reactor-gen-api-") as tmp:
        base = Path(tmp)
        old_root = _import_root(generate(old, base / "old"))
        new_root = _import_root(generate(new, base / "new"))
        covered = surface_names(old.ir, new.ir) if skip_surface else frozenset()
        return griffe_changes(old_root, new_root, module, covered)
