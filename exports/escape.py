"""User text in Markdown. Narrative fields are Markdown and pass through (md_text, md_cell), normalised by
exports.mdtext: no HTML, nothing the structure around them cannot hold. Messages in the app that quote a
user's words use md_inline / md_block, which make text inert: shown as typed, never as formatting."""

from __future__ import annotations

import re

from exports.mdtext import normalised

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


# --- Narrative Markdown, passed through ---------------------------------------------------------------

_HARD_BREAK = re.compile(r"(\\|  +)\n")


def md_text(text: str, *, depth: int = 2) -> str:
    """A narrative field's Markdown as a block, normalised (exports.mdtext), with its own headings moved
    below the section's level `depth` so they can never outrank the document's sections."""
    return normalised(str(text), depth)


_BLOCK_MARK = re.compile(r"^\s*(?:>\s?)*(?:#{1,6}\s+|(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?)?")
_FENCE = re.compile(r"^\s*(```|~~~)")


def md_cell(text: object) -> str:
    """A narrative field's Markdown on one line, for a table cell or after a label: a table row holds
    neither line breaks nor blocks, so lines are joined and list, quote and heading marks and code
    fences are dropped (their words stay), and a `|` is escaped."""
    lines = _HARD_BREAK.sub("\n", normalised(str(text))).split("\n")
    if len(lines) > 1:
        lines = [_BLOCK_MARK.sub("", line) for line in lines if not _FENCE.match(line)]
    return _escape_pipes(" ".join(" ".join(lines).split()))


_PIPE_OR_ESCAPE = re.compile(r"(\\.)|\|")


def _escape_pipes(line: str) -> str:
    """Every `|` not already escaped gets a backslash (an escaped character is passed over whole)."""
    return _PIPE_OR_ESCAPE.sub(lambda m: m.group(1) or "\\|", line) if "|" in line else line
