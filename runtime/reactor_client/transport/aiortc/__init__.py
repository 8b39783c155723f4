"""The aiortc transport (the default): pure-Python WebRTC, installed with ``reactor-client``."""

from .peer import AIORTC_INFO, AiortcTransport, AiortcTransportFactory

__all__ = ["AIORTC_INFO", "AiortcTransport", "AiortcTransportFactory"]
