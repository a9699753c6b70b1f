"""Reading back the Markdown Debrief writes, as blocks of runs, for the Word layout (exports.docx).

It only needs to understand what Debrief writes: headings, pipe tables, bullets, paragraphs with hard
line breaks, fenced code (the causal tree's Mermaid), **bold** and _italic_ of our own, and backslash
escapes, behind which every character of user text sits. User text therefore never becomes structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # heading, paragraph, bullet, table, code
    level: int = 0
    lines: list[list[Run]] = field(default_factory=list)  # paragraph and bullet lines; code as one run each
    rows: list[list[list[Run]]] = field(default_factory=list)  # table rows of cells


def inline(text: str) -> list[Run]:
    """Runs of one line: backslash escapes become literal, unescaped ** and _ switch bold and italic."""
    runs: list[Run] = []
    buf: list[str] = []
    bold = italic = False
    i = 0

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), bold, italic))
            buf.clear()

    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            flush()
            bold = not bold
            i += 2
            continue
        if char == "_":
            flush()
            italic = not italic
            i += 1
            continue
        buf.append(char)
        i += 1
    flush()
    return runs


def split_row(line: str) -> list[str]:
    """The cells of a pipe-table row, split at unescaped pipes."""
    cells, buf, i = [], [], 0
    body = line.strip()[1:]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            buf.append(body[i:i + 2])
            i += 2
            continue
        if body[i] == "|":
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(body[i])
        i += 1
    return cells


def blocks(markdown: str) -> Iterator[Block]:
    """The blocks of Markdown written by Debrief, in order."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            yield Block("code", level=0, lines=[[Run(text)] for text in lines[i + 1:end]],
                        rows=[[[Run(line[3:].strip())]]])
            i = end + 1
        elif re.match(r"#{1,6} ", line):
            level = len(line) - len(line.lstrip("#"))
            yield Block("heading", level=level, lines=[inline(line[level + 1:])])
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            body = [r for n, r in enumerate(rows) if n != 1]  # the second line is the separator
            yield Block("table", rows=[[inline(c) for c in split_row(r)] for r in body])
        elif line.startswith("- "):
            item = [line[2:]]
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and not lines[i].startswith("- "):
                item.append(lines[i][2:])
                i += 1
            yield Block("bullet", lines=[inline(part.removesuffix("  ")) for part in item])
        elif line.strip():
            para = []
            while i < len(lines) and lines[i].strip() and not lines[i].startswith(("|", "- ", "#", "```")):
                para.append(lines[i])
                i += 1
            yield Block("paragraph", lines=[inline(part.removesuffix("  ")) for part in para])
        else:
            i += 1
