"""The playground pointed at a stand-in: ``python -m reactor_models.longlive_v2 mock`` (on the
REAL reactor-runtime) and ``python -m reactor_models.longlive_v2 play --local URL``, both run as a
user runs them, in headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright; never
``playwright install``): an app built offline against the stand-in sees the forms of every
command, the messages each command emits in the log, and the video pattern following the
last command.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from harness.server import REPO_ROOT
from harness.stand_in import StandIn
from test_playground import CHROMIUM, CHROMIUM_ARGS

from reactor_client.apps.mock.pattern import IDLE_COLOR, command_color

pytestmark = pytest.mark.runtime


class Play:
    """``python -m reactor_models.longlive_v2 play --local URL --port 0 --no-browser``."""

    def __init__(self, url: str) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(REPO_ROOT / "generated" / "longlive-v2"), os.environ.get("PYTHONPATH", "")]
            ),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reactor_models.longlive_v2", "play", "--local", url]
            + ["--port", "0", "--no-browser"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        while True:
            try:
                line = self.lines.get(timeout=30)
            except queue.Empty:
                self.proc.kill()
                raise AssertionError("play printed no URL:\n" + "".join(self.output)) from None
            if " playground: http://" in line:
                self.url = line.split(" playground: ", 1)[1].split()[0]
                break

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def interrupt(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StandIn]:
    with StandIn("longlive_v2", "--size", "160x120") as process:
        yield process


@pytest.fixture(scope="module")
def play(stand_in: StandIn) -> Iterator[Play]:
    process = Play(stand_in.url)
    try:
        yield process
    finally:
        process.interrupt()


@pytest.fixture(scope="module")
def page(play: Play) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(play.url)
            page.wait_for_selector("#status[data-status=ready]", timeout=20_000)
            yield page
            assert not errors, errors
        finally:
            browser.close()


CORNER_PIXEL = """img => {
    if (!img.complete || img.naturalWidth === 0) return null;
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(img.naturalWidth >> 4, img.naturalHeight >> 4, 1, 1).data;
    return Array.from(px.slice(0, 3));
}"""


def wait_for_corner(page: Any, rgb: tuple[int, int, int]) -> None:
    page.wait_for_function(
        f"""([want, tol]) => {{
            const px = ({CORNER_PIXEL})(document.querySelector("img.video"));
            return px !== null && px.every((v, i) => Math.abs(v - want[i]) <= tol);
        }}""",
        arg=[list(rgb), 24],
        timeout=15_000,
    )


def test_the_playground_drives_the_stand_in(page: Any, play: Play, stand_in: StandIn) -> None:
    assert page.title() == "LongliveV2 playground"
    commands = page.locator("form.command").evaluate_all("fs => fs.map(f => f.dataset.command)")
    assert commands == [
        "pause",
        "reset",
        "resume",
        "scene_cut",
        "schedule_scene_cut",
        "schedule_shot",
        "set_seed",
        "set_shot",
        "start",
    ]
    wait_for_corner(page, IDLE_COLOR)  # the pattern before any command

    form = page.locator("form[data-command=set_shot]")
    form.locator("[name=prompt]").fill("A lighthouse at dusk")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=set_shot] output.result.ok", timeout=10_000)
    assert form.locator("output.result").inner_text() == "sent (no reply)"
    shot = page.locator("#log li[data-type=shot_set]").first
    shot.wait_for(timeout=10_000)
    assert "A lighthouse at dusk" in shot.inner_text()  # the argument, echoed
    for emitted in ("scene_cut", "state"):
        page.locator(f"#log li[data-type={emitted}]").first.wait_for(timeout=10_000)
    wait_for_corner(page, command_color("set_shot"))
    stand_in.wait_for_line("set_shot(prompt='A lighthouse at dusk')")

    page.locator("form[data-command=start] button[type=submit]").click()
    page.wait_for_selector("form[data-command=start] output.result.ok", timeout=10_000)
    wait_for_corner(page, command_color("start"))

    seed = page.locator("form[data-command=set_seed]")
    seed.locator("[name=seed]").fill("-1")
    seed.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=set_seed] output.result.error", timeout=10_000)
    assert "seed" in seed.locator("output.result").inner_text()

    assert play.interrupt() == 0
    assert stand_in.interrupt() == 0
