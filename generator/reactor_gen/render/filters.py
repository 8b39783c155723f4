"""Escaping helpers used as Jinja filters: schema text never reaches generated code raw.

Every helper is total (any ``str`` in, valid output out) and deterministic.
"""

from __future__ import annotations

import re

from reactor_gen.pyliterals import (
    _escape_controls,
    comment_text,
    md_code,
    py_literal,
    py_str,
    py_value,
)

__all__ = [
    "comment_text",
    "docstring",
    "html_comment_text",
    "html_text",
    "md_cell",
    "md_code",
    "md_inline",
    "py_literal",
    "py_str",
    "py_value",
    "toml_str",
    "with_extra",
]


def docstring(text: str) -> str:
    """The body of a ``\"\"\"...\"\"\"`` docstring showing ``text``.

    Backslashes, triple quotes, a trailing quote, control characters and lone
    surrogates are escaped; newlines are kept (the template indents them); trailing
    whitespace is removed from each line. Nothing in ``text`` can end the string.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.strip().split("\n")]
    text = "\n".join(lines)
    text = text.replace("\\", "\\\\")
    text = _escape_controls(text, keep_newlines=True)
    # no run of two quotes survives unescaped, nor a quote at either end
    text = re.sub(r'"(?=")', lambda _: '\\"', text)
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    if text.startswith('"'):
        text = "\\" + text
    return text


def html_comment_text(text: str) -> str:
    """One line of text for an HTML comment (``--`` cannot appear)."""
    text = comment_text(text)
    while "--" in text:
        text = text.replace("--", "- -")
    return text


def html_code_text(value: object) -> str:
    """:func:`html_text`, with Markdown code spans (```x```) shown as ``<code>x</code>``."""
    import re

    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", html_text(value))


def html_text(value: object) -> str:
    """Text for HTML element content or a double- or single-quoted attribute value: ``&``,
    ``<``, ``>``, ``"`` and ``'`` escaped, control characters (but newlines and tabs) and
    lone surrogates replaced, so nothing in ``value`` can open a tag or end an attribute."""
    text = str(value)
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif code < 0x20 or code == 0x7F:
            out.append(" ")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(_HTML_ESCAPES.get(ch, ch))
    return "".join(out)


_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}


def md_inline(text: str) -> str:
    """Markdown prose on one line: newlines collapsed, lone surrogates dropped."""
    text = comment_text(text.replace("\r\n", "\n")).strip()
    return re.sub(r"\s*\n\s*", " ", text)


def md_cell(text: str) -> str:
    """Text for a markdown table cell: ``|`` escaped, newlines → spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ")
    text = comment_text(text).strip()
    return text.replace("\\", "\\\\").replace("|", "\\|")


def md_text(text: str) -> str:
    """Markdown paragraph text: kept as written (line breaks preserved), control
    characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return "\n".join(comment_text(line).rstrip() for line in text.split("\n"))


def toml_str(value: str) -> str:
    """A TOML basic string literal."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def wrap(text: str, width: int = 80) -> str:
    """Wrap each line of ``text`` longer than ``width`` at spaces, keeping the line's
    indentation (for docstrings and README prose that come out of schema text)."""
    import textwrap

    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        stripped = line.lstrip(" ")
        indent = line[: len(line) - len(stripped)]
        extra = "    " if re.match(r"[A-Za-z_][\w.]*: ", stripped) and indent else ""
        out.extend(
            textwrap.wrap(
                stripped,
                width=width,
                initial_indent=indent,
                subsequent_indent=indent + extra,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)


def with_extra(requirement: str, extra: str) -> str:
    """``"reactor-client>=0.2.2,<0.3"`` with ``extra`` → ``"reactor-client[extra]>=0.2.2,<0.3"``."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    name = match.group(0)
    return f"{name}[{extra}]{requirement[len(name) :]}"
