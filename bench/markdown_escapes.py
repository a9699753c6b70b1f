"""`python -m bench markdown_escapes`: needless backslashes per 100 words in exported Markdown.

A backslash is needless when the rendering is the same without it: `INC\\-2026`, `14\\:02`. Measured on
the owning team's Markdown of the demo post-mortems and of real post-mortems imported from Markdown
(tests/data/markdown and its export_samples/ and real/ folders). The baseline, in the same run, is the
same documents' narrative text escaped the way exports did before narrative became Markdown
(exports.escape.md_block: every Markdown character escaped).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bench.report import Figure, ratio
from exports.escape import md_block
from exports.mdtext import guards_emphasis, parser
from exports.render import render
from postmortem.demo import demo_documents
from postmortem.mdimport import import_markdown
from postmortem.models import PostMortem

TARGET = 0.5  # needless backslashes per 100 words, at most
SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "markdown"
_TAG = re.compile(r"<[^>]+>")


def real_documents() -> list[tuple[str, PostMortem]]:
    """Every Markdown post-mortem kept for tests, imported as a user would import it."""
    files = (
        sorted(SAMPLES.glob("*.md"))
        + sorted((SAMPLES / "export_samples").glob("*.md"))
        + sorted((SAMPLES / "real").glob("**/*.md"))
    )
    files = [f for f in files if f.name.upper() not in ("SOURCES.MD", "README.MD", "LICENSE.MD")]
    return [(f.name, import_markdown(f.read_text(encoding="utf-8"), name=f.name).doc) for f in files]


def words(markdown: str) -> int:
    """The words a reader sees once the Markdown is rendered."""
    return len(re.findall(r"\w+", _TAG.sub(" ", parser().render(markdown))))


def needless_backslashes(markdown: str) -> int:
    """Backslashes whose removal leaves the rendered HTML unchanged, except the one that keeps a lone `**`
    the author wrote from reading as bold (exports.mdtext.guards_emphasis)."""
    render_ = parser().render
    rendered, needless, i = render_(markdown), 0, 0
    while (i := markdown.find("\\", i)) != -1:
        if not guards_emphasis(markdown, i) and render_(markdown[:i] + markdown[i + 1 :]) == rendered:
            needless += 1
        i += 2  # a backslash escapes the character after it, itself included
    return needless


def narrative(doc: PostMortem) -> Iterator[str]:
    """The free text of a document, as the old exporter received it."""
    yield doc.summary
    yield doc.impact.description
    yield doc.root_cause.statement
    for notes in (doc.went_well, doc.went_wrong, doc.lessons, doc.where_we_got_lucky):
        yield from (n.text for n in notes)
    yield from (e.text for e in doc.timeline)
    yield from (f.text for f in doc.contributing_factors)
    yield from (a.title for a in doc.action_items)
    yield from (p.text for p in doc.imported)


def _per_100_words(markdowns: list[str]) -> float:
    total_words = sum(words(m) for m in markdowns) or 1
    return 100 * sum(needless_backslashes(m) for m in markdowns) / total_words


def run(**_: object) -> list[Figure]:
    figures = []
    for label, docs in (("demo", demo_documents()), ("real imported", [d for _, d in real_documents()])):
        exported = [render(d, "team", "md", country="US").decode("utf-8") for d in docs]
        old = ["\n\n".join(md_block(t) for t in narrative(d) if t.strip()) for d in docs]
        ours, before = _per_100_words(exported), _per_100_words(old)
        figures.append(
            Figure(
                f"markdown_escapes:{label} needless backslashes per 100 words",
                ours,
                "per 100 words",
                before,
                ratio(ours, before),
                f"<= {TARGET:g}",
                ours <= TARGET,
                note=f"{len(docs)} documents, {sum(words(m) for m in exported):,} words exported; "
                "baseline: the same narrative escaped as before (md_block)",
            )
        )
    return figures
