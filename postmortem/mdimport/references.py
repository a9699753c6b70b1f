"""Reference-style links ("[call for beta testers][beta]" with "[beta]: https://…" at the end of the
document) written inline on import. A document is split into fields, and a field only holds its own
text: a reference whose definition went elsewhere would show as brackets, its address lost from view."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference

# [text][label], [text][] and [label] (images too); never an inline link or a definition itself. The text
# may wrap onto the next line, as in a paragraph, but no further.
_REFERENCE = re.compile(
    r"(?<![\\\]])\[(?P<text>[^\[\]\n]+(?:\n[^\[\]\n]+)?)\](?:\[(?P<label>[^\[\]\n]*)\])?(?![(:\[])"
)
_CODE_SPAN = re.compile(r"(`+)[^`](?:.|\n(?!\s*\n))*?\1")


def inline_references(text: str) -> str:
    """The text with every reference-style link that has a definition written as an inline link."""
    env: dict = {}
    tokens = MarkdownIt("commonmark").parse(text, env)
    found = env.get("references") or {}
    if not found:
        return text
    code = code_lines(tokens)
    lines, out, prose = text.split("\n"), [], []
    for n, line in enumerate(lines + [None]):
        if line is None or n in code:
            if prose:
                out.append(_written_inline("\n".join(prose), found))
                prose = []
            if line is not None:
                out.append(line)
        else:
            prose.append(line)
    return "\n".join(out)


def code_lines(tokens: list) -> set[int]:
    """The source lines (0-based) inside fenced or indented code, from markdown-it's tokens."""
    return {n for t in tokens if t.type in ("fence", "code_block") and t.map for n in range(*t.map)}


def _inline(match: re.Match, found: dict) -> str:
    label = match["label"] or match["text"]
    target = found.get(normalizeReference(label))
    if target is None:
        return match.group(0)
    title = target.get("title") or ""
    address = target["href"].replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{match['text']}]({address}" + (f' "{title}"' if title and '"' not in title else "") + ")"


def _written_inline(prose: str, found: dict) -> str:
    """Every reference link of the prose written inline, except brackets inside a code span (`[beta]`)."""
    spans = [m.span() for m in _CODE_SPAN.finditer(prose)]
    in_code = lambda at: any(start <= at < end for start, end in spans)  # noqa: E731 - one use, read at once
    return _REFERENCE.sub(lambda m: m.group(0) if in_code(m.start()) else _inline(m, found), prose)
