"""Formatting: black in-process with every option explicit.

The mode is fixed here, so no ``pyproject.toml`` in scope (ours, a user's, the output
directory's) can change the output. Only ``.py`` files are formatted.

black's output for a given input is cached (:mod:`reactor_gen.cache`, keyed by black's
version, this mode and the exact input text), and black is imported only on a cache miss:
formatting is most of a build's time, and a rebuild or ``--check`` of an unchanged schema
needs none of it.

The files a cache does not answer are formatted in parallel where that pays: black is
imported once, then the process forks (POSIX only) and each child formats a share of the
files (balanced by size) and sends black's output back through a pipe. Every result is
exactly ``black.format_str`` of that file's text, whichever process computed it; without
``os.fork``, with one usable CPU, with one file to format, or with
``REACTOR_GEN_FORMAT_JOBS=1``, formatting is serial. A child that dies or sends nothing
usable only costs time: its files are formatted again in the parent.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import pickle
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
    """Format ``text`` when ``path`` is a ``.py`` file; return other files unchanged."""
    if not path.endswith(".py"):
        return text
    if cache.cache_root() is None:
        return _black(path, text)
    key = cache.content_key(_cache_salt(), text)
    cached = cache.read_text("format", key)
    if cached is not None:
        return cached
    formatted = _black(path, text)
    cache.write_text("format", key, formatted)
    return formatted


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
    results = _format_parallel(todo)
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
    process may run on; 1 where ``os.fork`` does not exist."""
    if not hasattr(os, "fork"):
        return 1
    wanted = os.environ.get("REACTOR_GEN_FORMAT_JOBS", "").strip()
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _shares(texts: dict[str, str], jobs: int) -> list[list[str]]:
    """Split the paths into ``jobs`` shares of about equal text size (largest first,
    each to the lightest share; ties by path, so the split is deterministic)."""
    shares: list[list[str]] = [[] for _ in range(jobs)]
    sizes = [0] * jobs
    for path in sorted(texts, key=lambda p: (-len(texts[p]), p)):
        lightest = sizes.index(min(sizes))
        shares[lightest].append(path)
        sizes[lightest] += len(texts[path])
    return [share for share in shares if share]


def _format_share(texts: dict[str, str], share: list[str]) -> dict[str, str | FormatError]:
    results: dict[str, str | FormatError] = {}
    for path in share:
        try:
            results[path] = _black(path, texts[path])
        except FormatError as exc:
            results[path] = exc
    return results


def _format_parallel(texts: dict[str, str]) -> dict[str, str | FormatError]:
    """black's output (or the :class:`FormatError`) for every file of ``texts``."""
    jobs = min(format_jobs(), len(texts))
    if jobs <= 1:
        return _format_share(texts, sorted(texts))
    import black  # noqa: F401  (imported once, before forking: the children inherit it)

    black_mode()
    mine, *others = _shares(texts, jobs)
    children: list[tuple[int, int, list[str]]] = []
    for share in others:
        try:
            read_fd, write_fd = os.pipe()
        except OSError:  # no descriptors left: format it here
            mine += share
            continue
        try:
            pid = os.fork()
        except OSError:  # no processes left: format it here
            os.close(read_fd)
            os.close(write_fd)
            mine += share
            continue
        if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
            _child(texts, share, read_fd, write_fd)
        os.close(write_fd)
        children.append((pid, read_fd, share))
    results = _format_share(texts, mine)
    for pid, read_fd, share in children:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        sent: dict[str, tuple[bool, str]] = {}
        if status == 0:
            try:
                sent = pickle.loads(data)
            except Exception:  # a torn payload: the share is redone below
                sent = {}
        for path in share:
            entry = sent.get(path)
            if entry is None:  # the child died or sent nothing usable
                results.update(_format_share(texts, [path]))
            elif entry[0]:
                results[path] = entry[1]
            else:
                results[path] = FormatError(entry[1])
    return results


def _child(texts: dict[str, str], share: list[str], read_fd: int, write_fd: int) -> None:
    """In a forked child: format ``share``, pickle ``{path: (ok, text or message)}`` into
    the pipe and exit at once (no atexit handlers, no flushing of inherited buffers)."""
    status = 1
    try:
        os.close(read_fd)
        payload = {
            path: (True, result) if isinstance(result, str) else (False, str(result))
            for path, result in _format_share(texts, share).items()
        }
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)
