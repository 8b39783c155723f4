"""``OutputTrack.show()`` in a REAL notebook: nbclient runs a Jupyter kernel that connects to
the feature model on the real runtime; the widget receives frames."""

from __future__ import annotations

from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.runtime


def test_live_view_widget_receives_frames(feature_server: Any) -> None:
    cells = [
        "from reactor_client import ReactorClient\n"
        f"client = ReactorClient('feature-model', local=True, url={feature_server.url!r})\n"
        "await client.connect()",
        "view = client.output_track('main_video').show(fps=10)\nview",
        "import asyncio\nawait asyncio.sleep(2.0)\n"
        "print('frames_shown', view.frames_shown, 'jpeg', view.widget.value[:2] == b'\\xff\\xd8')",
        "client.output_track('main_video')",
        "await client.disconnect()",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    display = nb.cells[1].outputs[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in display  # a live widget, not a picture
    text = nb.cells[2].outputs[0]["text"]
    shown = int(text.split()[1])
    assert shown >= 5 and "jpeg True" in text, text
    html = nb.cells[3].outputs[0]["data"]["text/html"]
    assert "<b>main_video</b> (video, model output)" in html and "session ready" in html


def test_generated_blocking_model_in_a_notebook(feature_server: Any) -> None:
    """The generated ``.sync`` model: no ``await`` anywhere, a model card, a live widget."""
    cells = [
        "from reactor_models.feature_model.sync import FeatureModel\n"
        f"model = FeatureModel(url={feature_server.url!r}, local=True)\n"
        "model.connect()\nmodel",
        "view = model.main_video.show(fps=10)\nview",
        "import time\ntime.sleep(2.0)\n"
        "print('frames_shown', view.frames_shown, 'echo', model.echo(text='nb').text)",
        "model.close()",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    card = nb.cells[0].outputs[0]["data"]["text/html"]
    assert "FeatureModel: feature-model v0.0.0" in card and "set_color" in card, card
    assert "application/vnd.jupyter.widget-view+json" in nb.cells[1].outputs[0]["data"]
    text = nb.cells[2].outputs[0]["text"]
    assert int(text.split()[1]) >= 5 and "echo nb" in text, text
