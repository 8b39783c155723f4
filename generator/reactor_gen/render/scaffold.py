"""The starter project's view (``reactor-gen new`` / ``python -m reactor_models.<pkg> new``).

Every generated package carries its starter project as package data,
``reactor_models/<pkg>/_scaffold/`` (rendered from ``templates/scaffold/`` with the rest of
the package, black-formatted, committed with the goldens), with the app's name left as the
placeholders :data:`APP_NAME` / :data:`APP_DIST`. ``reactor_client.apps.scaffold`` turns
that into a project directory; ``reactor-gen new`` renders the same files in memory and
hands them to the same code, so both entry points write identical bytes.

"The minimum a model needs to produce video" is derived from the schema here
(:func:`derive_setup`); the rules, in order:

1. **Input video tracks** the model's description names in backticks (x2: "publishes a
   live `source` video track") are published (a media file, else a test pattern); other
   input tracks are only published when main.py is given a file for them.
2. A command named ``start`` with no required parameters is the last step. What it
   **requires** comes from the sentences of its description that say "require"/"need":
   the backticked names of other commands in them (longlive-v2: "Requires an opening shot
   set via `set_shot`"), else the commands ``set_<noun>`` for the head nouns of those
   sentences (helios: "Requires a prompt at chunk 0" → ``set_prompt``; lingbot:
   "Requires both a prompt and a seed image" → ``set_prompt``, ``set_image``).
3. Without a ``start`` command, commands whose description says they arm, start, begin or
   trigger generation (x2's ``set_prompt``: "Setting a prompt arms generation").
4. Otherwise nothing: the schema does not say (feature-model streams from the start).

Arguments: every required parameter, and string parameters whose default is ``""`` (an
empty prompt is "unset", not a value). Values are the schema's own (defaults, enum
members) where it has one; otherwise a placeholder marked in a comment as one to replace
(a sample prompt, a minimum, ``image.png`` for an upload).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from reactor_gen.ir.model import Field, ModelIR
from reactor_gen.render.examples import SAMPLE_TEXT, example_value
from reactor_gen.render.filters import py_value
from reactor_gen.types import StringType, UploadType

__all__ = [
    "APP_DIST",
    "APP_NAME",
    "FILES",
    "InputView",
    "ScaffoldView",
    "SetupArg",
    "SetupStep",
    "build_scaffold_view",
    "derive_setup",
    "model_requirement",
]

APP_NAME = "@@app-name@@"
"""Placeholder for the app's name as given (``my-app``), replaced when a project is written."""
APP_DIST = "@@app-dist@@"
"""Placeholder for the app's distribution name (PEP 503-normalised)."""

FILES: tuple[tuple[str, str, str], ...] = (
    (".env.example", "env.example", "scaffold/env.example.jinja"),
    (".gitignore", "gitignore", "scaffold/gitignore.jinja"),
    ("README.md", "README.md", "scaffold/README.md.jinja"),
    ("main.py", "main.py", "scaffold/main.py.jinja"),
    ("pyproject.toml", "pyproject.toml", "scaffold/pyproject.toml.jinja"),
    ("token_server.py", "token_server.py", "scaffold/token_server.py.jinja"),
)
"""(path in the project, file in ``_scaffold/``, template) of every file of the starter."""

_COMMENT_WIDTH = 84
EDIT_TEXT = "Turn it into a watercolour painting"


@dataclass(frozen=True)
class SetupArg:
    py_name: str
    value: str
    """A Python literal."""
    placeholder: bool
    """True when the schema gives no value (the comment says to replace it)."""
    comment: str
    """What the parameter is, and where the value comes from (one paragraph)."""


@dataclass(frozen=True)
class SetupStep:
    command: str
    """Wire name."""
    method_name: str
    args: tuple[SetupArg, ...]
    reason: str
    """Why this step is part of the minimum (markdown, quotes the schema)."""

    @property
    def call(self) -> str:
        """``await model.<method>(<kw>=<value>, ...)``."""
        kwargs = ", ".join(f"{a.py_name}={a.value}" for a in self.args)
        return f"await model.{self.method_name}({kwargs})"

    @property
    def comment_lines(self) -> tuple[str, ...]:
        """``#`` comment lines (without the ``#``) that go above the call."""
        lines: list[str] = []
        for a in self.args:
            if a.placeholder:
                lines.extend(textwrap.wrap(a.comment, _COMMENT_WIDTH))
        return tuple(lines)


