"""The generated test kit (``reactor_models.<m>.testing``): the real model class over an
in-memory runtime, scripted from the test — no server, no network."""

from __future__ import annotations

import typing

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reactor_client import CommandFailedError, DisconnectedError, Status
from reactor_client.testing import CommandError, StepFailure, StepOutput, StepRequest
from reactor_models.feature_model import FeatureModel
from reactor_models.feature_model.messages import ColorChanged, Echo, Hello
from reactor_models.feature_model.testing import FakeFeatureModel

ROOT = Path(__file__).resolve().parents[2]


async def test_commands_are_recorded_typed_and_answered_with_example_replies() -> None:
    async with FakeFeatureModel() as model:
        assert isinstance(model, FeatureModel) and model.status == Status.READY
        reply = await model.echo(text="hi", repeat=2)
        assert isinstance(reply, Echo) and reply.text == "Hello"  # the schema-valid example
        await model.set_color(red=255, green=0, blue=0)
        echo = model.assert_command("echo", text="hi")
        assert echo.params is not None and echo.params.repeat == 2  # typed, ints again
        assert [c.name for c in model.commands] == ["echo", "set_color"]
        with pytest.raises(AssertionError, match=r"the closest, echo\(.*\), differs in text: expected 'bye', got 'hi'"):
            model.assert_command("echo", text="bye")
        with pytest.raises(AssertionError, match="configure was never sent"):
            model.assert_command("configure")
        from reactor_client import ConfigurationError

        with pytest.raises(ConfigurationError, match="did you mean 'set_color'"):
            model.assert_command("set_colour")


async def test_scripted_reactions_errors_and_messages() -> None:
    async with FakeFeatureModel() as model:
        changed: list[ColorChanged] = []
        model.on_color_changed(changed.append)
        model.on_command(
            "echo",
            lambda p: [ColorChanged(rgb=[1, 2, 3], source="command"), Echo(text=p.text * p.repeat, count=p.repeat)],
        )
        reply = await model.echo(text="ab", repeat=3)
        assert reply == Echo(text="ababab", count=3)
        assert changed == [ColorChanged(rgb=[1, 2, 3], source="command")]  # broadcast first

        def busy(params: Any) -> None:
            raise CommandError("model_busy", "warming up")

        model.on_command("set_color", busy)
        with pytest.raises(CommandFailedError) as info:
            await model.set_color(red=1, green=2, blue=3)
        assert info.value.code == "model_busy" and "warming up" in str(info.value)
        model.fail_command("echo", "invalid_command")
        with pytest.raises(CommandFailedError):
            await model.echo(text="x")

        waiter = asyncio.ensure_future(model.wait_for_hello(timeout=2))
        await asyncio.sleep(0)
        model.emit(Hello(model="feature-model", tracks=["main_video"]))
        assert (await waiter).tracks == ["main_video"]


async def test_frames_in_and_out_and_a_lost_transport() -> None:
    async with FakeFeatureModel() as model:
        stream = model.main_video.frames()
        model.push_frame("main_video", np.full((24, 32, 3), 200, np.uint8))
        frame = await asyncio.wait_for(stream.__anext__(), 2)
        assert frame.width == 32 and int(frame.to_ndarray(format="rgb24").mean()) == 200

        await model.publish_webcam()
        model.webcam.push_frame(np.full((16, 16, 3), 7, np.uint8))
        sent = await model.next_input_frame("webcam", timeout=2)
        assert sent.width == 16 and int(sent.to_ndarray(format="rgb24").mean()) in range(5, 10)

        model.lose("cable pulled")
        with pytest.raises(DisconnectedError, match="cable pulled"):
            await asyncio.wait_for(stream.__anext__(), 2)


async def test_scripted_steps() -> None:
    from reactor_models.longlive_v2.commands import SetShotParams
    from reactor_models.longlive_v2.testing import FakeLongliveV2Model

    def answer(request: StepRequest) -> StepOutput | StepFailure:
        if not request.commands:
            return StepFailure("not_ready", "set a shot first")
        return StepOutput(frames={"main_video": [np.zeros((8, 8, 3), np.uint8)] * 3})

    async with FakeLongliveV2Model(generation="stepped") as model:
        model.on_step(answer)
        from reactor_client import StepNotReadyError

        with pytest.raises(StepNotReadyError, match="set a shot first"):
            await model.step()
        result = await model.step(commands=[SetShotParams(prompt="A red fox")])
        assert result.step == 1 and len(result.frames("main_video")) == 3
        request = model.runtime.step_requests[-1]
        assert request.commands == [("set_shot", {"prompt": "A red fox"})]


