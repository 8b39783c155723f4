"""``ClientOptions``: the one definition of the connection options, and the constructors
whose keyword signatures are derived from it (ReactorClient, generated models, blocking twins)."""

from __future__ import annotations

import dataclasses
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import reactor_client
from reactor_client import ClientOptions, ConfigurationError, ReactorClient, ReconnectPolicy
from reactor_client.sync import SyncModel
from reactor_client.typed import ModelClient

ROOT = Path(__file__).resolve().parents[2]


def test_options_are_frozen_documented_and_validated() -> None:
    options = ClientOptions(local=True, codec="v1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.local = False  # type: ignore[misc]
    assert options.as_kwargs() == {"local": True, "codec": "v1"}
    assert ClientOptions(**options.as_kwargs()) == options
    assert options.replace(command_timeout=2.0).command_timeout == 2.0
    with pytest.raises(ConfigurationError, match="codec"):
        ClientOptions(codec="v9")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="queue sizes"):
        ClientOptions(frame_queue_size=0)
    with pytest.raises(ConfigurationError, match="command_timeout"):
        options.replace(command_timeout=0)
    # every option has a docstring in the source (what IDEs and the docs show)
    source = inspect.getsource(ClientOptions)
    for name in ClientOptions.names():
        assert f"    {name}:" in source
        after = source.split(f"    {name}:", 1)[1].split("\n", 2)[1]
        assert after.strip().startswith('"""'), f"{name} has no docstring"


def test_constructor_signatures_come_from_the_options() -> None:
    expected = list(inspect.signature(ClientOptions).parameters.values())
    for cls, leading in ((ModelClient, ["self"]), (SyncModel, ["self"]), (ReactorClient, ["self", "model_name"])):
        params = list(inspect.signature(cls.__init__).parameters.values())
        assert [p.name for p in params[: len(leading)]] == leading
        assert params[len(leading):] == expected, cls


def test_unknown_option_names_the_class_that_was_called() -> None:
    with pytest.raises(TypeError, match=r"ReactorClient.__init__\(\) got an unexpected keyword argument 'lcoal'; did you mean 'local'\?"):
        ReactorClient("m", lcoal=True)  # type: ignore[call-arg]
    from reactor_models.feature_model import FeatureModel
    from reactor_models.feature_model.sync import FeatureModel as SyncFeatureModel

    with pytest.raises(TypeError, match=r"^FeatureModel.__init__\(\) got an unexpected keyword argument 'comand_timeout'"):
        FeatureModel(comand_timeout=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^FeatureModel.__init__\(\) got an unexpected keyword argument 'x'$"):
        SyncFeatureModel(x=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="keyword"):
        FeatureModel("http://localhost:8080")  # type: ignore[misc]


def test_options_reach_the_client() -> None:
    from reactor_models.feature_model import FeatureModel

    policy = ReconnectPolicy(max_attempts=2)
    model = FeatureModel(url="http://127.0.0.1:9", command_timeout=3.0, reconnect=policy)
    client = model.client
    assert client.local and client.url == "http://127.0.0.1:9"  # loopback without credentials
    assert client.command_timeout == 3.0 and client.reconnect_policy is policy
    assert client.options.tracks == FeatureModel._tracks
    assert client.transport.name == "aiortc" and client.transport.capabilities.dc_chunking
    same = ReactorClient.from_options("feature-model", client.options)
    assert same.options == client.options
    with pytest.raises(ConfigurationError, match="tracks= cannot change them"):
        FeatureModel(tracks=())


def test_mypy_checks_option_names_and_types(tmp_path: Path) -> None:
    """The derived signatures are what a type checker sees (no hand-copied option lists)."""
    user = tmp_path / "user_code.py"
    user.write_text(
        textwrap.dedent(
            """
            from reactor_client import ReactorClient
            from reactor_models.feature_model import FeatureModel
            from reactor_models.feature_model.sync import FeatureModel as Blocking

            FeatureModel(local=True, codec="v1", command_timeout=2.5)
            FeatureModel(lcoal=True)
            Blocking(command_timeout="3")
            ReactorClient("m", url="http://localhost:8080", transprt="aiortc")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    out = result.stdout
    assert 'Unexpected keyword argument "lcoal" for "FeatureModel"; did you mean "local"?' in out, out
    assert 'Argument "command_timeout" to "FeatureModel" has incompatible type "str"; expected "float"' in out, out
    assert 'Unexpected keyword argument "transprt" for "ReactorClient"' in out, out
    assert out.count("error:") == 3, out
