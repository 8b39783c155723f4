"""Transport engines by name: ``transport="aiortc" | "native" | "auto"`` or a factory object.

With no ``transport=`` the ``REACTOR_TRANSPORT`` environment variable chooses (same values);
without it, ``"aiortc"``. ``"auto"`` is the native transport where ``reactor_webrtc`` imports,
else aiortc (logged at INFO, with the reason). Engines are imported only when chosen, so a
native session never imports aiortc's transport.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from ..errors import ConfigurationError
from .base import TransportFactory

log = logging.getLogger("reactor_client")

#: The environment variable that picks the transport when ``transport=`` is not given.
ENV_VAR = "REACTOR_TRANSPORT"
DEFAULT = "aiortc"
AUTO = "auto"


def _aiortc() -> TransportFactory:
    from .aiortc import AiortcTransportFactory

    return AiortcTransportFactory()


def _native() -> TransportFactory:
    from .native import REQUIREMENT, unavailable

    reason = unavailable()
    if reason is not None:
        raise ConfigurationError(
            "transport 'native' needs reactor-webrtc: pip install 'reactor-client[native]' "
            f"({REQUIREMENT}; on Linux its wheels need glibc >= 2.34). Importing it failed: "
            f"{reason}. transport='auto' falls back to aiortc instead."
        )
    from .native.peer import NativeTransportFactory

    return NativeTransportFactory()


def _auto() -> TransportFactory:
    from .native import unavailable

    reason = unavailable()
    if reason is None:
        factory = _native()
        log.info("transport auto: native (reactor-webrtc imports)")
        return factory
    log.info("transport auto: aiortc (reactor-webrtc does not import: %s)", reason)
    return _aiortc()


_ENGINES: dict[str, Callable[[], TransportFactory]] = {
    "aiortc": _aiortc,
    "native": _native,
    AUTO: _auto,
}


def default_transport() -> str:
    """The transport name used when ``transport=`` is not given: ``$REACTOR_TRANSPORT``
    (checked), else ``"aiortc"``."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if not value:
        return DEFAULT
    if value not in _ENGINES:
        raise ConfigurationError(
            f"{ENV_VAR}={value!r} is not a transport (known: {', '.join(sorted(_ENGINES))})"
        )
    return value


def resolve_transport(choice: str | TransportFactory | None = None) -> TransportFactory:
    """The factory for ``choice``: a registered engine name, a factory object as is, or
    (``None``) :func:`default_transport`."""
    if choice is None:
        choice = default_transport()
    if not isinstance(choice, str):
        if not callable(getattr(choice, "create", None)):
            raise ConfigurationError(
                f"transport must be an engine name ({', '.join(sorted(_ENGINES))}) or a "
                f"transport factory with create(), not {type(choice).__name__}"
            )
        return choice
    try:
        make = _ENGINES[choice]
    except KeyError:
        raise ConfigurationError(
            f"unknown transport {choice!r} (known: {', '.join(sorted(_ENGINES))}, or pass a "
            "transport factory object)"
        ) from None
    return make()


def register_transport(name: str, make: Callable[[], TransportFactory]) -> None:
    """Make ``transport=name`` build its factory with ``make()``."""
    _ENGINES[name] = make


__all__ = ["ENV_VAR", "default_transport", "resolve_transport", "register_transport"]
