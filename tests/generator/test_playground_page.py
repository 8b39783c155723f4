"""The generated playground page (``_playground/index.html``) and the surface the server reads (``_surface.json``): a form per
command with a control per argument (by type, with ranges, defaults and required markers), and
schema text that cannot break out of the HTML."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from reactor_client.surface import PackageSurface
from reactor_gen.pipeline import build
from reactor_gen.render import filters

ROOT = Path(__file__).resolve().parents[2]
NASTY = '</textarea></script><script>alert(1)</script>" onmouseover="x" \' & <b>bold</b> é'


class Page(HTMLParser):
    """Every start tag with its attributes, and the text inside each element id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in ("input", "meta", "link", "img"):
            self._open.append(attributes.get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element_id in self._open:
            if element_id:
                self.text[element_id] = self.text.get(element_id, "") + data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.tags
            if t == tag
            and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]


def _render(schema: Path) -> tuple[Page, dict[str, Any]]:
    files = build(schema).files
    html = next(text for path, text in files.items() if path.endswith("_playground/index.html"))
    described = next(text for path, text in files.items() if path.endswith("/_surface.json"))
    page = Page()
    page.feed(html)
    # what the playground server reads: the package's one surface description
    surface = PackageSurface(json.loads(described)).playground()
    return page, surface


def test_feature_page_has_a_control_per_argument() -> None:
    page, surface = _render(ROOT / "schemas" / "feature-model.json")
    forms = [a["data-command"] for a in page.find("form")]
    assert (
        forms
        == sorted(surface["commands"])
        == [
            "configure",
            "crash",
            "echo",
            "fail",
            "inspect_file",
            "report_input",
            "set_color",
        ]
    )
    # the command forms' controls (the log's "collapse repeats" box is no argument)
    kinds = {
        a["name"]: (a.get("type"), a["data-kind"]) for a in page.find("input") if a.get("data-kind")
    }
    assert [a.get("id") for a in page.find("input") if not a.get("data-kind")] == ["log-collapse"]
    assert kinds["steps"] == ("number", "integer") and kinds["strength"] == ("number", "number")
    assert kinds["file"] == ("file", "upload") and kinds["label"] == ("text", "string")
    steps = page.find("input", name="steps")[0]
    assert (steps["min"], steps["max"], steps["step"], steps["value"]) == ("1", "50", "1", "4")
    label = page.find("input", name="label")[0]
    assert "required" in label and label["maxlength"] == "32" and label["minlength"] == "1"
    selects = {a["name"]: a["data-kind"] for a in page.find("select") if a.get("name")}
    assert selects == {"mode": "enum", "quality": "enum", "style": "enum"}
    textareas = {a["name"]: a["data-kind"] for a in page.find("textarea")}
    assert textareas["tags"] == "json" and textareas["region"] == "json"
    assert [a for a in page.find("option", value="2") if "selected" in a]  # quality's default
    assert [a["data-track"] for a in page.find("img")] == ["main_video"]
    filter_values = [a["value"] for a in page.find("option") if a["value"] in surface["messages"]]
    assert sorted(set(filter_values)) == sorted(surface["messages"])
    assert surface["commands"]["inspect_file"] == {
        "method": "inspect_file",
        "args": {"file": "file", "note": "note"},
        "uploads": ["file"],
        "reply": "file_info",
    }
    assert surface["distribution"] == "reactor-models-feature-model"


def test_state_messages_come_first(tmp_path: Path) -> None:
    page, _ = _render(ROOT / "schemas" / "longlive-v2.json")
    states = [t for t, a in page.tags if "state" in (a.get("class") or "").split()]
    assert len(states) == 1  # the `state` message is shown open, before the others
    assert page.find("div", class_="latest state", data_type="state")


def test_schema_text_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    doc = json.loads((ROOT / "schemas" / "longlive-v2.json").read_text())
    doc = copy.deepcopy(doc)
    doc["info"]["title"] = "nasty-model"
    post = doc["paths"]["/events/set_shot"]["post"]
    post["summary"] = NASTY
    prop = post["requestBody"]["content"]["application/json"]["schema"]["properties"]["prompt"]
    prop["description"] = NASTY
    prop["default"] = NASTY
    schema = tmp_path / "nasty.json"
    schema.write_text(json.dumps(doc), encoding="utf-8")
    page, surface = _render(schema)
    scripts = page.find("script")
    assert scripts == [{"src": "static/playground.js", "defer": None}]
    assert not [a for _, a in page.tags if "onmouseover" in a]
    assert not page.find("b")
    prompts = page.find("textarea", name="prompt") + page.find("input", name="prompt")
    values = [a["value"] if "value" in a else page.text.get(a["id"] or "") for a in prompts]
    assert NASTY in values  # set_shot's default survives word for word
    assert NASTY in page.text["commands"]  # and so does its summary
    assert surface["commands"]["set_shot"]["method"] == "set_shot"


def test_html_filter() -> None:
    assert filters.html_text('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    assert filters.html_text("a\x00b\ud800c\nd") == "a b\ufffdc\nd"


def test_readme_section_renders_for_every_model() -> None:
    from reactor_gen.load import load_model
    from reactor_gen.render import make_environment
    from reactor_gen.render.views import build_view

    template = make_environment().get_template("readme/_playground.md.jinja")
    for schema in sorted((ROOT / "schemas").glob("*.json")):
        loaded = load_model(schema)
        view = build_view(loaded.ir, schema_name=schema.name, sha256=loaded.sha256)
        text = template.render(m=view)
        assert text.startswith("### Playground\n")
        assert f"pip install '{view.distribution}[playground]'" in text
        assert f"python -m reactor_models.{view.package} play --local" in text
