"""``python -m reactor_models.feature_model play`` in a REAL headless Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright over CDP; never ``playwright install``), against the
REAL runtime serving the feature model.

The playground runs as the user runs it: the package's command line in its own process, on a
free port (``--port 0``, URL read from its first line), stopped with SIGINT (Ctrl-C). The page
must show live video (an ``<img>`` fed by MJPEG whose pixels follow ``set_color``), send a
command from its generated form and show the resulting message in the log, show the SDK's
validation error next to a form given a bad value, and show the connection status.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE_PACKAGE_DIR = ROOT / "generated" / "feature-model"
CHROMIUM = Path(os.environ.get("REACTOR_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.runtime


class PlayProcess:
    """The ``play`` subcommand in a subprocess; ``url`` once it listens."""

    def __init__(self, args: list[str]) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(FEATURE_PACKAGE_DIR), os.environ.get("PYTHONPATH", "")]
            ),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reactor_models.feature_model", "play", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url(timeout=30)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def _wait_for_url(self, timeout: float) -> str:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.proc.kill()
                raise AssertionError("play printed no URL:\n" + "".join(self.output)) from None
            if " playground: http://" in line:
                return line.split(" playground: ", 1)[1].split()[0]

    def interrupt(self, timeout: float = 20) -> int:
        """Ctrl-C; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("play did not stop on SIGINT:\n" + "".join(self.output)) from None


@pytest.fixture(scope="module")
def play(feature_server: Any) -> Iterator[PlayProcess]:
    process = PlayProcess(["--url", feature_server.url, "--local", "--port", "0", "--no-browser"])
    try:
        yield process
    finally:
        process.interrupt()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: the playground tests need Debian's chromium "
            "(apt-get install -y --no-install-recommends chromium; .ci/run installs it)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any, play: PlayProcess) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(play.url)
    page.wait_for_selector("#status[data-status=ready]", timeout=20_000)
    yield page
    context.close()
    assert not errors, errors


CENTER_PIXEL = """img => {
    if (!img.complete || img.naturalWidth === 0) return null;
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(img.naturalWidth >> 1, img.naturalHeight >> 1, 1, 1).data;
    return Array.from(px.slice(0, 3));
}"""


def _wait_for_color(page: Any, rgb: tuple[int, int, int], timeout: float = 15_000) -> None:
    page.wait_for_function(
        f"""([want, tol]) => {{
            const px = ({CENTER_PIXEL})(document.querySelector("img.video"));
            return px !== null && px.every((v, i) => Math.abs(v - want[i]) <= tol);
        }}""",
        arg=[list(rgb), 24],
        timeout=timeout,
    )


def _form(page: Any, command: str) -> Any:
    return page.locator(f"form[data-command={command}]")


def _field(form: Any, name: str) -> Any:
    return form.locator(f"[name={name}]")


def test_page_shows_video_status_and_forms(page: Any) -> None:
    assert page.title() == "FeatureModel playground"
    assert page.locator("#status").inner_text() == "ready"
    img = page.locator("img.video[data-track=main_video]")
    page.wait_for_function("document.querySelector('img.video').naturalWidth > 0", timeout=15_000)
    assert img.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [64, 48]
    _wait_for_color(page, (0, 128, 255))  # the feature model's default colour
    # one form per command, generated from the schema
    commands = page.locator("form.command").evaluate_all("fs => fs.map(f => f.dataset.command)")
    assert commands == [
        "configure",
        "crash",
        "echo",
        "fail",
        "inspect_file",
        "report_input",
        "set_color",
    ]
    configure = _form(page, "configure")
    assert configure.locator(".field.required [name=label]").count() == 1  # required marker
    assert configure.locator(".field.required abbr.req").count() == 1
    steps = _field(configure, "steps")
    assert (
        steps.get_attribute("type"),
        steps.get_attribute("min"),
        steps.get_attribute("max"),
    ) == ("number", "1", "50")
    assert steps.input_value() == "4"  # the schema default
    mode = _field(configure, "mode")
    assert mode.evaluate("s => Array.from(s.options).map(o => o.value)") == [
        '"fast"',
        '"balanced"',
        '"quality"',
    ]
    assert mode.input_value() == '"balanced"'
    # options read as values, not JSON (the value sent stays JSON)
    assert mode.evaluate("s => Array.from(s.options).map(o => o.textContent)") == [
        "fast",
        "balanced",
        "quality",
    ]
    # a constraint the description already states is not repeated
    label_hint = configure.locator(".field:has([name=label]) .hint").inner_text()
    assert label_hint == "Label (required, 1-32 chars).", label_hint
    assert _field(_form(page, "inspect_file"), "file").get_attribute("type") == "file"
    # every message type of the schema is in the filter
    options = page.locator("#log-filter option").evaluate_all("os => os.map(o => o.value)")
    for name in (
        "color_changed",
        "configured",
        "echo",
        "file_info",
        "hello",
        "input_report",
        "upload_received",
    ):
        assert name in options


