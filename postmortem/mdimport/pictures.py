"""Pictures in imported Markdown, `![alt](url)` and `<img src=… alt=…>`, as linked evidence: the
address and the alt text are kept in the document's links; nothing is fetched (the importer never
reaches out to the network, and an address may be internal)."""

from __future__ import annotations

import html
import re

from postmortem.models import Link, LinkKind

_MARKDOWN = re.compile(r'!\[(?P<alt>[^\]\n]{0,500})\]\(\s*<?(?P<url>[^)\s>]{1,2000})>?(?:\s+"[^"\n]*")?\s*\)')
_TAG = re.compile(r"<img\b[^>]{0,3000}>", re.IGNORECASE)
_ATTRIBUTE = r"""\b{name}\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"""
_NOT_ADDRESSES = ("javascript:", "data:", "vbscript:")  # never links: scripts and inline bytes
_LABEL_CHARS = 190


def _attribute(tag: str, name: str) -> str:
    found = re.search(_ATTRIBUTE.format(name=name), tag, re.IGNORECASE)
    return html.unescape(next((v for v in found.groups() if v is not None), "")) if found else ""


def found_pictures(text: str) -> list[tuple[str, str]]:
    """(url, alt) of every picture, in the order written."""
    pictures = [(m.start(), m["url"], m["alt"]) for m in _MARKDOWN.finditer(text)]
    pictures += [(m.start(), _attribute(m[0], "src"), _attribute(m[0], "alt")) for m in _TAG.finditer(text)]
    return [(url.strip(), alt) for _, url, alt in sorted(pictures)]


def picture_links(text: str, known: list[Link]) -> list[Link]:
    """One link per picture address not already among `known`, labelled with its alt text."""
    seen = {link.url for link in known}
    links = []
    for url, alt in found_pictures(text):
        if not url or url in seen or url.lower().startswith(_NOT_ADDRESSES) or len(url) > 2000:
            continue
        seen.add(url)
        label = " ".join(f"Picture: {alt}".split()) if alt.strip() else "Picture"
        links.append(Link(url=url, label=label[:_LABEL_CHARS], kind=LinkKind.OTHER))
    return links
