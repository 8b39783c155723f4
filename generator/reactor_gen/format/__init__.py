"""Formatting: black in-process with every option explicit.

The mode is fixed here, so no ``pyproject.toml`` in scope (ours, a user's, the output
directory's) can change the output. Only ``.py`` files are formatted.
"""

from __future__ import annotations

import black
from black.mode import TargetVersion

__all__ = ["BLACK_MODE", "FormatError", "format_file", "format_files"]

BLACK_MODE = black.Mode(
    target_versions={TargetVersion.PY310},
    line_length=88,
    string_normalization=True,
    is_pyi=False,
    is_ipynb=False,
    skip_source_first_line=False,
    magic_trailing_comma=True,
    preview=False,
    unstable=False,
    enabled_features=set(),
)


class FormatError(Exception):
    """black could not parse a rendered file: a template bug, never user input."""


def format_file(path: str, text: str) -> str:
    """Format ``text`` when ``path`` is a ``.py`` file; return other files unchanged."""
    if not path.endswith(".py"):
        return text
    try:
        return black.format_str(text, mode=BLACK_MODE)
    except Exception as exc:  # black raises InvalidInput and friends
        raise FormatError(f"black could not format {path}: {exc}") from exc


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every ``.py`` file of a file map (sorted by path)."""
    return {path: format_file(path, files[path]) for path in sorted(files)}
