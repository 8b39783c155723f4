"""Launcher for reactor-runtime 3.10.0 used by ``tests/harness/server.py``; runs in ``.venv-server``.

Same as ``python -m reactor_runtime.serve`` (run in the model directory, configured by env:
``HOST``, ``PORT``, ``WEBRTC_CLIENT_PING_TIMEOUT_SECONDS``, ``ORPHAN_TIMEOUT_SECONDS``, ...),
except for one thing: when neither ``STUN_SERVERS`` nor ``TURN_SERVERS`` is set, the runtime
would fall back to Google STUN, which cannot resolve offline. Here the ICE server list is then
left empty (host candidates only, which is all a loopback test needs). Set
``REACTOR_TEST_DEFAULT_STUN=1`` to keep the runtime's own fallback.
"""

from __future__ import annotations

import os

import reactor_runtime.serve as serve

_original = serve._ice_servers_from_env


def _ice_servers_from_env():  # type: ignore[no-untyped-def]
    if os.environ.get("REACTOR_TEST_DEFAULT_STUN") == "1":
        return _original()
    if serve._csv("STUN_SERVERS") or serve._csv("TURN_SERVERS"):
        return _original()
    return ()


serve._ice_servers_from_env = _ice_servers_from_env

if __name__ == "__main__":
    serve.main()
