"""Support layer of the generated, typed model SDKs (``reactor-models-<model>``).

Everything generic a generated package needs on top of :class:`ReactorClient` lives here,
written and tested once: :class:`ModelClient` (the base of every ``<Prefix>Model``: lifecycle,
typed listeners, waiters and message iteration), the listener and waiter declarations a
model and its blocking twin share (:class:`Listener`, :class:`Waiter`), the command helpers (:data:`OMIT`,
:data:`UploadSource`, :func:`validate_params`, :func:`dump_params`, :func:`resolve_uploads`)
the message helpers (:class:`UnknownMessage`, :func:`parse_message`, :func:`parse_reply`) and the
bases of the generated models (:class:`CommandParams`, :class:`ModelMessage`).
A generated package only adds its own models, typed methods and constants.

This module needs pydantic (``pip install 'reactor-client[typed]'``); plain
``import reactor_client`` does not import it.
"""

from __future__ import annotations

from .expect import Expectation
from .listeners import Listener, Waiter
from .messages import MessageAdapter, UnknownMessage, _TypedMessages, parse_message, parse_reply
from .model import ModelClient
from .models import CommandParams, ModelMessage
from .params import (
    OMIT,
    Omitted,
    StateParams,
    UploadSource,
    dump_params,
    resolve_uploads,
    step_command,
    validate_params,
    validate_state,
)

__all__ = [
    "OMIT",
    "CommandParams",
    "Expectation",
    "Listener",
    "MessageAdapter",
    "ModelClient",
    "ModelMessage",
    "Omitted",
    "StateParams",
    "UnknownMessage",
    "UploadSource",
    "Waiter",
    "dump_params",
    "parse_message",
    "parse_reply",
    "resolve_uploads",
    "step_command",
    "validate_params",
    "validate_state",
    "_TypedMessages",
]