def test_submitting_a_form_sends_the_command_and_the_log_updates(page: Any) -> None:
    form = _form(page, "set_color")
    _field(form, "red").fill("255")
    _field(form, "green").fill("0")
    _field(form, "blue").fill("0")
    form.locator("button[type=submit]").click()
    result = form.locator("output.result")
    page.wait_for_selector("form[data-command=set_color] output.result.ok", timeout=10_000)
    assert result.inner_text() == "sent (no reply)"
    entry = page.locator("#log li[data-type=color_changed]").first
    entry.wait_for(timeout=10_000)
    assert "255" in entry.inner_text()
    _wait_for_color(page, (255, 0, 0))  # the live video follows: frames keep arriving
    latest = page.locator("#latest [data-type=color_changed] .payload").text_content()
    assert json.loads(latest)["rgb"] == [255, 0, 0], latest  # the latest message of each type
    # the filter shows only the chosen type
    page.select_option("#log-filter", "color_changed")
    shown = page.locator("#log li:not([hidden])").evaluate_all(
        "ls => ls.map(l => l.dataset.filter)"
    )
    assert shown and set(shown) == {"color_changed"}
    page.select_option("#log-filter", "")

    # a command with a typed reply shows the reply next to its form
    echo = _form(page, "echo")
    _field(echo, "text").fill("hi ")
    _field(echo, "repeat").fill("3")
    echo.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=echo] output.result.ok", timeout=10_000)
    reply = echo.locator("output.result").inner_text()
    assert (
        reply.startswith("reply echo:") and '"text": "hi hi hi "' in reply and '"count": 3' in reply
    )
    page.locator("#log li.command", has_text="echo").first.wait_for(timeout=5_000)

    # an upload argument: the page reads the file, the SDK uploads it, the model replies
    payload = b"\x89PNG not really a png" * 40
    inspect = _form(page, "inspect_file")
    _field(inspect, "file").set_input_files(
        files=[{"name": "frame.png", "mimeType": "image/png", "buffer": payload}]
    )
    inspect.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=inspect_file] output.result.ok", timeout=15_000)
    info = inspect.locator("output.result").inner_text()
    assert info.startswith("reply file_info:"), info
    assert hashlib.sha256(payload).hexdigest() in info and '"file_name": "frame.png"' in info

    # a refusal by the model shows its code
    fail = _form(page, "fail")
    fail.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=fail] output.result.error", timeout=10_000)
    assert "model_busy" in fail.locator("output.result").inner_text()


