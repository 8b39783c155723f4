"""Progress of a batch run on the terminal (rich, extra ``reactor-client[batch]``)."""

from __future__ import annotations

import sys
from typing import Any, Protocol

from ..errors import ConfigurationError


class Progress(Protocol):
    """What the runner reports; any object with these methods can be passed as ``progress=``."""

    def start(self, total: int, done_before: int) -> None: ...
    def session_started(self) -> None: ...
    def item_done(self, ok: bool, live: int) -> None: ...
    def retrying(self, key: str, error: str, delay: float, live: int) -> None: ...
    def note(self, text: str) -> None: ...
    def stop(self) -> None: ...


class NoProgress:
    def start(self, total: int, done_before: int) -> None:
        pass

    def session_started(self) -> None:
        pass

    def item_done(self, ok: bool, live: int) -> None:
        pass

    def retrying(self, key: str, error: str, delay: float, live: int) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass


class RichProgress:
    """A bar with items done / total, failures, retries, live sessions, elapsed time and ETA;
    retries and notes are printed above it."""

    def __init__(self, description: str = "sessions") -> None:
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as _Progress
        except ImportError as exc:
            raise ConfigurationError(
                "progress=True needs rich: pip install 'reactor-client[batch]' (or progress=False)"
            ) from exc
        self._console = Console(stderr=True)
        self._bar = _Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[stats]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._description = description
        self._task: Any = None
        self._failed = 0
        self._retries = 0
        self._started = 0

    def _stats(self, live: int) -> str:
        return (
            f"live {live}  failed {self._failed}  retries {self._retries}  sessions {self._started}"
        )

    def start(self, total: int, done_before: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task(
            self._description, total=total, completed=done_before, stats=self._stats(0)
        )
        if done_before:
            self.note(f"{done_before} item(s) done by an earlier run: skipped")

    def session_started(self) -> None:
        self._started += 1

    def item_done(self, ok: bool, live: int) -> None:
        if not ok:
            self._failed += 1
        self._bar.update(self._task, advance=1, stats=self._stats(live))

    def retrying(self, key: str, error: str, delay: float, live: int) -> None:
        self._retries += 1
        self.note(f"retry {key!r} in {delay:.1f} s: {error}")
        self._bar.update(self._task, stats=self._stats(live))

    def note(self, text: str) -> None:
        self._console.print(text, markup=False, highlight=False)

    def stop(self) -> None:
        self._bar.stop()


def make_progress(progress: bool | Progress | None) -> Progress:
    """``True``: rich (it must be installed); ``None``: rich when stderr is a terminal and
    rich is installed; ``False``: nothing; or your own :class:`Progress` object."""
    if progress is False:
        return NoProgress()
    if progress is None:
        if not sys.stderr.isatty():
            return NoProgress()
        try:
            return RichProgress()
        except ConfigurationError:
            return NoProgress()
    if progress is True:
        return RichProgress()
    return progress


__all__ = ["NoProgress", "Progress", "RichProgress", "make_progress"]
