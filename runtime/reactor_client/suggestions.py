"""Errors that name what was probably meant (``did you mean 'local'?``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known``, or ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_keywords(callable_name: str, kwargs: Mapping[str, Any], known: Iterable[str]) -> None:
    """Raise Python's ``TypeError`` for the first keyword of ``kwargs`` not in ``known``,
    naming ``callable_name`` and the keyword probably meant."""
    names = list(known)
    for key in kwargs:
        if key not in names:
            raise TypeError(
                f"{callable_name}() got an unexpected keyword argument {key!r}"
                + did_you_mean(key, names)
            )


__all__ = ["check_keywords", "did_you_mean"]
