"""What keeping names out of narrative costs (issue 11): the all-engineering export and the search
index's text of the large document, each against the same work without the name replacement,
measured in the same run. The large document gets five person contacts whose names, handles and
e-mail addresses appear throughout its timeline."""

from __future__ import annotations

import json

from bench import fixtures
from bench.report import Figure, median_ms, ratio
from exports.markdown import to_markdown
from exports.render import render
from postmortem.models import Contact, PostMortem
from postmortem.names import data_without_names
from postmortem.searchable import section_texts

MAX_EXTRA_MS = 25.0  # on top of the export without replacement
PEOPLE = [
    ("Priya Raman", "Incident commander", "priya@example.com"),
    ("Tom Becker", "Database on-call", "@tomb"),
    ("Ana Lima", "Payments lead", "ana.lima@example.com"),
    ("Jo Park", "Scribe", "@jopark"),
    ("Sam Okafor", "Support lead", "sam@example.com"),
]


def _named(doc: PostMortem) -> PostMortem:
    contacts = [Contact(name=n, role=r, contact=c) for n, r, c in PEOPLE]
    timeline = [
        e.model_copy(
            update={
                "text": f"{PEOPLE[i % 5][0].split()[0]} saw it; {PEOPLE[i % 5][2]} "
                f"asked @someone and ops@example.com. {e.text}"
            }
        )
        for i, e in enumerate(doc.timeline)
    ]
    return doc.model_copy(update={"contacts": [*doc.contacts, *contacts], "timeline": timeline})


def run(reruns: int = 15, **_: object) -> list[Figure]:
    doc = _named(fixtures.large_postmortem())
    data = json.loads(doc.model_dump_json())
    runs = max(reruns, 5)
    median_ms(lambda: render(doc, "engineering", "md", country="US"), 2)  # warm caches and imports
    export = median_ms(lambda: render(doc, "engineering", "md", country="US"), runs)
    plain = median_ms(lambda: to_markdown(doc, names=False), runs)
    index = median_ms(lambda: section_texts(data_without_names(data)), runs)
    index_plain = median_ms(lambda: section_texts(data), runs)
    return [
        Figure(
            "trust:engineering md, names replaced",
            export,
            "ms",
            plain,
            ratio(export, plain),
            f"<= baseline + {MAX_EXTRA_MS:g} ms",
            export <= plain + MAX_EXTRA_MS,
            note="baseline: the same Markdown without replacing names in the text",
        ),
        Figure(
            "trust:search text, names replaced",
            index,
            "ms",
            index_plain,
            ratio(index, index_plain),
            "report only",
            True,
        ),
    ]
