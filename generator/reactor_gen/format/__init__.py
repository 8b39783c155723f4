"""Formatting: black in-process with every option explicit.

The mode is fixed here, so no ``pyproject.toml`` in scope (ours, a user's, the output
directory's) can change the output. Only ``.py`` files are formatted.

black's output for a given input is cached (:mod:`reactor_gen.cache`, keyed by black's
version, this mode and the exact input text), and black is imported only on a cache miss:
formatting is most of a build's time, and a rebuild or ``--check`` of an unchanged schema
needs none of it.
"""

from __future__ import annotations

import dataclasses
import functools
from importlib.metadata import version as _dist_version
from typing import TYPE_CHECKING

from reactor_gen import cache

if TYPE_CHECKING:
    import black

__all__ = [
    "BLACK_OPTIONS",
    "BlackOptions",
    "FormatError",
    "black_mode",
    "format_file",
    "format_files",
]


@dataclasses.dataclass(frozen=True)
class BlackOptions:
    """Every black ``Mode`` option, explicit; its ``repr`` is part of the format-cache key."""

    target_versions: tuple[str, ...] = ("PY310",)
    line_length: int = 88
    string_normalization: bool = True
    is_pyi: bool = False
    is_ipynb: bool = False
    skip_source_first_line: bool = False
    magic_trailing_comma: bool = True
    preview: bool = False
    unstable: bool = False


BLACK_OPTIONS = BlackOptions()


class FormatError(Exception):
    """black could not parse a rendered file: a template bug, never user input."""


@functools.lru_cache(maxsize=1)
def black_mode() -> black.Mode:
    """The black ``Mode`` built from :data:`BLACK_OPTIONS` (imports black)."""
    import black
    from black.mode import TargetVersion

    o = BLACK_OPTIONS
    return black.Mode(
        target_versions={TargetVersion[name] for name in o.target_versions},
        line_length=o.line_length,
        string_normalization=o.string_normalization,
        is_pyi=o.is_pyi,
        is_ipynb=o.is_ipynb,
        skip_source_first_line=o.skip_source_first_line,
        magic_trailing_comma=o.magic_trailing_comma,
        preview=o.preview,
        unstable=o.unstable,
        enabled_features=set(),
    )


@functools.lru_cache(maxsize=1)
def _cache_salt() -> str:
    return f"black={_dist_version('black')};mode={BLACK_OPTIONS!r}"


def format_file(path: str, text: str) -> str:
    """Format ``text`` when ``path`` is a ``.py`` file; return other files unchanged."""
    if not path.endswith(".py"):
        return text
    key = cache.content_key(_cache_salt(), text)
    cached = cache.read_text("format", key)
    if cached is not None:
        return cached
    import black

    try:
        formatted = black.format_str(text, mode=black_mode())
    except Exception as exc:  # black raises InvalidInput and friends
        raise FormatError(f"black could not format {path}: {exc}") from exc
    cache.write_text("format", key, formatted)
    return formatted


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every ``.py`` file of a file map (sorted by path)."""
    return {path: format_file(path, files[path]) for path in sorted(files)}
