"""The early formatter: black runs beside rendering, not after it.

A build that expects to need black (:func:`reactor_gen.format.black_expected`) forks a
formatter process as the very first thing it does (``reactor-gen``'s entry point, before the
generator's own imports; else :func:`reactor_gen.pipeline.build_many`). That process imports
black, forks its siblings (one per usable CPU, black already imported), and each formats the
files it is sent, while the parent is still importing, loading and rendering: every ``.py``
file is handed over the moment its template has rendered (:func:`prefetch`), to the sibling
with the least work queued. When :func:`reactor_gen.format.format_files` needs the results it
asks every sibling for what it has formatted (a flush) and reads the answers.

Every result is exactly ``black.format_str`` of that file's text, whichever process computed
it. Whatever goes wrong in the pool (a sibling that dies, sends garbage, or cannot be
started) only costs time: the parent formats what it did not get, and a forked process never
returns into the caller's code.

Protocol (length-prefixed pickles): parent → sibling ``("format", key, path, text)`` or
``("flush",)``; sibling → parent, on a flush, ``{key: (ok, text or message)}`` of everything
formatted since the previous flush. Requests never wait for replies; each sibling holds only
its own pipes (one that dies gives end of file), and a flush unanswered for
``_REPLY_SECONDS`` counts as failed, so neither side can block the other for good.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import re
import signal
import struct
import sys
from collections.abc import Iterator, Mapping

__all__ = ["FormatterPool", "active_pool", "early_formatter", "prefetch"]

_HEADER = struct.Struct("!Q")
_PIPE_SIZE = 1 << 20
"""Asked of each request pipe (Linux ``F_SETPIPE_SZ``): a build's rendered files fit, so the
parent does not wait while a sibling is still importing black."""
_MAX_JOBS = 4
"""More siblings than this only add forks and pipe memory for a package's ~15 files."""
_REPLY_SECONDS = 120.0
"""How long the parent waits for a flush to be answered before it formats the files itself."""
_MAX_REPLY = 1 << 30


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, limit: int | None = None) -> bytes | None:
    """One length-prefixed message from ``fd``; None at end of file, for a torn message, or
    when it announces more than ``limit`` bytes (a garbled header)."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    size = _HEADER.unpack(header)[0]
    if limit is not None and size > limit:
        return None
    return _read_exactly(fd, size)


def _receive_within(fd: int, seconds: float) -> bytes | None:
    """:func:`_receive` of a reply, or None when nothing starts arriving within ``seconds``
    (a sibling that hangs)."""
    import select

    ready, _, _ = select.select([fd], [], [], seconds)
    return _receive(fd, _MAX_REPLY) if ready else None


def _widen(fd: int) -> None:
    with contextlib.suppress(Exception):  # Linux only; elsewhere writes may wait a little
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)


def _loop(requests: int, replies: int) -> None:  # pragma: no cover - runs in a sibling
    """A sibling's work: format what arrives, answer each flush, stop at end of file."""
    from reactor_gen import format as fmt

    done: dict[str, object] = {}
    while True:
        data = _receive(requests)
        if data is None:
            return
        message = pickle.loads(data)
        if message[0] == "format":
            _, key, path, text = message
            try:
                done[key] = fmt._black(path, text)
            except fmt.FormatError as exc:
                done[key] = exc
        elif message[0] == "flush":
            _send(replies, fmt._encode(done))  # type: ignore[arg-type]
            done = {}


def _keep_only(channels: list[tuple[int, int]], mine: tuple[int, int]) -> None:
    """Close every channel's descriptors but ``mine``: a sibling that dies must leave its
    pipes with no other holder, so the parent sees end of file instead of waiting."""
    for channel in channels:
        if channel == mine:
            continue
        for fd in channel:
            with contextlib.suppress(OSError):
                os.close(fd)


def _serve(channels: list[tuple[int, int]]) -> None:  # pragma: no cover - the first sibling
    """The first sibling's body: lead a process group of its own (the parent can stop the
    whole pool at once), import black, fork the other siblings (black imported once,
    inherited), serve its own channel, wait for the others, exit."""
    status = 1
    try:
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        import black  # noqa: F401

        from reactor_gen.format import black_mode

        black_mode()
        children: list[int] = []
        for mine in channels[1:]:
            try:
                pid = os.fork()
            except OSError:
                break  # no reply comes on its channel: the parent formats its files
            if pid == 0:
                code = 1
                try:
                    _keep_only(channels, mine)
                    _loop(*mine)
                    code = 0
                finally:
                    os._exit(code)
            children.append(pid)
        _keep_only(channels, channels[0])
        _loop(*channels[0])
        for pid in children:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        status = 0
    finally:
        os._exit(status)


_DOCSTRING = re.compile(r'"""[\s\S]*?"""')


def _cost(text: str) -> int:
    """black's work on ``text``, roughly: its characters outside docstrings (black takes a
    docstring as one token; measured per file, time follows the code, not the prose)."""
    return len(text) - sum(len(m) for m in _DOCSTRING.findall(text)) * 9 // 10


