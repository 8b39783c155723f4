"""The repository layout every command shares: ``schemas/<name>.{json,yaml,yml}`` in,
``generated/<name>/`` out, ``runtime/`` beside them; the root is ``REACTOR_GEN_ROOT``,
else ``--root``, else the nearest folder with ``schemas/`` at or above the cwd."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reactor_gen.errors import UserError

__all__ = [
    "SCHEMA_SUFFIXES",
    "Layout",
    "check_model_name",
    "did_you_mean",
    "find_root",
    "find_schemas",
]

SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def check_model_name(name: str) -> str:
    """Reject names that are not plain file stems (``longlive-v2``)."""
    if not _NAME_RE.fullmatch(name):
        raise UserError(f"invalid model name {name!r}: use letters, digits, '.', '_' or '-'")
    return name


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'longlive-v2'?"`` for the model names in ``known`` closest to a
    misspelt ``name`` (``difflib``), else ``""``."""
    by_lower = {k.lower(): k for k in sorted(set(known))}
    # 0.5, not difflib's 0.6: short names one letter apart ("x3", "x2") score 0.5
    close = [by_lower[c] for c in difflib.get_close_matches(name.lower(), by_lower, 3, 0.5)]
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def find_schemas(schemas_dir: Path) -> list[Path]:
    """Every schema file directly in ``schemas_dir`` (sorted by name)."""
    if not schemas_dir.is_dir():
        return []
    return sorted(
        p
        for p in schemas_dir.iterdir()
        if p.is_file() and p.suffix in SCHEMA_SUFFIXES and not p.name.startswith(".")
    )


def find_root(start: Path | None = None, *, required: bool = True) -> Path | None:
    """The checkout root: env ``REACTOR_GEN_ROOT``, else the nearest directory at or
    above ``start`` (default: the working directory) that has a ``schemas/`` folder.
    Raises :class:`UserError` when none is found and ``required``."""
    configured = os.environ.get("REACTOR_GEN_ROOT", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "schemas").is_dir():
            return candidate
    if required:
        raise UserError(
            f"no schemas/ directory at or above {here}; run inside a reactor-gen checkout, "
            "pass --root or set REACTOR_GEN_ROOT"
        )
    return None


@dataclass(frozen=True)
class Layout:
    """Where a reactor-gen checkout keeps things."""

    root: Path

    @classmethod
    def at(cls, root: str | Path | None) -> Layout:
        """``--root`` when given (it must hold ``schemas/``), else :func:`find_root`."""
        if root is None:
            found = find_root()
            assert found is not None
            return cls(found)
        path = Path(root).resolve()
        if not (path / "schemas").is_dir():
            raise UserError(f"--root {root}: no schemas/ folder there")
        return cls(path)

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def runtime(self) -> Path:
        return self.root / "runtime"

    def schema_path(self, name: str) -> Path:
        """``schemas/<name>.json`` (or the ``.yaml``/``.yml`` file that exists)."""
        check_model_name(name)
        for suffix in SCHEMA_SUFFIXES:
            candidate = self.schemas / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
        return self.schemas / f"{name}.json"

    def existing_schema(self, name: str) -> Path:
        """:meth:`schema_path` of a model that has one; else a :class:`UserError` naming the
        closest known models and all of them."""
        path = self.schema_path(name)
        if path.is_file():
            return path
        known = self.model_names()
        raise UserError(
            f"unknown model {name!r}: no schemas/{name}.json{did_you_mean(name, known)} "
            f"(known models: {', '.join(known) or 'none'})"
        )

    def package_dir(self, name: str) -> Path:
        return self.generated / check_model_name(name)

    def model_names(self) -> list[str]:
        """Every model with a schema in ``schemas/``, sorted."""
        return sorted({p.stem for p in find_schemas(self.schemas)})