def test_bad_values_show_the_validation_error_next_to_the_form(page: Any) -> None:
    configure = _form(page, "configure")
    # every invalid field at once, as the SDK reports them (a missing required one included)
    _field(configure, "label").fill("")
    _field(configure, "steps").fill("99")
    configure.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=configure] output.result.error", timeout=10_000)
    both = configure.locator("output.result").inner_text()
    assert "configure: label: is required" in both and "configure: steps: must be <= 50" in both
    assert configure.locator(".field.invalid").count() == 2

    _field(configure, "label").fill("studio")
    _field(configure, "steps").fill("99")  # out of range (1 to 50)
    configure.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=configure] output.result.error", timeout=10_000)
    assert (
        configure.locator("output.result").inner_text()
        == "configure: steps: must be <= 50 (got 99)"
    )
    assert configure.locator(".field.invalid [name=steps]").count() == 1

    _field(configure, "steps").fill("4")
    _field(configure, "tags").fill('"not a list"')  # wrong type
    configure.locator("button[type=submit]").click()
    page.wait_for_function(
        "document.querySelector('form[data-command=configure] output.result')"
        ".textContent.includes('tags')",
        timeout=10_000,
    )
    assert "configure: tags:" in configure.locator("output.result").inner_text()

    _field(configure, "tags").fill('["a", "b"]')
    configure.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=configure] output.result.ok", timeout=10_000)
    assert configure.locator("output.result").inner_text().startswith("reply configured:")
    assert configure.locator(".field.invalid").count() == 0

    echo = _form(page, "echo")
    _field(echo, "text").fill("")  # required
    echo.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-command=echo] output.result.error", timeout=10_000)
    assert echo.locator("output.result").inner_text() == "echo: text: is required"


def test_repeats_collapse_and_the_page_asks_for_nothing_missing(browser: Any, play: PlayProcess) -> None:
    context = browser.new_context()
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(play.url)
    page.wait_for_selector("#status[data-status=ready]", timeout=20_000)
    # input_report arrives every 0.5 s: one collapsing entry, not one per report
    page.wait_for_function(
        "Number((document.querySelector('#log li[data-type=input_report]') || {dataset: {}})"
        ".dataset.repeats || 0) >= 3",
        timeout=15_000,
    )
    assert page.locator("#log li[data-type=input_report]").count() == 1
    assert page.locator("#log li[data-type=input_report] .repeats").inner_text().startswith("×")
    # unticked, every report gets its own entry again
    page.uncheck("#log-collapse")
    page.wait_for_function(
        "document.querySelectorAll('#log li[data-type=input_report]').length >= 3", timeout=15_000
    )
    # schema descriptions' code spans render as code
    assert page.locator("form.command p.doc code, form.command .hint code").count() >= 1
    context.close()
    assert missing == [], missing  # no favicon.ico (or anything else) 404


def test_other_sites_cannot_send_commands(play: PlayProcess) -> None:
    import httpx

    url = play.url + "commands/set_color"
    body = '{"red": 1}'
    # a form or fetch() from another site can send text/plain without a CORS preflight
    plain = httpx.post(url, content=body, headers={"Content-Type": "text/plain"}, timeout=5)
    assert plain.status_code == 415
    evil = {"Content-Type": "application/json", "Origin": "http://evil.example"}
    assert httpx.post(url, content=body, headers=evil, timeout=5).status_code == 403
    # DNS rebinding: another name resolving to 127.0.0.1
    rebound = {"Content-Type": "application/json", "Host": "evil.example"}
    assert httpx.post(url, content=body, headers=rebound, timeout=5).status_code == 400
    assert httpx.get(play.url, headers={"Host": "evil.example"}, timeout=5).status_code == 400
    same = {"Content-Type": "application/json", "Origin": play.url.rstrip("/")}
    assert httpx.post(url, content=body, headers=same, timeout=5).status_code == 200


def test_ctrl_c_disconnects_and_exits_zero(play: PlayProcess, feature_server: Any) -> None:
    """Last in the module: stop the playground the way a user does."""
    import httpx

    assert httpx.get(play.url + "state", timeout=5).json()["status"] == "ready"
    assert play.interrupt() == 0
    assert "playground: stopped (model disconnected)" in "".join(play.output)
