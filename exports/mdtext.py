"""The one Markdown dialect of Debrief's narrative fields: CommonMark with GitHub's tables, task lists,
strikethrough and autolinks, read by one markdown-it parser (mdformat's, with its GFM plugin).

Raw HTML is never passed on: an `<img>` becomes a Markdown image, `<br>` a line break, and any other tag is
dropped while the words inside it are kept. Everything that shows narrative text (the app, the Markdown
and Word exports) goes through `parser()` or `normalised()`, so they all read a field the same way.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import cache, lru_cache
from html.parser import HTMLParser
from types import SimpleNamespace

import mdformat
import mdformat.plugins
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_DEMOTE_BY: ContextVar[int] = ContextVar("demote_by", default=0)  # set only while one field is normalised
_EMBEDS = {
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "canvas",
    "svg",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "frame",
    "frameset",
    "applet",
    "math",
}
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# The task-list plugin marks a "[x]" item with this exact (inert) HTML; it is the only HTML let through.
CHECKBOXES = {
    '<input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox">': True,
    '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">': False,
}
_OPTIONS = {"number": True, "wrap": "keep"}  # keep the author's list numbers and line breaks


class _HtmlWords(HTMLParser):
    """The words and images of a piece of HTML; every tag itself is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str, str]] = []  # ("text", words, "") or ("img", src, alt)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(("text", " ".join(data.split()), ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img" and found.get("src"):
            self.parts.append(("img", found["src"] or "", found.get("alt") or found.get("title") or "image"))
        elif tag in _EMBEDS:  # content with no words of its own: say it was there
            self.parts.append(("text", f"(HTML {tag} left out)", ""))


def _html_tokens(html: str, md: MarkdownIt) -> list[Token]:
    """Inline tokens for a piece of HTML: its words as text, images as images (only with a safe URL)."""
    if _BR.fullmatch(html.strip()):
        return [Token("hardbreak", "br", 0)]
    reader = _HtmlWords()
    reader.feed(html)
    reader.close()
    tokens: list[Token] = []
    for kind, value, alt in reader.parts:
        if kind == "text":
            token = Token("text", "", 0, content=value)
        elif md.validateLink(md.normalizeLink(value)):
            token = Token("image", "img", 0, attrs={"src": md.normalizeLink(value), "alt": ""}, content=alt)
            token.children = [Token("text", "", 0, content=alt)]
        else:
            continue  # an image whose address could run script is dropped
        tokens += [Token("text", "", 0, content=" "), token] if tokens else [token]
    return tokens


def _without_html(state: StateCore) -> None:
    """Core rule: HTML blocks and inline tags become words (and images); headings move down a level."""
    out: list[Token] = []
    for token in state.tokens:
        if token.type == "html_block":
            children = _html_tokens(token.content, state.md)
            if children:
                inline = Token("inline", "", 0, content=token.content, map=token.map, children=children)
                out += [
                    Token("paragraph_open", "p", 1, map=token.map),
                    inline,
                    Token("paragraph_close", "p", -1),
                ]
            continue
        if token.type == "inline" and token.children:
            token.children = [
                t
                for child in token.children
                for t in (
                    _html_tokens(child.content, state.md)
                    if child.type == "html_inline" and child.content not in CHECKBOXES
                    else [child]
                )
            ]
        if token.type in ("heading_open", "heading_close") and _DEMOTE_BY.get():
            level = min(6, int(token.tag[1]) + _DEMOTE_BY.get())
            token.tag, token.markup = f"h{level}", "#" * level
        out.append(token)
    state.tokens = out


def _update_mdit(mdit: MarkdownIt) -> None:
    mdit.core.ruler.push("debrief_without_html", _without_html)


# An mdformat parser extension, registered under our own name, so mdformat's parser is the app's parser.
mdformat.plugins.PARSER_EXTENSIONS["debrief"] = SimpleNamespace(
    update_mdit=_update_mdit, RENDERERS={}, POSTPROCESSORS={}, CHANGES_AST=True
)
_EXTENSIONS = ("gfm", "debrief")


@cache
def parser() -> MarkdownIt:
    """The markdown-it parser every view of narrative text uses (HTML rendering, Word layout)."""
    return _built()


