"""`python -m bench mdimport`: how long importing Markdown post-mortems takes, and how much of the
structure of real post-mortems it keeps (bench/mdimport_labelled.py scores the labelled set).

A large generated document (a week of timeline under date headings, a long action-item table, many
sections, some with names no template uses) against markdown-it-py parsing the same text, which is
the floor: the importer parses once and then walks its own sections. And a folder of typical files,
as the page's batch table imports them on every rerun. $DEBRIEF_BENCH_SCALE scales both.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from markdown_it import MarkdownIt

from bench import mdimport_labelled, report
from postmortem.mdimport import import_markdown

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "markdown"


def _scale() -> float:
    return float(os.environ.get("DEBRIEF_BENCH_SCALE", "1.0"))


def large_document(days: int = 7, events_per_day: int = 200, actions: int = 300, sections: int = 60) -> str:
    lines = [
        "# Storage cluster brown-out over a week",
        "",
        "**Date:** 2026-02-02",
        "**Severity:** SEV1",
        "**Authors:** Example Author",
        "",
        "## Summary",
        "",
        "Latency rose for a week. " * 20,
        "",
        "## Timeline (all times UTC)",
        "",
    ]
    for day in range(days):
        lines += [f"### 2026-02-{day + 2:02d}", ""]
        lines += [
            f"- {h:02d}:{m:02d} Event {day}-{h}-{m}: replica lag at {h * m} ms on shard {m % 17}"
            for h, m in ((n * 24 // events_per_day, n % 60) for n in range(events_per_day))
        ]
        lines.append("")
    lines += [
        "## Action items",
        "",
        "| Action | Owner | Due | Priority | Status | Ticket |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| Add check {n} on shard lag | owner{n % 9} | 2026-03-{n % 28 + 1:02d} | P{n % 3} | open | OPS-{n} |"
        for n in range(actions)
    ]
    for n in range(sections):
        heading = ("What went well", "What went wrong", "Lessons learned", f"Odd section {n}")[n % 4]
        lines += ["", f"## {heading}", ""] + [
            f"- Note {n}.{k}: the queue drained in {k} minutes" for k in range(10)
        ]
    return "\n".join(lines) + "\n"


def _ms(work, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(**_options) -> list[report.Figure]:
    scale = _scale()
    text = large_document(
        days=max(1, round(7 * scale)), actions=max(10, round(300 * scale)), sections=max(4, round(60 * scale))
    )
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    import_markdown(text)  # warm caches (compiled patterns, rules) as a running app has them
    ours = report.median(_ms(lambda: import_markdown(text), 5))
    floor = report.median(_ms(lambda: parser.parse(text), 5))
    kb = len(text.encode()) / 1024
    figures = [
        report.Figure(
            f"import large Markdown doc ({kb:.0f} KB)",
            ours,
            "ms",
            baseline=floor,
            ratio=report.ratio(ours, floor),
            target="<= 1500 ms",
            ok=ours <= 1500,
            note="baseline: markdown-it-py parsing the same text, the floor of any import",
        ),
    ]
    files = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.md"))]
    folder = [files[n % len(files)] for n in range(max(6, round(50 * scale)))]
    batch = report.median(_ms(lambda: [import_markdown(t) for t in folder], 3))
    figures.append(
        report.Figure(
            f"import a folder of {len(folder)} typical files",
            batch,
            "ms",
            target="<= 1000 ms (the batch page reruns it)",
            ok=batch <= 1000,
        )
    )
    return figures + quality()


# What each labelled score must reach: precision and recall of what the text states, words kept.
QUALITY_TARGETS = {"sections": 0.9, "timeline": 0.9, "actions": 0.9, "times": 0.9, "words": 0.99}
_QUALITY_NAMES = {
    "sections": "headings mapped to the right section",
    "timeline": "timeline events",
    "actions": "action items (title, status, owner)",
    "times": "header times stated in the text",
    "words": "words of the body kept",
    "all words": "words kept, headings and stamps counted",
}


def quality() -> list[report.Figure]:
    """Scores on the real post-mortems in tests/data/markdown/real/, against the hand-read answers:
    all of them, then those the importer was tuned on and those held out (labelled before it saw them)
    as rows of their own, since only the held-out rows say how it does on documents it has not seen."""
    figures = []
    group_of = mdimport_labelled.sets()
    names = [name for name, _, _ in mdimport_labelled.documents()]
    counts = {g: sum(g in ("all", group_of.get(n, "tuned")) for n in names) for g in mdimport_labelled.GROUPS}
    for group in mdimport_labelled.GROUPS:
        figures += _quality_rows(
            f"{counts[group]} {group + ' ' if group != 'all' else ''}real docs",
            mdimport_labelled.score(group),
        )
    return figures


def _quality_rows(docs: str, tallies: dict) -> list[report.Figure]:
    figures = []
    for key, tally in tallies.items():
        goal = QUALITY_TARGETS.get(key)
        measures = (
            (("recall", tally.recall),)
            if key in ("words", "all words")
            else (("precision", tally.precision), ("recall", tally.recall))
        )
        for measure, value in measures:
            figures.append(
                report.Figure(
                    f"md import, {docs}: {_QUALITY_NAMES[key]} ({measure})",
                    value * 100,
                    "%",
                    target=f">= {goal:.0%}" if goal else "",
                    ok=goal is None or value >= goal,
                    note=f"{tally.hits} of {tally.expected if measure == 'recall' else tally.given}; "
                    + "; ".join(tally.misses[:3]),
                )
            )
    return figures