@dataclasses.dataclass
class _Channel:
    requests: int
    replies: int
    queued: int = 0
    """Estimated work sent since the last flush (new files go to the least busy sibling)."""
    keys: list[str] = dataclasses.field(default_factory=list)
    alive: bool = True


class FormatterPool:
    """The running early formatter (see the module docstring)."""

    def __init__(self, pid: int, channels: list[_Channel]) -> None:
        self.pid = pid
        self.owner = os.getpid()
        self.channels = channels
        self.keys: dict[tuple[str, str], str] = {}
        self.done: dict[str, object] = {}

    def submit(self, path: str, text: str) -> None:
        """Hand ``text`` (the rendered ``path``) to the least busy sibling, once."""
        if (path, text) in self.keys:
            return
        live = [c for c in self.channels if c.alive]
        if not live:
            return
        key = str(len(self.keys))
        channel = min(live, key=lambda c: c.queued)
        cost = _cost(text)
        try:
            _send(channel.requests, pickle.dumps(("format", key, path, text), protocol=5))
        except OSError:
            channel.alive = False
            return
        self.keys[(path, text)] = key
        channel.queued += cost
        channel.keys.append(key)

    def results(self, texts: Mapping[str, str]) -> dict[str, object]:
        """black's results for ``texts`` (path → text) that the pool has: each file is
        submitted if it was not yet, then every sibling with work flushes. What is missing
        (a sibling failed) is for the caller to format."""
        from reactor_gen import format as fmt

        for path, text in texts.items():
            self.submit(path, text)
        for channel in self.channels:
            if not channel.alive or not channel.keys:
                continue
            try:
                _send(channel.requests, pickle.dumps(("flush",), protocol=5))
                data = _receive_within(channel.replies, _REPLY_SECONDS)
            except OSError:
                data = None
            answer: dict[str, object] = dict(fmt._decode(data)) if data is not None else {}
            if set(answer) != set(channel.keys):
                channel.alive = False  # it died or talks nonsense: no more work for it
            self.done.update({k: v for k, v in answer.items() if k in channel.keys})
            channel.keys, channel.queued = [], 0
        out: dict[str, object] = {}
        for path, text in texts.items():
            key = self.keys.get((path, text))
            if key is not None and key in self.done:
                out[path] = self.done[key]
        return out

    def close(self) -> None:
        """Stop the pool: at once when it still holds work nobody will collect (a build that
        failed, Ctrl-C) or a sibling failed (it may hang), else by end of file on its
        requests."""
        abandoned = any(channel.keys or not channel.alive for channel in self.channels)
        if abandoned:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGTERM)
        for channel in self.channels:
            for fd in (channel.requests, channel.replies):
                with contextlib.suppress(OSError):
                    os.close(fd)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


_POOL: FormatterPool | None = None


def active_pool() -> FormatterPool | None:
    """The early formatter this process started, if one is running."""
    pool = _POOL
    return pool if pool is not None and pool.owner == os.getpid() else None


def prefetch(path: str, text: str) -> None:
    """Hand a just-rendered file to the early formatter (a no-op without one, and for files
    other than ``.py``)."""
    pool = active_pool()
    if pool is not None and path.endswith(".py"):
        pool.submit(path, text)


def _start(jobs: int) -> FormatterPool | None:
    pipes: list[int] = []
    try:
        channels: list[tuple[int, int, int, int]] = []
        for _ in range(jobs):
            req_read, req_write = os.pipe()
            rep_read, rep_write = os.pipe()
            pipes += [req_read, req_write, rep_read, rep_write]
            _widen(req_write)
            channels.append((req_read, req_write, rep_read, rep_write))
        pid = os.fork()
    except OSError:
        for fd in pipes:
            os.close(fd)
        return None
    if pid == 0:  # pragma: no cover - the first sibling
        try:
            for _req_read, req_write, rep_read, _rep_write in channels:
                os.close(req_write)
                os.close(rep_read)
            _serve([(c[0], c[3]) for c in channels])
        finally:  # whatever happens, a sibling never returns into the caller's code
            os._exit(1)
    for req_read, _req_write, _rep_read, rep_write in channels:
        os.close(req_read)
        os.close(rep_write)
    return FormatterPool(pid, [_Channel(c[1], c[2]) for c in channels])


@contextlib.contextmanager
def early_formatter(enabled: bool = True) -> Iterator[None]:
    """Within this block, files are formatted by the early formatter (see the module
    docstring). A no-op when not ``enabled``, without ``os.fork`` (or when forking fails),
    with one formatting job (``REACTOR_GEN_FORMAT_JOBS=1``), when black is already imported
    here, or inside another such block."""
    global _POOL
    from reactor_gen.format import format_jobs

    jobs = min(format_jobs(), _MAX_JOBS) if enabled else 1
    if jobs <= 1 or _POOL is not None or "black" in sys.modules:
        yield
        return
    pool = _start(jobs)
    if pool is None:
        yield
        return
    _POOL = pool
    try:
        yield
    finally:
        _POOL = None
        pool.close()
