"""Footnotes ("…took 279 minutes[^3]" with "[^3]: We had 3 incidents that day…" at the end) written
into the text on import. A document is split into fields: the note would land in whatever section
came last (often the appendix) and its mark would stay behind as "[^3]", pointing nowhere. So each
mark becomes the note itself, in brackets, where the author put the mark, and the definitions go.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from postmortem.mdimport.references import code_lines

_PARSER = MarkdownIt("commonmark").use(footnote_plugin)
_MARK = re.compile(r"(?<!\\)\[\^(?P<label>[^\]\s]+)\](?!:)")


def inline_footnotes(text: str) -> str:
    """The text with every footnote mark that has a definition replaced by the note, and those
    definitions removed. Marks without a definition, and anything in code, stay as written."""
    if "[^" not in text:
        return text
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    notes, spans = _definitions(tokens)
    if not notes:
        return text
    defined = {n for start, end in spans for n in range(start, end)}
    code = code_lines(tokens)
    out = [
        line if n in code else _with_notes(line, notes)
        for n, line in enumerate(text.split("\n"))
        if n not in defined
    ]
    return "\n".join(out).rstrip("\n") + ("\n" if text.endswith("\n") else "")


def _definitions(tokens: list) -> tuple[dict[str, str], list[tuple[int, int]]]:
    """Each footnote's text by label, and the source lines its definition takes."""
    notes: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    label, parts, lines = None, [], []
    for token in tokens:
        if token.type == "footnote_open":
            label, parts, lines = token.meta["label"], [], []
        elif token.type == "footnote_close" and label is not None:
            notes[label] = " ".join(" ".join(parts).split())
            if lines:
                spans.append((min(s for s, _ in lines), max(e for _, e in lines)))
            label = None
        elif label is not None:
            if token.map:
                lines.append(tuple(token.map))
            if token.type == "inline":
                parts.append(token.content)
    return {k: v for k, v in notes.items() if v}, spans


def _with_notes(line: str, notes: dict[str, str]) -> str:
    in_table = line.lstrip().startswith("|")

    def note(match: re.Match) -> str:
        text = notes.get(match["label"])
        if text is None:
            return match.group(0)
        if in_table:
            text = text.replace("|", "\\|")
        before = line[match.start() - 1] if match.start() else " "
        return ("" if before.isspace() else " ") + f"({text})"

    return _MARK.sub(note, line)