def test_the_blocking_fake() -> None:
    # imported here, with the fake (another test module may have re-imported the package)
    from reactor_models.feature_model.messages import Echo
    from reactor_models.feature_model.sync import FeatureModel as Blocking
    from reactor_models.feature_model.testing.sync import FakeFeatureModel as BlockingFake

    with BlockingFake() as model:
        assert isinstance(model, Blocking)
        model.on_command("echo", lambda p: Echo(text=p.text.upper(), count=1))
        assert model.echo(text="quiet") == Echo(text="QUIET", count=1)
        model.assert_command("echo", text="quiet")
        frames = model.main_video.frames()
        model.push_frame("main_video", np.zeros((8, 8, 3), np.uint8))
        assert next(iter(frames)).width == 8


def test_the_blocking_members_are_the_async_declarations() -> None:
    """The blocking twin declares nothing twice: its commands are ``blocking(<async method>)``
    and its listeners and waiters the async model's own declarations. What a user sees of
    them: the async method's docs and signature, the blocking result, the same errors."""
    import inspect

    from reactor_client.typed import Listener, Waiter
    from reactor_models.feature_model import FeatureModel as Async
    from reactor_models.feature_model.messages import ColorChanged, Echo
    from reactor_models.feature_model.sync import FeatureModel as Blocking
    from reactor_models.feature_model.testing.sync import FakeFeatureModel as BlockingFake

    assert Blocking.echo.__doc__ == Async.echo.__doc__
    assert str(inspect.signature(Blocking.echo)) == str(inspect.signature(Async.echo))
    assert not inspect.iscoroutinefunction(Blocking.echo)
    assert Blocking.on_color_changed is Async.on_color_changed  # one declaration
    assert isinstance(Async.on_color_changed, Listener)
    assert isinstance(Async.wait_for_echo, Waiter)
    with BlockingFake() as model:
        assert list(inspect.signature(model.echo).parameters) == ["repeat", "text"]
        assert "Echo" in (model.echo.__doc__ or "")
        with pytest.raises(TypeError, match=r"echo\(\) got an unexpected keyword argument 'txt'; did you mean 'text'\?"):
            model.echo(txt="hi")  # type: ignore[call-arg]
        seen: list[ColorChanged] = []
        model.on_color_changed(seen.append)

        @model.on_echo()
        def on_echo(message: Echo) -> None:
            seen.append(message)  # type: ignore[arg-type]

        assert on_echo.__name__ == "on_echo"  # the decorator returns the function
        model.on_command("echo", lambda p: Echo(text=p.text, count=2))
        assert model.echo(text="hi") == Echo(text="hi", count=2)
        assert model.wait_for_echo(timeout=5) == Echo(text="hi", count=2)
        with pytest.raises(TypeError, match=r"wait_for_echo\(\) got an unexpected keyword argument 'timeuot'"):
            model.wait_for_echo(timeuot=1)  # type: ignore[call-arg]
        assert inspect.signature(model.wait_for_echo).parameters["timeout"].kind is (
            inspect.Parameter.KEYWORD_ONLY
        )
        assert (model.wait_for_echo.__doc__ or "").startswith("The next ``echo`` message")
    assert [type(m).__name__ for m in seen] == ["Echo"]
    # the attribute's name does not matter: the wrapped method is what runs
    from reactor_client.sync import blocking

    class Renamed(BlockingFake):
        shout = blocking(Async.echo)

    with Renamed() as renamed:
        renamed.on_command("echo", lambda p: Echo(text=p.text.upper(), count=1))
        assert renamed.shout(text="hi") == Echo(text="HI", count=1)


def test_a_blocking_twin_generated_before_the_shared_declarations_still_works() -> None:
    """``sync.py`` of a package generated for reactor-client 0.2.1 (allowed by its pin next
    to 0.2.2) wrote its listeners as methods over ``_listen``/``_listener_decorator``."""
    from reactor_models.feature_model.messages import Echo
    from reactor_models.feature_model.testing.sync import FakeFeatureModel as BlockingFake

    class OldStyle(BlockingFake):
        def on_echo_old(self, callback: typing.Any = None) -> typing.Any:
            if callback is None:
                return self._listener_decorator(self._aio.on_echo)
            return self._listen(self._aio.on_echo, callback)

    seen: list[Echo] = []
    with OldStyle() as model:

        @model.on_echo_old()
        def on_echo(message: Echo) -> None:
            seen.append(message)

        model.on_command("echo", lambda p: Echo(text=p.text, count=1))
        model.echo(text="old")
        model.wait_for_echo(timeout=5)
    assert on_echo.__name__ == "on_echo"
    assert seen == [Echo(text="old", count=1)]


