"""The batch runner: one session per item, bounded concurrency, per-item retries, results or
typed errors per item, a resumable results file, and every session ended on the way out."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, Protocol, TypeVar

from ..errors import ConfigurationError, NetworkError, RateLimitedError
from .limits import NoRuntimeLeftError, StartGate, TokenBucket, UrlPool
from .progress import Progress, make_progress
from .results import (
    BatchResult,
    ItemResult,
    ItemStatus,
    Journal,
    default_key,
    error_line,
)
from .retry import ItemRetry, ItemTimeoutError, retry_after

log = logging.getLogger("reactor_client")

#: Concurrent sessions when neither ``concurrency=`` nor ``urls=`` says: the cloud's
#: per-account limit (wire-protocol.md section 3.7).
CLOUD_CONCURRENCY = 5
#: Seconds ending one session may take before the runner stops waiting for it.
CLOSE_TIMEOUT = 15.0


class BatchSession(Protocol):
    """What the runner needs of a session object: every generated model class (async), its
    test kit's fake and :class:`reactor_client.ReactorClient` are one."""

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...


S = TypeVar("S", bound=BatchSession)
T = TypeVar("T")
R = TypeVar("R")
_P = ParamSpec("_P")
_V = TypeVar("_V")


async def run_batch(
    fn: Callable[[S, T], Awaitable[R]],
    items: Iterable[T],
    *,
    model: Callable[..., S] | None = None,
    options: Mapping[str, Any] | None = None,
    urls: Sequence[str] | None = None,
    factory: Callable[[T, str | None], S] | None = None,
    concurrency: int | None = None,
    retry: ItemRetry | None = None,
    timeout: float | None = None,
    results: str | os.PathLike[str] | None = None,
    key: Callable[[T], str] | None = None,
    progress: bool | Progress | None = None,
    starts_per_minute: float | None = None,
    start_burst: int = 3,
) -> BatchResult[T, R]:
    """Run ``await fn(session, item)`` for every item, each in a session of its own.

    The session comes from ``model`` (a generated model class, built as
    ``model(url=<pool URL>, **options)``, or ``model(**options)`` without ``urls``) or from
    ``factory(item, url)``; the runner connects it before calling ``fn`` and disconnects it
    (ending the session) afterwards, whatever happened.

    Args:
        fn: Your work on one connected session; what it returns is the item's value.
        items: The inputs, one session each.
        model: A generated model class (``LongliveV2Model``), or any callable taking the
            client options as keywords.
        options: Keyword arguments for ``model`` (``jwt=``/``api_key=`` for the cloud,
            ``generation="stepped"``, ``codec=``, ...).
        urls: Local runtimes, each lent to one session at a time (a local runtime serves one
            session). Without it every session goes to ``options``' URL (the cloud).
        factory: Instead of ``model``: build an unconnected session for ``item`` (``url`` is
            the pool's URL, or ``None`` without ``urls``).
        concurrency: Sessions at once (default: ``len(urls)``, else 5, the cloud's
            per-account limit). With ``urls`` it is at most ``len(urls)``.
        retry: Tries per item and the backoff (:class:`ItemRetry`; default 3 tries). Only
            transient failures are tried again; each try is a new session.
        timeout: Seconds one try (connect + ``fn``) may take; then it fails with
            :class:`ItemTimeoutError` (retried).
        results: A JSON-lines file: each finished item is appended as it ends; items already
            ``ok`` there are skipped (the run resumes).
        key: An item's key in ``results`` (default: a string item itself, else its JSON).
        progress: ``True``: a rich progress bar on stderr (extra ``[batch]``); ``None``
            (default): the bar when stderr is a terminal and rich is installed; ``False``: none.
        starts_per_minute: At most this many session starts per minute (bursts of
            ``start_burst``): the cloud allows 10 per minute, burst 3.

    Returns:
        A :class:`BatchResult`: every item's :class:`ItemResult` (value or error) in input
        order. A failing item never stops the others.

    Cancelling the run (Ctrl-C under ``asyncio.run``) ends every session it started before
    the cancellation propagates; finished items are already in ``results``.
    """
    runner = _Runner(
        fn,
        list(items),
        model=model,
        options=dict(options or {}),
        urls=urls,
        factory=factory,
        concurrency=concurrency,
        retry=retry or ItemRetry(),
        timeout=timeout,
        results=results,
        key=key,
        progress=progress,
        bucket=TokenBucket(starts_per_minute, start_burst) if starts_per_minute else None,
    )
    return await runner.run()


