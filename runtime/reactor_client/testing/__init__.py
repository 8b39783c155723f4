"""Test kit of the generated SDKs: fakes of any model class that run without a network.

``reactor_models.<m>.testing.Fake<Prefix>Model`` (and ``testing.sync.Fake<Prefix>Model``)
are generated from :class:`FakeModel` / :class:`SyncFakeModel`; the pytest fixture
``reactor_fake`` (this distribution's pytest plugin) builds one for any model class.
Needs pydantic (``reactor-client[typed]``, which every generated package installs).
"""

from __future__ import annotations

from .fake import (
    CommandError,
    FakeModel,
    RecordedCommand,
    StepFailure,
    StepOutput,
    StepRequest,
)
from .sync import SyncFakeModel

__all__ = [
    "CommandError",
    "FakeModel",
    "RecordedCommand",
    "StepFailure",
    "StepOutput",
    "StepRequest",
    "SyncFakeModel",
]
