"""Many sessions on one machine: run an async function over many inputs, one session each.

    from reactor_client.batch import run_batch

    async def render(model: LongliveV2Model, prompt: str) -> dict[str, int]:
        await model.set_shot(prompt=prompt)
        await model.start()
        state = await model.wait_for_state(lambda s: s.session_chunk >= 3, timeout=60)
        return {"chunks": state.session_chunk}

    results = await run_batch(
        render, prompts, model=LongliveV2Model,
        urls=["http://127.0.0.1:8081", "http://127.0.0.1:8082"],   # one session per runtime
        results="runs.jsonl",                                       # resumable
    )
    for item in results.failed:
        print(item.key, item.error_line)

Bounded concurrency (``concurrency=``, at most one session per local runtime URL), per-item
retries of transient failures in a new session (:class:`ItemRetry`), a ``429``'s
``Retry-After`` honoured by every start of the run, an optional start rate for the cloud's
per-minute limit, a rich progress bar (extra ``reactor-client[batch]``), a value or a typed
error per item and nothing lost when one fails, a JSON-lines results file that makes a run
resumable, and Ctrl-C ending every session the run started. See docs/scaling.md.
"""

from __future__ import annotations

from .limits import NoRuntimeLeftError, StartGate, TokenBucket, UrlPool
from .progress import NoProgress, Progress, RichProgress
from .results import BatchError, BatchResult, ItemResult, ItemStatus, Journal
from .retry import ITEM_BACKOFF, ItemRetry, ItemTimeoutError
from .runner import (
    CLOUD_CONCURRENCY,
    BatchSession,
    TransientItemError,
    run_batch,
    run_batch_sync,
    run_item_sync,
)

__all__ = [
    "BatchError",
    "BatchResult",
    "BatchSession",
    "CLOUD_CONCURRENCY",
    "ITEM_BACKOFF",
    "ItemResult",
    "ItemRetry",
    "ItemStatus",
    "ItemTimeoutError",
    "Journal",
    "NoProgress",
    "NoRuntimeLeftError",
    "Progress",
    "RichProgress",
    "StartGate",
    "TokenBucket",
    "TransientItemError",
    "UrlPool",
    "run_batch",
    "run_batch_sync",
    "run_item_sync",
]
