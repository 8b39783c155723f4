"""What a batch run gives back: one :class:`ItemResult` per input item, in input order, and the
JSON-lines journal (``results=PATH``) that makes a run resumable."""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from ..errors import ConfigurationError, ReactorError

log = logging.getLogger("reactor_client")

T = TypeVar("T")
R = TypeVar("R")


class ItemStatus(str, enum.Enum):
    OK = "ok"  #: the function returned (``value``)
    FAILED = "failed"  #: every try failed, or a failure that is not retried (``error``)
    DONE_BEFORE = "done_before"  #: done by an earlier run (read from the results file)
    CANCELLED = "cancelled"  #: the run was interrupted before the item finished


@dataclasses.dataclass
class ItemResult(Generic[T, R]):
    """The outcome of one item."""

    index: int
    """Position in the input."""
    key: str
    """The item's key in the results file."""
    item: T
    status: ItemStatus = ItemStatus.CANCELLED
    value: R | None = None
    """What the function returned (for ``DONE_BEFORE``: its JSON from the results file)."""
    error: BaseException | None = None
    """The last try's exception (a ``reactor_client.ReactorError`` subclass when the client
    raised it, else what your function raised)."""
    attempts: int = 0
    """Tries made by this run."""
    seconds: float = 0.0
    """Wall time of this run's tries, waits included."""
    url: str | None = None
    """The pool URL of the last try."""
    session_id: str | None = None
    """The session of the last try."""

    @property
    def ok(self) -> bool:
        """The item has a value (from this run or an earlier one)."""
        return self.status in (ItemStatus.OK, ItemStatus.DONE_BEFORE)

    @property
    def error_line(self) -> str:
        """The error in one line: ``TypeName: message``."""
        return error_line(self.error) if self.error is not None else ""


class BatchError(ReactorError):
    """Items of a batch failed (raised by :meth:`BatchResult.raise_for_failures`)."""

    default_code = "BATCH_FAILED"


@dataclasses.dataclass
class BatchResult(Generic[T, R]):
    """Every item's outcome, in input order."""

    items: list[ItemResult[T, R]]
    seconds: float = 0.0
    cancelled: bool = False
    """The run was interrupted (Ctrl-C or cancellation); the sessions it had were ended."""
    results_path: Path | None = None

    def __iter__(self) -> Iterator[ItemResult[T, R]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ok(self) -> list[ItemResult[T, R]]:
        return [r for r in self.items if r.ok]

    @property
    def failed(self) -> list[ItemResult[T, R]]:
        return [r for r in self.items if r.status is ItemStatus.FAILED]

    @property
    def done_before(self) -> list[ItemResult[T, R]]:
        return [r for r in self.items if r.status is ItemStatus.DONE_BEFORE]

    def values(self) -> list[R | None]:
        """The values of the items that have one, in input order."""
        return [r.value for r in self.items if r.ok]

    def summary(self) -> str:
        """One line: how many items succeeded, failed, were done before or are left."""
        left = len(self.items) - len(self.ok) - len(self.failed)
        parts = [f"{len(self.ok)} of {len(self.items)} items ok"]
        if self.done_before:
            parts.append(f"{len(self.done_before)} done before")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if left:
            parts.append(f"{left} not done")
        return ", ".join(parts) + f" in {self.seconds:.1f} s"

    def raise_for_failures(self) -> None:
        """Raise :class:`BatchError` (naming the first failure) if any item failed or was
        not done."""
        bad = [r for r in self.items if not r.ok]
        if not bad:
            return
        first = bad[0]
        why = first.error_line or first.status.value
        raise BatchError(f"{self.summary()}; first: item {first.key!r}: {why}")


def error_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def default_key(item: Any) -> str:
    """An item's key when no ``key=`` is given: a string as it is, anything else as its JSON
    (sorted keys). Items that are not JSON need ``key=`` for a results file."""
    if isinstance(item, str):
        return item
    try:
        return json.dumps(item, sort_keys=True, separators=(",", ":"), default=_json_default)
    except TypeError as exc:
        raise ConfigurationError(
            f"item {item!r} is not JSON, so it has no default key: pass key=lambda item: ..."
        ) from exc


def _json_default(value: Any) -> Any:
    """JSON for what functions commonly return: pydantic models, dataclasses, numpy scalars
    and arrays, paths, enums."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, enum.Enum):
        return value.value
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class Journal:
    """The results file: one JSON object per finished item, appended and flushed as each item
    ends, so an interrupted run keeps every item it finished.

    Lines: ``{"key", "ok": true, "value", "attempts", "seconds", "url", "session_id"}`` or
    ``{"key", "ok": false, "error": {"type", "message", "code"}, "attempts", ...}``. The last
    line of a key wins; items whose last line is ``ok`` are skipped by the next run.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._file: IO[str] | None = None

    def done(self) -> dict[str, Any]:
        """Key → value of the items a previous run finished (``{}`` without a file). A torn
        last line (the previous run was killed mid-write) is ignored."""
        if not self.path.exists():
            return {}
        done: dict[str, Any] = {}
        with self.path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    key = entry["key"]
                except (ValueError, KeyError, TypeError):
                    log.warning("%s:%d: not a results line, ignored", self.path, number)
                    continue
                if entry.get("ok"):
                    done[str(key)] = entry.get("value")
                else:
                    done.pop(str(key), None)
        return done

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a torn last line from a killed run must not glue onto the first new one
        torn = (
            self.path.exists()
            and self.path.stat().st_size > 0
            and not _ends_with_newline(self.path)
        )
        self._file = self.path.open("a", encoding="utf-8")
        if torn:
            self._file.write("\n")

    def write(self, result: ItemResult[Any, Any]) -> None:
        if self._file is None:
            return
        entry: dict[str, Any] = {"key": result.key, "ok": result.status is ItemStatus.OK}
        if result.status is ItemStatus.OK:
            entry["value"] = result.value
        elif result.error is not None:
            entry["error"] = describe_error(result.error)
        entry.update(
            attempts=result.attempts,
            seconds=round(result.seconds, 3),
            url=result.url,
            session_id=result.session_id,
        )
        try:
            line = json.dumps(entry, default=_json_default)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"item {result.key!r}: its value cannot be written to {self.path} as JSON ({exc}); "
                "return JSON-able data (dicts, lists, numbers, strings, pydantic models, dataclasses)"
            ) from exc
        self._file.write(line + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def describe_error(error: BaseException) -> dict[str, Any]:
    described: dict[str, Any] = {
        "type": type(error).__name__,
        "message": " ".join(str(error).split()),
    }
    if isinstance(error, ReactorError):
        described["code"] = error.code
        if error.status is not None:
            described["status"] = error.status
    return described


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


__all__ = [
    "BatchError",
    "BatchResult",
    "ItemResult",
    "ItemStatus",
    "Journal",
    "default_key",
    "describe_error",
    "error_line",
]