def test_the_pytest_fixture_builds_fakes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from reactor_models.feature_model import FeatureModel
        from reactor_models.feature_model.sync import FeatureModel as Blocking
        from reactor_models.feature_model.testing import FakeFeatureModel

        def test_fixture(reactor_fake):
            assert type(reactor_fake(FeatureModel)) is FakeFeatureModel
            with reactor_fake(Blocking) as model:
                model.set_color(red=1, green=2, blue=3)
                model.assert_command("set_color", red=1)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_mypy_accepts_the_fake_where_the_model_is_expected(tmp_path: Path) -> None:
    user = tmp_path / "app_tests.py"
    user.write_text(
        textwrap.dedent(
            """
            from reactor_models.feature_model import FeatureModel
            from reactor_models.feature_model.messages import Echo
            from reactor_models.feature_model.testing import FakeFeatureModel

            async def app(model: FeatureModel) -> str:
                reply = await model.echo(text="hi")
                return reply.text if reply is not None else ""

            async def test() -> None:
                fake = FakeFeatureModel(command_timeout=2.0)
                fake.on_command("echo", lambda params: Echo(text="x", count=1))
                assert await app(fake) == "x"
                fake.assert_command("echo", text="hi")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("model", sorted(p.name for p in (ROOT / "generated").iterdir()))
def test_readme_testing_snippet_runs(model: str, tmp_path: Path) -> None:
    """Each generated README's "Testing your app" snippet runs as printed (no server)."""
    import re

    readme = (ROOT / "generated" / model / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your app", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "ready"
    if len(lines) == 2:
        assert re.match(r"\w+\(", lines[0]), lines  # the recorded command, with its params


def test_root_readme_testing_snippet_runs(tmp_path: Path) -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Testing your app", 1)[1].split("Minting a token", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "rgb=[255, 0, 0] source='command'",
        "set_color(blue=0, green=0, red=255)",
    ]


async def test_a_reaction_built_from_another_import_of_the_messages_is_still_the_reply() -> None:
    """The reply is matched by wire type: a message class from a re-imported messages module
    (what a test that reloads the package leaves behind) still answers the command."""
    import typing

    import pydantic

    class OtherEcho(pydantic.BaseModel):  # the same message, as another import defines it
        TYPE: typing.ClassVar[str] = "echo"
        text: str
        count: int

    async with FakeFeatureModel() as model:
        model.on_command("echo", lambda p: OtherEcho(text="reloaded", count=1))
        reply = await model.echo(text="x")
        assert reply is not None and reply.text == "reloaded"


async def test_a_misspelt_keyword_argument_names_the_one_meant() -> None:
    from reactor_models.feature_model.sync import FeatureModel as Blocking

    async with FakeFeatureModel() as model:
        with pytest.raises(TypeError, match=r"^FeatureModel\.echo\(\) got an unexpected keyword argument 'txt'; did you mean 'text'\?$"):
            await model.echo(txt="hi")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"wait_for_echo\(\) got an unexpected keyword argument 'timeuot'; did you mean 'timeout'\?"):
            await model.wait_for_echo(timeuot=1)  # type: ignore[call-arg]
        assert model.commands == []  # nothing was sent
        assert (await model.echo(text="ok")) is not None  # the right spelling still works
    import inspect

    assert list(inspect.signature(Blocking.set_color).parameters) == ["self", "blue", "green", "red"]
    assert inspect.iscoroutinefunction(FeatureModel.echo)


def test_a_misspelt_member_names_the_one_meant() -> None:
    model = FakeFeatureModel()
    with pytest.raises(AttributeError, match=r"'FakeFeatureModel' object has no attribute 'on_colour_changed'; did you mean 'on_color_changed'\?"):
        model.on_colour_changed  # noqa: B018
    with pytest.raises(AttributeError, match=r"has no attribute 'wait_for_ecko'; did you mean 'wait_for_echo'\?"):
        model.wait_for_ecko  # noqa: B018
    assert not hasattr(model, "_private_thing")  # private lookups stay plain and cheap
