"""Make user text inert in Markdown: it is shown as typed, never as formatting, links or HTML."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=])")
_LEADING_SPACE = re.compile(r"^[ \t]+")


def md_inline(text: str) -> str:
    """Escape every Markdown and HTML character, and fold newlines, for inline use (titles, cells)."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _keep_indent(match: re.Match) -> str:
    # Four leading spaces would start a code block; non-breaking spaces keep the look, not the syntax.
    return "\u00a0" * len(match.group(0).expandtabs(4))


def md_block(text: str) -> str:
    """Escape a multi-line text, keeping its line breaks as Markdown line breaks."""
    lines = [_LEADING_SPACE.sub(_keep_indent, _SPECIAL.sub(r"\\\1", line)) for line in str(text).splitlines()]
    return "  \n".join(lines)
