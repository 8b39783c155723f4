"""Formatting: black in-process with every option explicit.

The mode is fixed here, so no ``pyproject.toml`` in scope (ours, a user's, the output
directory's) can change the output. Only ``.py`` files are formatted.

black's output for a given input is cached (:mod:`reactor_gen.cache`, keyed by black's
version, this mode and the exact input text), and black is imported only on a cache miss:
formatting is most of a build's time, and a rebuild or ``--check`` of an unchanged schema
needs none of it.

The files a cache does not answer are formatted in parallel where that pays: black is
imported once, then the process forks (POSIX only); the parent and each child take files
one at a time (largest first) until none is left, and the children send black's output
back through a pipe. Every result is exactly ``black.format_str`` of that file's text,
whichever process computed it; without ``os.fork``, with one usable CPU, with one file to
format, or with ``REACTOR_GEN_FORMAT_JOBS=1``, formatting is serial. A child that dies or
sends nothing usable only costs time: its files are formatted again in the parent; and
whatever goes wrong in a child, it exits and never returns into the caller's code.

Importing black costs about as much as loading and rendering a schema, so a build that
expects to need black (:func:`black_expected`) starts the early formatter first
(:mod:`reactor_gen.format.early`): forked processes import black while the caller is still
importing and rendering, and format each file as soon as it is rendered (:func:`prefetch`).
Should they fail in any way, the caller formats the files itself; the bytes are black's
either way.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import pickle
import struct
import threading
from typing import TYPE_CHECKING

from reactor_gen import cache

if TYPE_CHECKING:
    import black

__all__ = [
    "BLACK_OPTIONS",
    "BlackOptions",
    "FormatError",
    "black_expected",
    "black_mode",
    "early_formatter",
    "format_file",
    "format_files",
    "prefetch",
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
    from importlib.metadata import version  # ~40 ms to import: only when a cache is used

    return f"black={version('black')};mode={BLACK_OPTIONS!r}"


def _black(path: str, text: str) -> str:
    """``black.format_str`` of ``text`` in our mode; a :class:`FormatError` when it fails."""
    import black

    try:
        return black.format_str(text, mode=black_mode())
    except Exception as exc:  # black raises InvalidInput and friends
        raise FormatError(f"black could not format {path}: {exc}") from exc


def format_file(path: str, text: str) -> str:
    """Format ``text`` when ``path`` is a ``.py`` file; return other files unchanged (the
    one-file case of :func:`format_files`: same cache, same errors)."""
    return format_files({path: text})[path]


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every ``.py`` file of a file map (sorted by path).

    Cache hits are used as such; the rest is formatted by :func:`_format_parallel`. On a
    template bug the error names the first failing file in path order, as a serial loop
    would.
    """
    paths = sorted(files)
    out = dict.fromkeys(paths, "")
    todo: dict[str, str] = {}
    keys: dict[str, str] = {}
    use_cache = cache.cache_root() is not None
    for path in paths:
        text = files[path]
        if not path.endswith(".py"):
            out[path] = text
            continue
        if use_cache:
            keys[path] = cache.content_key(_cache_salt(), text)
            cached = cache.read_text("format", keys[path])
            if cached is not None:
                out[path] = cached
                continue
        todo[path] = text
    results = _format_remote(todo) if todo else {}
    for path in sorted(results):  # path order: the first failure is the one reported
        result = results[path]
        if isinstance(result, FormatError):
            raise result
        out[path] = result
        if use_cache:
            cache.write_text("format", keys[path], result)
    return out


def format_jobs() -> int:
    """How many processes format at once: ``$REACTOR_GEN_FORMAT_JOBS``, else the CPUs this
    process may run on; 1 where ``os.fork`` does not exist and, unless the variable asks
    otherwise, in a process that runs other threads (a program embedding the generator:
    forking it could copy a lock some thread holds and hang the child)."""
    if not hasattr(os, "fork"):
        return 1
    wanted = os.environ.get("REACTOR_GEN_FORMAT_JOBS", "").strip()
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            return 1
    if threading.active_count() > 1:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _largest_first(texts: dict[str, str]) -> list[str]:
    """The order in which files are handed out: largest first (black's time grows with
    size), ties by path."""
    return sorted(texts, key=lambda p: (-len(texts[p]), p))


_TICKET = struct.Struct("!I")
_MAX_TICKETS = 1024
"""All tickets are written before forking, so they must fit in a pipe's buffer (4 KiB)."""


