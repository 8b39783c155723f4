"""Shared pytest fixtures: REAL reactor-runtime 3.10.0 servers for end-to-end tests.

Nothing here starts a process unless a test asks for one of these fixtures, so tests that
need no server (the generator's) pay nothing.

Fixtures
--------
``longlive_server`` (module scope)
    A :class:`harness.RuntimeServer` serving the LongliveV2 simulator
    (``tests/models/longlive_v2_sim``) with fast defaults (64x64, 24 fps, 4 frames/chunk,
    40 chunks). Each test module gets its own process: the runtime hosts ONE session per
    process, so tests of a module must run their sessions one after another and end them
    (``POST /stop_session``, or the client's disconnect) before the next test.
``feature_server`` (module scope)
    The same for ``tests/models/feature_model`` (input webcam track, video + audio out,
    uploads, typed replies, ...).
``runtime_server_factory`` (function scope)
    ``runtime_server_factory(model_dir=LONGLIVE_SIM_DIR, env=None, **kwargs)`` starts a
    server with custom env / ping / orphan timeouts and stops it after the test::

        def test_short_run(runtime_server_factory):
            server = runtime_server_factory(env={"SIM_TOTAL_CHUNKS": "3"}, ping_timeout=2)
            ...

    For a module-scoped custom server, instantiate ``RuntimeServer`` in your own
    module-scoped fixture (``with RuntimeServer(LONGLIVE_SIM_DIR, env=...) as s: yield s``).
``cloud_coordinator`` (function scope)
    A :class:`harness.coordinator.CloudCoordinator` in front of ``longlive_server``
    (see ``tests/harness/coordinator.py``). ``cloud_coordinator_factory(server, **kw)``
    builds one in front of any server.
``runtime_python_path``
    Path of the server interpreter (``REACTOR_RUNTIME_PYTHON`` or ``.venv-server/bin/python``).

Every test using one of these fixtures is marked ``runtime``. On failure, the log tail of
every runtime server still running is attached to the report (section
``reactor-runtime log: ...``); the full log is at ``server.log_path``.

Server env knobs: see ``tests/harness/server.py``; simulator knobs (``SIM_*``): see
``tests/models/longlive_v2_sim/longlive_sim.py``.
"""


from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

_TESTS_DIR = Path(__file__).resolve().parent
if str(_TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(_TESTS_DIR))

# The committed generated packages (``generated/<model>/reactor_models/<pkg>``) are importable in
# every test, as ``reactor_models.<pkg>`` (``reactor_models`` is a namespace package).
for _generated in sorted((_TESTS_DIR.parent / "generated").glob("*/reactor_models")):
    if str(_generated.parent) not in sys.path:
        sys.path.append(str(_generated.parent))

#: pytester runs the test kit's pytest plugin (reactor_fake) in a child pytest.
pytest_plugins = ("pytester",)

if TYPE_CHECKING:
    from harness.coordinator import CloudCoordinator
    from harness.server import RuntimeServer

_SERVER_FIXTURES = {
    "longlive_server",
    "feature_server",
    "runtime_server_factory",
    "cloud_coordinator",
    "cloud_coordinator_factory",
}
_LOG_TAIL_LINES = 120


def _log_dir(factory: pytest.TempPathFactory) -> Path:
    return factory.mktemp("runtime-logs", numbered=True)


@pytest.fixture(scope="session")
def runtime_python_path() -> Path:
    from harness.server import runtime_python

    return runtime_python()


@pytest.fixture(scope="module")
def longlive_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    from harness.server import LONGLIVE_SIM_DIR, RuntimeServer

    server = RuntimeServer(LONGLIVE_SIM_DIR, log_dir=_log_dir(tmp_path_factory))
    with server:
        yield server


@pytest.fixture(scope="module")
def feature_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    from harness.server import FEATURE_MODEL_DIR, RuntimeServer

    recordings = tmp_path_factory.mktemp("recordings")
    server = RuntimeServer(
        FEATURE_MODEL_DIR, log_dir=_log_dir(tmp_path_factory), env={"REACTOR_RECORDINGS_DIR": str(recordings)}
    )
    with server:
        yield server


@pytest.fixture
def runtime_server_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., RuntimeServer]]:
    from harness.server import LONGLIVE_SIM_DIR, RuntimeServer

    started: list[RuntimeServer] = []

    def start(
        model_dir: str | Path = LONGLIVE_SIM_DIR,
        env: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> RuntimeServer:
        kwargs.setdefault("log_dir", _log_dir(tmp_path_factory))
        server = RuntimeServer(model_dir, env=env, **kwargs)
        started.append(server)
        return server.start()

    yield start
    for server in reversed(started):
        if not server.running and server.died_of_known_abort():
            server.report_known_abort()
        server.stop()


@pytest.fixture
def cloud_coordinator_factory() -> Iterator[Callable[..., CloudCoordinator]]:
    from harness.coordinator import CloudCoordinator

    started: list[CloudCoordinator] = []

    def start(server: RuntimeServer, **kwargs: Any) -> CloudCoordinator:
        coordinator = CloudCoordinator(server, **kwargs)
        started.append(coordinator)
        return coordinator.start()

    yield start
    for coordinator in reversed(started):
        coordinator.stop()


@pytest.fixture
def cloud_coordinator(
    longlive_server: RuntimeServer,
    cloud_coordinator_factory: Callable[..., CloudCoordinator],
) -> CloudCoordinator:
    return cloud_coordinator_factory(longlive_server)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.runtime)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    harness_server = sys.modules.get("harness.server")
    if harness_server is None:  # no server was ever started in this run
        return
    for server in list(harness_server.ALL_SERVERS):
        # running now, or stopped/killed during this test phase
        if not server.running and (server.stopped_at is None or server.stopped_at < call.start):
            continue
        tail = server.log_tail(_LOG_TAIL_LINES)
        report.sections.append(
            (
                f"reactor-runtime log: {server.name} {server.url} (last {_LOG_TAIL_LINES} lines, "
                f"full log {server.log_path})",
                tail,
            )
        )
