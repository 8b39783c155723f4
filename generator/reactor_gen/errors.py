"""The one user-facing error type: printed as is (one line or a block of diagnostics),
never as a traceback; ``exit_code`` is what the command exits with."""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A failure the user can act on (bad input, refused write, missing tool...)."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
