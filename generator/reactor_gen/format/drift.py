"""Format drift: where rendered code differs from black's layout of it.

black formats a file twice when its first pass changes anything (``black.format_str`` runs a
second pass to settle optional trailing commas), so a rendered file that already has black's
layout costs half as much to format: the templates and the renderer's layout helpers
(:mod:`reactor_gen.render.pylayout`) aim for exactly that on the schemas we ship. This module
measures how far they are from it; ``scripts/format-drift`` prints it and
``tests/generator/test_format_drift.py`` keeps it at zero. The output bytes never depend on
it: every ``.py`` file is still formatted by black.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from reactor_gen.format import black_mode

__all__ = ["drift"]


def drift(files: Mapping[str, str], *, context: int = 0) -> dict[str, list[str]]:
    """The unified diff from each rendered ``.py`` file to black's output, for the files
    where black changes something (``{path: diff lines}``; empty when all are black's)."""
    import black

    mode = black_mode()
    out: dict[str, list[str]] = {}
    for path, text in sorted(files.items()):
        if not path.endswith(".py"):
            continue
        formatted = black.format_str(text, mode=mode)
        if formatted != text:
            out[path] = list(
                difflib.unified_diff(
                    text.splitlines(),
                    formatted.splitlines(),
                    f"{path} (rendered)",
                    f"{path} (black)",
                    n=context,
                    lineterm="",
                )
            )
    return out
