"""Where in a field a phrase stands: code, a link or package name, a heading, a question, a quote.

Computed once per field (`Context.of(text)`), every scan linear in the text: the rules ask
`ctx.kinds_at(start, end)` and skip the kinds they declare in `skip_in`. Code is never checked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

KINDS = ("code", "url", "heading", "question", "quote", "compound")

# Fenced blocks first (they may hold backticks), then inline code spans on one line.
_FENCE_LINE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.MULTILINE)
_INDENTED = re.compile(r"(?:^(?: {4}|\t)[^\n]*(?:\n|\Z))+", re.MULTILINE)
_INLINE_CODE = re.compile(r"``[^\n]*?``|`[^`\n]*`")
# Links, bare addresses, npm scopes (@scope/name), pinned packages (name@1.2), file paths.
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>()\]]+|\]\([^)\s]*\)|<[a-z]+://[^>\s]*>"
    r"|(?<![\w.@])@[\w.-]+/[\w./-]+|(?<![\w.-])[\w.-]++@\d[\w.-]*"
    r"|(?<![\w/])(?:~|\.{1,2})?(?:/[\w.-]+){2,}/?",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t][^\n]*|\*\*[^*\n]+\*\*:?[ \t]*|__[^_\n]+__:?[ \t]*)$|^[^\n]+\n[ \t]*(?:=+|-+)[ \t]*$",
    re.MULTILINE,
)
_QUOTE = re.compile(r"“[^”\n]{1,400}”|\"[^\"\n]{1,400}\"|‘[^’\n]{1,400}’|^[ \t]{0,3}>[^\n]*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n[ \t]*(?=\n|[-*+>#|]|\d+[.)])")  # a soft wrap does not end one


@dataclass
class Context:
    """Sorted, merged spans of each kind, each kind scanned the first time a rule asks for it.

    Most fields have no candidate match at all, so most fields never pay for a scan.
    """

    text: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> Context:
        return cls(text)

    def spans_of(self, kind: str) -> list[tuple[int, int]]:
        if kind not in self.spans:
            self.spans[kind] = _merged(_SCANS[kind](self.text))
        return self.spans[kind]

    def kinds_at(self, start: int, end: int) -> set[str]:
        """The kinds of context that overlap text[start:end] (a hyphen touching it makes a compound)."""
        return {kind for kind in KINDS if self.in_any(start, end, (kind,))}

    def in_any(self, start: int, end: int, kinds: tuple[str, ...] | frozenset[str]) -> bool:
        for kind in kinds:  # a plain loop: this runs once per match, and a dense field has thousands
            if (
                _in_compound(self.text, start, end)
                if kind == "compound"
                else _overlaps(self.spans_of(kind), start, end)
            ):
                return True
        return False


def _code(text: str) -> list[tuple[int, int]]:
    if "`" not in text and "~~~" not in text and "    " not in text and "\t" not in text:
        return []
    return _fences(text) + _spans(_INDENTED, text) + _spans(_INLINE_CODE, text)


_SCANS = {
    "code": _code,
    "url": lambda text: _spans(_URL, text),
    "heading": lambda text: _spans(_HEADING, text),
    "question": lambda text: _questions(text) if "?" in text else [],
    "quote": lambda text: _spans(_QUOTE, text),
}


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def _fences(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks, by one pass over fence lines; an unclosed fence runs to the end."""
    spans, opened = [], None
    for match in _FENCE_LINE.finditer(text):
        if opened is None:
            opened = match
        elif match.group(1)[0] == opened.group(1)[0] and len(match.group(1)) >= len(opened.group(1)):
            line_end = text.find("\n", match.end())
            spans.append((opened.start(), len(text) if line_end < 0 else line_end))
            opened = None
    if opened is not None:
        spans.append((opened.start(), len(text)))
    return spans


def _questions(text: str) -> list[tuple[int, int]]:
    """Sentences ending in '?': one pass over sentence ends (a per-position regex would be quadratic)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if "?" in match.group(0):
            spans.append((start, match.end()))
        start = match.end()
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    if not spans:  # most fields hold no code, link or quote at all
        return False
    i = bisect_right(spans, (start, float("inf"))) - 1  # the last span starting at or before `start`
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end


def _in_compound(text: str, start: int, end: int) -> bool:
    """ "lazy-loaded", "error-prone": a hyphen joins the match to a neighbouring word."""
    before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum()
    return before or after