@cache
def _trusting() -> MarkdownIt:
    """The same parser, but taking every link address: other renderers may not refuse `javascript:`
    as markdown-it does, so an escape that keeps such a link from forming is never needless."""
    mdit = _built()
    mdit.validateLink = lambda url: True
    return mdit


def _built() -> MarkdownIt:
    mdit = MarkdownIt("commonmark")
    mdit.options["mdformat"], mdit.options["parser_extension"] = _OPTIONS, []
    for name in _EXTENSIONS:
        plugin = mdformat.plugins.PARSER_EXTENSIONS[name]
        mdit.options["parser_extension"].append(plugin)
        plugin.update_mdit(mdit)
    return mdit


_MARKUP_CHARS = frozenset("\\`*_[]<>!#|~&")
_BLOCK_START = re.compile(r"[-+=]|\d+[.)]")


def is_plain(text: str) -> bool:
    """One line that no Markdown construct can touch, which mdformat would give back unchanged: most
    event texts, titles and names. They skip the formatter (a large document has thousands)."""
    return (
        text.isprintable()
        and "  " not in text
        and text == text.strip()
        and not _MARKUP_CHARS.intersection(text)
        and not _BLOCK_START.match(text)
    )


@lru_cache(maxsize=4096)
def normalised(text: str, demote_by: int = 0) -> str:
    """The author's Markdown rewritten by mdformat: same meaning, no HTML, headings `demote_by` levels down."""
    text = text.replace("\x00", "")  # CommonMark would show U+FFFD; Word and XML cannot hold it at all
    if not text.strip():
        return ""
    if is_plain(text):
        return text
    reset = _DEMOTE_BY.set(demote_by)
    try:
        return _without_needless_backslashes(
            mdformat.text(text, extensions=_EXTENSIONS, options=_OPTIONS).rstrip("\n")
        )
    finally:
        _DEMOTE_BY.reset(reset)


def _without_needless_backslashes(markdown: str) -> str:
    """mdformat escapes every character that could ever be syntax (`a\\_b`, a lone `\\*`); a backslash
    whose removal renders the same is dropped, so the Markdown reads as a person would write it."""
    if "\\" not in markdown:
        return markdown
    rendered = _trusting().render(markdown)
    i = 0
    while (i := markdown.find("\\", i)) != -1:
        shorter = markdown[:i] + markdown[i + 1 :]
        if not guards_emphasis(markdown, i) and _trusting().render(shorter) == rendered:
            markdown = shorter
            i += 1  # the escaped character is now plain text; look past it
        else:
            i += 2
    return markdown


def guards_emphasis(markdown: str, i: int) -> bool:
    """Whether the backslash at `i` escapes a `*` of a run that touches a word on one side (`**Note`): a
    marker the author left without its partner. It renders the same without the escape, but a reader of
    the Markdown would take it for bold, and joined with more text (a table cell) it could find a partner."""
    if markdown[i : i + 2] != "\\*":
        return False
    start, end = i, i
    while start > 0 and markdown[start - 1] in "\\*":
        start -= 1
    while end < len(markdown) and markdown[end] in "\\*":
        end += 1
    return bool(markdown[start - 1 : start].strip() or markdown[end : end + 1].strip())


def html(text: str) -> str:
    """Narrative Markdown as safe HTML for the app's read-only views: what the exports show, except that
    a picture is a link to it (as in Word), so viewing a draft never fetches an address someone typed."""
    return _display().render(text.replace("\x00", ""))


@cache
def _display() -> MarkdownIt:
    mdit = _built()

    def image_as_link(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env) or "image"
        return f'<a href="{escapeHtml(str(token.attrs.get("src", "")))}">Image: {escapeHtml(alt)}</a>'

    mdit.add_render_rule("image", image_as_link)
    return mdit


@lru_cache(maxsize=4096)
def lead(text: str) -> tuple[str, bool]:
    """A text's opening paragraph (its source, "" when it opens with a list, code or table) and whether
    more follows: a table cell can hold the one, the rest goes below the table."""
    if is_plain(text):
        return text, False
    tokens = parser().parse(text)
    if not tokens:
        return "", False
    first = tokens[0]
    if first.type != "paragraph_open" or not first.map:
        return "", True
    opening = "\n".join(text.split("\n")[first.map[0] : first.map[1]])
    return opening, len(tokens) > 3