@dataclass(frozen=True)
class InputView:
    name: str
    attr_name: str
    publish_name: str
    option: str
    """main.py's option naming a media file for it (``--source``)."""
    dest: str
    required: bool
    """Published with a test pattern when no file is given (rule 1)."""


@dataclass(frozen=True)
class ScaffoldView:
    app_name: str
    app_dist: str
    model_requirement: str
    main_track: str
    """Output track main.py records ("" when the model has none)."""
    main_track_kind: str
    inputs: tuple[InputView, ...]
    steps: tuple[SetupStep, ...]
    rule: str
    """How the steps were derived (markdown, one paragraph)."""
    has_placeholders: bool

    @property
    def files(self) -> tuple[tuple[str, str], ...]:
        """(path in the project, file in ``_scaffold/``) of every file."""
        return tuple((project, data) for project, data, _template in FILES)

    @property
    def required_inputs(self) -> tuple[InputView, ...]:
        return tuple(i for i in self.inputs if i.required)


def model_requirement(distribution: str, package_version: str) -> str:
    """``reactor-models-x>=3.0.5,<4`` (``>=0.2.2,<0.3`` below 1.0): this release and
    whatever the model's semver promises is compatible with it."""
    parts = [int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", package_version)[:3]]
    parts += [0] * (3 - len(parts))
    major, minor = parts[0], parts[1]
    upper = f"{major + 1}" if major > 0 else f"0.{minor + 1}"
    return f"{distribution}>={package_version},<{upper}"


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.;!?])\s+", text.strip()) if s.strip()]


_PHRASE_BREAKS = frozenset(
    "and or both either a an the at via in on with before after from to of for by "
    "otherwise then also is are be been must first".split()
)
_TOKEN = re.compile(r"`[^`]+`|[A-Za-z][\w-]*|\d+|[^\sA-Za-z\d`]")
_ARMS = re.compile(r"\b(arms|starts|begins|triggers)\s+(the\s+)?generation\b", re.IGNORECASE)
_NEEDS = re.compile(r"\b(requir\w*|needs?)\b", re.IGNORECASE)


def _head_nouns(sentence: str) -> list[str]:
    """The last word of each phrase of ``sentence`` (phrases end at punctuation,
    conjunctions, articles and prepositions): "Requires both a prompt and a seed image"
    → ``Requires``, ``prompt``, ``image``."""
    heads: list[str] = []
    phrase: list[str] = []
    for token in [*_TOKEN.findall(sentence), "."]:
        if token.lower() in _PHRASE_BREAKS or not (token[0].isalnum() or token[0] == "`"):
            if phrase:
                heads.append(phrase[-1])
            phrase = []
        else:
            phrase.append(token)
    return heads


def _quote(text: str) -> str:
    return "“" + text.replace("\n", " ").strip().rstrip(";,:") + "”"


def _arg(f: Field) -> SetupArg | None:
    """The argument a setup step passes for ``f`` (``None``: leave it to its default)."""
    empty_default = f.has_default and f.default == "" and isinstance(f.type, StringType)
    if f.has_default and not empty_default:
        return None
    if not f.required and not empty_default:
        return None
    value = example_value(f)
    if value == SAMPLE_TEXT and "edit" in f.description.lower():
        value = EDIT_TEXT  # an editing instruction, not a scene
    if value is None:
        value = ""
    from_schema = f.has_default and not empty_default
    if f.type.choices:
        from_schema = True
    first = _sentences(f.description)
    what = first[0].rstrip(".") if first else f"the {f.name} parameter"
    inner = f.type.unwrap()
    if isinstance(inner, UploadType):
        note = (
            f"{f.py_name}: {what}. The schema has no example file: put yours at {value} "
            "or change the path."
        )
    elif isinstance(inner, StringType) and value in (SAMPLE_TEXT, EDIT_TEXT):
        note = f"{f.py_name}: {what}. The schema gives no example: a placeholder, write your own."
    else:
        note = f"{f.py_name}: {what}. The schema gives no example: a placeholder value."
    return SetupArg(f.py_name, py_value(value), not from_schema, note)


