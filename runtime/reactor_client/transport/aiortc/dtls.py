"""aiortc's DTLS transport with the ``dtls_flush`` lever (see :mod:`.levers`)."""

from __future__ import annotations

from typing import Any

from aiortc.rtcdtlstransport import RTCDtlsTransport


def _pending_reader() -> Any:
    """``BIO_get_mem_data(bio, NULL)`` from pyOpenSSL's bindings (None where absent)."""
    try:
        from OpenSSL import SSL

        lib, ffi = SSL._lib, SSL._ffi  # type: ignore[attr-defined]
        get_mem_data = lib.BIO_get_mem_data
    except (ImportError, AttributeError):
        return None

    def pending(connection: Any) -> int:
        return int(get_mem_data(connection._from_ssl, ffi.NULL))

    return pending


_bio_pending = _pending_reader()


def available() -> bool:
    """Whether pyOpenSSL exposes what the lever reads."""
    return _bio_pending is not None


class FastDtlsTransport(RTCDtlsTransport):
    """aiortc's DTLS transport that does not ask for outgoing bytes when there are none."""

    async def _write_ssl(self) -> None:
        try:
            empty = _bio_pending is not None and _bio_pending(self._ssl) == 0
        except Exception:  # noqa: BLE001 - pyOpenSSL internals moved: do what stock does
            empty = False
        if not empty:
            await super()._write_ssl()


__all__ = ["FastDtlsTransport", "available"]