def _blocking(
    coro_fn: Callable[_P, Coroutine[Any, Any, _V]], name: str, doc: str
) -> Callable[_P, _V]:
    """``coro_fn`` for blocking code, called ``name``: the same signature (one definition of
    the keywords, checked by mypy), run with ``asyncio.run``."""

    def blocking(*args: _P.args, **kwargs: _P.kwargs) -> _V:
        return asyncio.run(coro_fn(*args, **kwargs))

    blocking.__name__ = blocking.__qualname__ = name
    blocking.__doc__ = doc
    blocking.__wrapped__ = coro_fn  # type: ignore[attr-defined]  # inspect.signature shows the keywords
    return blocking


run_batch_sync = _blocking(
    run_batch,
    "run_batch_sync",
    """:func:`run_batch` from blocking code (``asyncio.run``; not inside a running loop),
    with the same arguments. Ctrl-C ends every session the run started, then raises
    ``KeyboardInterrupt``; the items finished are in ``results``.""",
)


class TransientItemError(Exception):
    """A try of an item failed in a way a new session may not meet again, raised by
    :func:`run_item_sync` for a scheduler that retries on its own (Ray's
    ``retry_exceptions=[TransientItemError]``). Plain and picklable: the message is the
    original error's line, ``retry_after`` the server's ``Retry-After`` (already waited out)."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        delay: float = 0.0,
        unreachable: bool = False,
    ) -> None:
        super().__init__(message)
        #: the server's ``Retry-After`` (a ``429``), if any
        self.retry_after = retry_after
        #: seconds to wait before the next try (the backoff, at least ``retry_after``)
        self.delay = delay
        #: no runtime answered at the URL (a pool may set it aside)
        self.unreachable = unreachable

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.retry_after, self.delay, self.unreachable))


def run_item_sync(
    fn: Callable[[S, T], Awaitable[R]],
    item: T,
    *,
    model: Callable[..., S] | None = None,
    options: Mapping[str, Any] | None = None,
    url: str | None = None,
    factory: Callable[[T, str | None], S] | None = None,
    timeout: float | None = None,
    retry: ItemRetry | None = None,
) -> ItemResult[T, R]:
    """One item, one session, one try, blocking: the unit a Ray task or actor runs (the
    scheduler does the retrying).

    Returns the item's :class:`ItemResult` when it succeeded or failed for good (its
    ``error`` is not transient). A transient failure raises :class:`TransientItemError`,
    whose ``delay`` is ``retry``'s backoff (at least the ``Retry-After`` of a ``429``): wait
    it out (after giving back what the try held) before the scheduler tries again.
    """
    retry = retry or ItemRetry()
    result = run_batch_sync(
        fn,
        [item],
        model=model,
        options=options,
        urls=[url] if url is not None else None,
        factory=factory,
        retry=ItemRetry(attempts=1, backoff=retry.backoff, max_retry_after=retry.max_retry_after),
        timeout=timeout,
        progress=False,
    ).items[0]
    error = result.error
    if result.ok or error is None or not retry.retryable(error):
        return result
    raise TransientItemError(
        result.error_line,
        retry_after(error),
        retry.delay(1, error),
        isinstance(error, NetworkError),
    ) from error


class _Runner:
    def __init__(
        self,
        fn: Callable[[Any, Any], Awaitable[Any]],
        items: list[Any],
        *,
        model: Callable[..., Any] | None,
        options: dict[str, Any],
        urls: Sequence[str] | None,
        factory: Callable[[Any, str | None], Any] | None,
        concurrency: int | None,
        retry: ItemRetry,
        timeout: float | None,
        results: str | os.PathLike[str] | None,
        key: Callable[[Any], str] | None,
        progress: bool | Progress | None,
        bucket: TokenBucket | None,
    ) -> None:
        if (model is None) == (factory is None):
            raise ConfigurationError("run_batch needs model= (a generated model class) or factory=")
        if factory is not None and options:
            raise ConfigurationError(
                "options= goes to model=; a factory= builds its sessions itself"
            )
        if isinstance(urls, str):
            raise ConfigurationError("urls= takes a list of URLs, not one string")
        if urls is not None and "url" in options:
            raise ConfigurationError(
                "pass the runtimes as urls=[...] or one url in options=, not both"
            )
        if concurrency is not None and concurrency < 1:
            raise ConfigurationError(f"concurrency must be >= 1, not {concurrency!r}")
        if timeout is not None and not timeout > 0:
            raise ConfigurationError(f"timeout must be > 0, not {timeout!r}")
        self.fn = fn
        self.items = items
        self.model = model
        self.options = options
        self.factory = factory
        self.pool = UrlPool(urls) if urls is not None else None
        limit = len(self.pool) if self.pool is not None else CLOUD_CONCURRENCY
        self.concurrency = min(concurrency or limit, limit) if self.pool else (concurrency or limit)
        self.retry = retry
        self.timeout = timeout
        self.journal = Journal(results) if results is not None else None
        self.key = key
        self.progress = make_progress(progress)
        self.gate = StartGate(bucket)
        self.live: set[Any] = set()

    # ------------------------------------------------------------------ the run
    async def run(self) -> BatchResult[Any, Any]:
        started = time.monotonic()
        records: list[ItemResult[Any, Any]] = [
            ItemResult(index=i, key=self._key(i, item), item=item)
            for i, item in enumerate(self.items)
        ]
        if self.journal is not None:
            seen: dict[str, int] = {}
            for record in records:
                if record.key in seen:
                    raise ConfigurationError(
                        f"items {seen[record.key]} and {record.index} have the same key "
                        f"{record.key!r}: a results file needs one key per item (pass key=)"
                    )
                seen[record.key] = record.index
            done = self.journal.done()
            for record in records:
                if record.key in done:
                    record.status = ItemStatus.DONE_BEFORE
                    record.value = done[record.key]
        todo: asyncio.Queue[ItemResult[Any, Any]] = asyncio.Queue()
        for record in records:
            if record.status is not ItemStatus.DONE_BEFORE:
                todo.put_nowait(record)
        batch: BatchResult[Any, Any] = BatchResult(
            records, results_path=self.journal.path if self.journal else None
        )
        if self.journal is not None:
            self.journal.open()
        self.progress.start(len(records), len(records) - todo.qsize())
        workers = [
            asyncio.ensure_future(self._worker(todo))
            for _ in range(min(self.concurrency, todo.qsize()))
        ]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            batch.cancelled = True
            for worker in workers:
                worker.cancel()
            # their own finally blocks end their sessions; wait for that, come what may
            await _wait_through_cancellation(asyncio.gather(*workers, return_exceptions=True))
            await self._close_leftovers()
            batch.seconds = time.monotonic() - started
            self._note_interrupted(batch)
            raise
        finally:
            self.progress.stop()
            if self.journal is not None:
                self.journal.close()
        batch.seconds = time.monotonic() - started
        return batch

    def _key(self, index: int, item: Any) -> str:
        if self.key is not None:
            return str(self.key(item))
        try:
            return default_key(item)
        except ConfigurationError:
            if self.journal is not None:
                raise
            return f"#{index}"  # no results file: the key only names the item in messages

    def _note_interrupted(self, batch: BatchResult[Any, Any]) -> None:
        where = (
            f"; {len(batch.ok)} finished item(s) are in {batch.results_path}: run again to resume"
            if batch.results_path
            else ""
        )
        text = f"interrupted: {batch.summary()}; every session this run started was ended{where}"
        log.warning(text)
        self.progress.note(text)

    async def _worker(self, todo: asyncio.Queue[ItemResult[Any, Any]]) -> None:
        while True:
            try:
                record = todo.get_nowait()
            except asyncio.QueueEmpty:
                return
            await self._item(record)
            if self.journal is not None:
                try:
                    self.journal.write(record)
                except ConfigurationError as exc:  # a value that is not JSON: the item failed
                    record.status, record.error, record.value = ItemStatus.FAILED, exc, None
                    self.journal.write(record)
            if record.status is ItemStatus.FAILED:
                tries = f"{record.attempts} tr{'y' if record.attempts == 1 else 'ies'}"
                self.progress.note(f"failed {record.key!r} after {tries}: {record.error_line}")
            self.progress.item_done(record.status is ItemStatus.OK, len(self.live))

    # ------------------------------------------------------------------ one item
    async def _item(self, record: ItemResult[Any, Any]) -> None:
        started = time.monotonic()
        try:
            for attempt in range(1, self.retry.attempts + 1):
                record.attempts = attempt
                error = await self._try(record)
                if error is None:
                    record.status, record.error = ItemStatus.OK, None
                    return
                record.error = error
                if attempt == self.retry.attempts or not self.retry.retryable(error):
                    record.status = ItemStatus.FAILED
                    return
                hold = retry_after(error)
                if isinstance(error, RateLimitedError) and hold is not None:
                    self.gate.hold(hold)  # the cloud's limits are per account: every start waits
                delay = self.retry.delay(attempt, error)
                line = error_line(error)
                log.info(
                    "item %r: try %d failed (%s); next in %.1f s", record.key, attempt, line, delay
                )
                self.progress.retrying(record.key, line, delay, len(self.live))
                await asyncio.sleep(delay)
        finally:
            record.seconds = time.monotonic() - started

    async def _try(self, record: ItemResult[Any, Any]) -> Exception | None:
        """One try of an item on a URL of the pool; its error, or None (``record.value`` set)."""
        url: str | None = None
        error: Exception | None = None
        try:
            if self.pool is not None:
                url = record.url = await self.pool.acquire()
            record.value = await self._attempt(record, url)
        except NoRuntimeLeftError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - every failure is the item's, typed
            error = exc
        finally:
            if self.pool is not None and url is not None:
                unreachable = isinstance(error, NetworkError)
                if await self.pool.release(url, unreachable=unreachable):
                    self.progress.note(
                        f"{url}: no runtime answered {self.pool.max_failures} times in a row; "
                        "set aside for the rest of the run"
                    )
        return error

    async def _attempt(self, record: ItemResult[Any, Any], url: str | None) -> Any:
        await self.gate.wait()
        session = self._session(record.item, url)
        self.live.add(session)
        try:
            return await self._within_timeout(self._use(session, record))
        finally:
            await self._close(session)

    async def _use(self, session: Any, record: ItemResult[Any, Any]) -> Any:
        await session.connect()
        self.progress.session_started()
        record.session_id = getattr(session, "session_id", None)
        return await self.fn(session, record.item)

    async def _within_timeout(self, work: Awaitable[Any]) -> Any:
        if self.timeout is None:
            return await work
        task = asyncio.ensure_future(work)
        try:
            done, _ = await asyncio.wait({task}, timeout=self.timeout)
        except asyncio.CancelledError:
            task.cancel()
            await _wait_through_cancellation(asyncio.gather(task, return_exceptions=True))
            raise
        if not done:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise ItemTimeoutError(f"the try took longer than timeout={self.timeout:g} s")
        return task.result()

    def _session(self, item: Any, url: str | None) -> Any:
        if self.factory is not None:
            return self.factory(item, url)
        assert self.model is not None
        options = dict(self.options)
        if url is not None:
            options["url"] = url
        return self.model(**options)

    async def _close(self, session: Any) -> None:
        """Disconnect (ending the session this client created), even while being cancelled."""
        try:
            await _wait_through_cancellation(asyncio.wait_for(session.disconnect(), CLOSE_TIMEOUT))
        except Exception as exc:  # noqa: BLE001 - a session that cannot be ended is logged
            log.warning("ending a session failed: %s", error_line(exc))
        finally:
            self.live.discard(session)

    async def _close_leftovers(self) -> None:
        if self.live:
            await asyncio.gather(*(self._close(s) for s in list(self.live)), return_exceptions=True)


async def _wait_through_cancellation(work: Awaitable[Any]) -> Any:
    """Await ``work`` to its end even if this task is cancelled meanwhile (cleanup that must
    finish: ending sessions); a cancellation received is raised again afterwards."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                raise
            cancelled = True
            continue
        if cancelled:
            raise asyncio.CancelledError
        return result


__all__ = [
    "BatchSession",
    "CLOUD_CONCURRENCY",
    "TransientItemError",
    "run_batch",
    "run_batch_sync",
    "run_item_sync",
]
