"""Real-server test harness: reactor-runtime 3.10.0 processes, test models, a cloud stand-in.

``tests/`` is on ``sys.path`` during the test run (``tests/conftest.py`` makes sure), so::

    from harness import RuntimeServer, LONGLIVE_SIM_DIR, FEATURE_MODEL_DIR, LOCAL_SESSION_ID
    from harness.colors import expected_color, decode_color, decode_frame
    from harness.coordinator import CloudCoordinator

See ``tests/conftest.py`` for the fixtures (``longlive_server``, ``feature_server``,
``runtime_server_factory``, ``cloud_coordinator``).
"""

from harness.server import (
    FEATURE_MODEL_DIR,
    LOCAL_SESSION_ID,
    LONGLIVE_SIM_DIR,
    RuntimeServer,
    RuntimeServerError,
    free_port,
    runtime_python,
)

__all__ = [
    "FEATURE_MODEL_DIR",
    "LOCAL_SESSION_ID",
    "LONGLIVE_SIM_DIR",
    "RuntimeServer",
    "RuntimeServerError",
    "free_port",
    "runtime_python",
]