def _format_share(texts: dict[str, str], share: list[str]) -> dict[str, str | FormatError]:
    results: dict[str, str | FormatError] = {}
    for path in share:
        try:
            results[path] = _black(path, texts[path])
        except FormatError as exc:
            results[path] = exc
    return results


def _format_parallel(texts: dict[str, str]) -> dict[str, str | FormatError]:
    """black's output (or the :class:`FormatError`) for every file of ``texts``.

    With more than one job, the files are tickets in a pipe (largest first) that the
    parent and its forked children take one at a time until none is left: whoever is
    free takes the next file, so one slow file does not hold up a fixed share.
    """
    jobs = min(format_jobs(), len(texts))
    if jobs <= 1 or len(texts) > _MAX_TICKETS:
        return _format_share(texts, sorted(texts))
    import black  # noqa: F401  (imported once, before forking: the children inherit it)

    black_mode()
    order = _largest_first(texts)
    try:
        tickets, write_end = os.pipe()
    except OSError:
        return _format_share(texts, sorted(texts))
    os.write(write_end, b"".join(_TICKET.pack(i) for i in range(len(order))))
    os.close(write_end)  # at end of file, every worker stops
    children: list[tuple[int, int]] = []
    for _ in range(jobs - 1):
        try:
            read_fd, write_fd = os.pipe()
        except OSError:  # no descriptors left: fewer workers
            break
        try:
            pid = os.fork()
        except OSError:  # no processes left: fewer workers
            os.close(read_fd)
            os.close(write_fd)
            break
        if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
            try:
                _child(texts, order, tickets, read_fd, write_fd)
            finally:  # whatever happens, a child never returns into the caller's code
                os._exit(1)
        os.close(write_fd)
        children.append((pid, read_fd))
    results = _work(texts, order, tickets)
    os.close(tickets)
    for pid, read_fd in children:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status == 0:
            results.update(_decode(data))
    # What a child took but did not send back (it died?) is formatted here.
    missing = [path for path in order if path not in results]
    results.update(_format_share(texts, missing))
    return results


def _work(texts: dict[str, str], order: list[str], tickets: int) -> dict[str, str | FormatError]:
    """Take tickets (indexes into ``order``) until none is left; format those files.
    Each read takes exactly one ticket: they were all written, in one piece, before."""
    results: dict[str, str | FormatError] = {}
    while True:
        ticket = os.read(tickets, _TICKET.size)
        if len(ticket) < _TICKET.size:
            return results
        path = order[_TICKET.unpack(ticket)[0]]
        results.update(_format_share(texts, [path]))


def _child(
    texts: dict[str, str], order: list[str], tickets: int, read_fd: int, write_fd: int
) -> None:
    """In a forked child: format files by ticket, pickle ``{path: (ok, text or
    message)}`` into the pipe and exit at once (no atexit handlers, no flushing of
    inherited buffers)."""
    status = 1
    try:
        os.close(read_fd)
        results = _work(texts, order, tickets)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(_encode(results))
        status = 0
    finally:
        os._exit(status)


def _encode(results: dict[str, str | FormatError]) -> bytes:
    payload = {
        path: (True, r) if isinstance(r, str) else (False, str(r)) for path, r in results.items()
    }
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(data: bytes) -> dict[str, str | FormatError]:
    """The results in ``data``; ``{}`` for anything torn or malformed."""
    try:
        payload = pickle.loads(data)
        return {
            str(path): text if ok else FormatError(text)
            for path, (ok, text) in payload.items()
            if isinstance(text, str)
        }
    except Exception:
        return {}


def black_expected() -> bool:
    """Whether a build is likely to run black: no format cache (disabled, or never filled).
    Only a guess for speed; a wrong guess costs one idle import of black."""
    root = cache.cache_root()
    return root is None or not (root / "format").is_dir()


def _format_remote(texts: dict[str, str]) -> dict[str, str | FormatError]:
    """black's results for ``texts``: from the early formatter when one is running (what
    it could not answer, and everything without one, is formatted here)."""
    pool = active_pool()
    results: dict[str, str | FormatError] = {}
    if pool is not None:
        for path, result in pool.results(texts).items():
            if isinstance(result, (str, FormatError)):
                results[path] = result
    missing = {path: text for path, text in texts.items() if path not in results}
    if missing:
        results.update(_format_parallel(missing))
    return results


from reactor_gen.format.early import active_pool, early_formatter, prefetch  # noqa: E402
