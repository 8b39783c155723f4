"""Transport engines by name: ``transport="aiortc"`` (the default) or a factory object."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ConfigurationError
from .base import TransportFactory


def _aiortc() -> TransportFactory:
    from .aiortc import AiortcTransportFactory

    return AiortcTransportFactory()


_ENGINES: dict[str, Callable[[], TransportFactory]] = {"aiortc": _aiortc}


def resolve_transport(choice: str | TransportFactory) -> TransportFactory:
    """The factory for ``choice``: a registered engine name, or a factory object as is."""
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


__all__ = ["resolve_transport", "register_transport"]