def derive_setup(ir: ModelIR) -> tuple[tuple[SetupStep, ...], str]:
    """The setup steps (rules 2-4 of the module docstring) and a sentence saying which
    rule produced them."""
    by_name = {c.name: c for c in ir.commands}

    def step(name: str, reason: str) -> SetupStep:
        c = by_name[name]
        args = tuple(a for f in c.params.fields if (a := _arg(f)) is not None)
        return SetupStep(c.name, c.method_name, args, reason)

    start = by_name.get("start")
    if start is not None and all(not f.required for f in start.params.fields):
        needs = [s for s in _sentences(start.description) if _NEEDS.search(s)]
        wanted: list[tuple[str, str]] = []
        for sentence in needs:
            named = [t[1:-1] for t in _TOKEN.findall(sentence) if t.startswith("`")]
            found = [n for n in named if n in by_name and n != "start"]
            if not found:
                found = [
                    f"set_{h.lower()}"
                    for h in _head_nouns(sentence)
                    if f"set_{h.lower()}" in by_name
                ]
            for name in found:
                if name not in {w for w, _ in wanted}:
                    wanted.append((name, sentence))
        steps = [
            step(name, f"`start` requires it: {_quote(sentence)}") for name, sentence in wanted
        ]
        first = _sentences(start.description)[0]
        steps.append(step("start", f"begins generation: {_quote(first)}"))
        if wanted:
            rule = (
                "`start` begins generation, and its description says what it requires: "
                + ", ".join(f"`{n}`" for n, _ in wanted)
                + "."
            )
        else:
            rule = "`start` begins generation; its description names nothing it requires."
        return tuple(steps), rule
    arming = [
        c.name
        for c in ir.commands
        if c.name != "start" and any(_ARMS.search(s) for s in _sentences(c.description))
    ]
    if arming:
        steps = []
        for name in arming:
            sentence = next(s for s in _sentences(by_name[name].description) if _ARMS.search(s))
            steps.append(step(name, f"starts generation: {_quote(sentence)}"))
        rule = (
            "There is no `start` command; the schema says "
            + ", ".join(f"`{n}`" for n in arming)
            + " starts generation."
        )
        return tuple(steps), rule
    return (), (
        "The schema names no command that starts generation (no `start`, nothing that says "
        "it arms or starts generation), so setup() sends nothing: the model is expected to "
        "stream once connected."
    )


_RESERVED_OPTIONS = frozenset({"local", "url", "seconds", "out", "help"})


def build_scaffold_view(ir: ModelIR, distribution: str) -> ScaffoldView:
    steps, rule = derive_setup(ir)
    outputs = [t for t in ir.tracks if t.direction == "out"]
    main = next((t for t in outputs if t.kind == "video"), outputs[0] if outputs else None)
    inputs: list[InputView] = []
    for t in ir.tracks:
        if t.direction != "in" or t.kind != "video":
            continue
        option = t.name.replace("_", "-")
        if option in _RESERVED_OPTIONS:
            option = f"{option}-track"
        inputs.append(
            InputView(
                name=t.name,
                attr_name=t.attr_name,
                publish_name=t.publish_name,
                option=f"--{option}",
                dest=option.replace("-", "_"),
                required=f"`{t.name}`" in ir.description,
            )
        )
    return ScaffoldView(
        app_name=APP_NAME,
        app_dist=APP_DIST,
        model_requirement=model_requirement(distribution, ir.package_version),
        main_track=main.name if main is not None else "",
        main_track_kind=main.kind if main is not None else "",
        inputs=tuple(inputs),
        steps=steps,
        rule=rule,
        has_placeholders=any(a.placeholder for s in steps for a in s.args),
    )
