"""How well the Markdown importer keeps the structure of real post-mortems, scored against the
answers read by hand from each document in tests/data/markdown/real/ (NAME.expected.json).

An answer file holds: "sections" (heading → the section it belongs in, or a list of sections that
fit equally), "timeline_events" (how many events the timeline states), "action_items" (each with
the start of its title, its status and owner) and "times" (the header times stated in sentences:
start, impact_start, detected, first_mitigation, mitigated, end). Used by `python -m bench mdimport`
and by tests/test_mdimport_real.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from postmortem.mdimport import blocks, headings, import_markdown, times
from postmortem.mdimport.importer import PROVENANCE, ImportResult

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "markdown" / "real"
# A labelled "end" is met by either field: authors rarely tell impact ending from resolution apart.
# "impact_start" is when customers were first affected, "first_mitigation" the first attempt, whether or
# not it helped; "mitigated" is impact under control.
TIME_FIELDS = {
    "start": ("started_at",),
    "impact_start": ("impact_started_at",),
    "detected": ("detected_at",),
    "first_mitigation": ("first_mitigation_at",),
    "mitigated": ("mitigated_at",),
    "end": ("impact_ended_at", "resolved_at"),
}
_WORD = re.compile(r"[^\W\d_]+")
# Words of a time stamp, stored as the event's time rather than as text: months, weekdays, zones, am/pm.
_CALENDAR = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]
STAMP_WORDS = (
    {w[:3] for w in _CALENDAR}
    | set(_CALENDAR)
    | {z.lower() for z in times.ZONES}
    | {"am", "pm", "st", "nd", "rd", "th", "tues", "thur", "thurs", "sept"}
)


@dataclass
class Tally:
    """Hits, and how many the importer gave and the answers hold, summed over documents."""

    hits: int = 0
    given: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.given if self.given else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0


def sets() -> dict[str, str]:
    """Each document's set, from the Set column of SOURCES.md: "tuned" (used to improve the importer),
    "held out" (labelled before the importer was first run on them) or "held out 2" (labelled after
    the fixes the first held-out run led to, before the fixed importer was run on them)."""
    rows = (line.split("|") for line in (REAL / "SOURCES.md").read_text(encoding="utf-8").splitlines())
    return {
        cells[1].strip(): cells[5].split(":")[0].strip()
        for cells in rows
        if len(cells) > 6 and cells[1].strip().endswith(".md")
    }


def held_out() -> set[str]:
    """Names of the documents labelled before the importer was run on them (either batch)."""
    return {name for name, group in sets().items() if group.startswith("held out")}


GROUPS = ("all", "tuned", "held out", "held out 2")


def documents() -> list[tuple[str, str, dict]]:
    """(name, text, answers) of every labelled document."""
    return [
        (p.name, p.read_text(encoding="utf-8"), json.loads(p.with_suffix(".expected.json").read_text()))
        for p in sorted(REAL.glob("*.md"))
        if p.with_suffix(".expected.json").exists()
    ]


def _sections(name: str, result: ImportResult, answers: dict, tally: Tally) -> None:
    mapped = {m.heading: m.target for m in result.mapping if m.index}
    for heading, fits in answers["sections"].items():
        fits = fits if isinstance(fits, list) else [fits]
        tally.expected += 1
        tally.given += heading in mapped
        if mapped.get(heading) in fits:
            tally.hits += 1
        else:
            tally.misses.append(f"{name}: '{heading}' → {mapped.get(heading)} (expected {fits})")


def _timeline(name: str, result: ImportResult, answers: dict, tally: Tally) -> None:
    found, expected = len(result.doc.timeline), answers["timeline_events"]
    tally.hits += min(found, expected)
    tally.given += found
    tally.expected += expected
    if found != expected:
        tally.misses.append(f"{name}: {found} timeline events (expected {expected})")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _actions(name: str, result: ImportResult, answers: dict, tally: Tally) -> None:
    items = list(result.doc.action_items)
    tally.given += len(items)
    for want in answers["action_items"]:
        tally.expected += 1
        start = _norm(want["title"])[:30]
        match = next((i for i in items if _norm(i.title).startswith(start)), None)
        if match and match.status.value == want["status"] and match.owner == want["owner"]:
            tally.hits += 1
            items.remove(match)
        else:
            got = f"{match.status.value}, owner '{match.owner}'" if match else "missing"
            tally.misses.append(f"{name}: action '{want['title']}' {got}")


def _times(name: str, result: ImportResult, answers: dict, tally: Tally) -> None:
    times = result.doc.header.times
    given = {
        f for f, v in times.model_dump().items() if v and f != "approximate"
    }  # a time, not the note on them
    tally.given += len(given)
    for key, iso in answers["times"].items():
        tally.expected += 1
        fields = TIME_FIELDS[key]
        if any(getattr(times, f) and getattr(times, f).isoformat() == iso for f in fields):
            tally.hits += 1
        else:
            tally.misses.append(f"{name}: {key} {iso}, got {[getattr(times, f) for f in fields]}")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def body_text(text: str) -> str:
    """The source without what becomes structure: heading lines (each kept, with where it went, in
    the appendix's 'How this document was imported') and tables' header rows (column names)."""
    parsed = blocks.parse(text, headings.is_section_name)
    skip = {s.line for s in parsed.sections if s.level} | {parsed.title_line}
    skip |= {b.start for s in parsed.sections for b in s.blocks if b.kind == "table"}
    return "\n".join(line for i, line in enumerate(parsed.lines) if i not in skip)


def words_kept(text: str, result: ImportResult, body_only: bool = True) -> tuple[int, int]:
    """(words of the source found in the draft, words of the source). Letters only, since times
    and dates are stored as values rather than as the digits written; with `body_only`, headings,
    column names and the words of time stamps are not counted (see body_text and STAMP_WORDS)."""
    data = result.doc.model_dump(mode="json")
    data["imported"] = [t for t in data["imported"] if t["heading"] != PROVENANCE]
    draft = Counter(_WORD.findall(" ".join(_strings(data)).lower()))
    source = Counter(_WORD.findall((body_text(text) if body_only else text).lower()))
    if body_only:
        source = Counter({w: n for w, n in source.items() if w not in STAMP_WORDS})
    return sum(min(n, draft[w]) for w, n in source.items()), sum(source.values())


def score(group: str = "all") -> dict[str, Tally]:
    """Every labelled document of the group (see GROUPS) imported once, scored on sections, timeline,
    actions, times, words."""
    tallies = {k: Tally() for k in ("sections", "timeline", "actions", "times", "words", "all words")}
    group_of = sets()
    for name, text, answers in documents():
        if group != "all" and group_of.get(name, "tuned") != group:
            continue
        result = import_markdown(text, name=name)
        _sections(name, result, answers, tallies["sections"])
        _timeline(name, result, answers, tallies["timeline"])
        _actions(name, result, answers, tallies["actions"])
        _times(name, result, answers, tallies["times"])
        kept, total = words_kept(text, result)
        tallies["words"].hits += kept
        tallies["words"].expected += total
        tallies["words"].given += total
        kept, total = words_kept(text, result, body_only=False)
        tallies["all words"].hits += kept
        tallies["all words"].expected += total
        tallies["all words"].given += total
    return tallies


def main() -> None:
    """`python -m bench.mdimport_labelled [GROUP]`: every miss of the labelled set, by measure (the bench
    notes show three)."""
    import sys

    for key, tally in score(sys.argv[1] if len(sys.argv) > 1 else "all").items():
        print(
            f"{key}: precision {tally.precision:.3f}, recall {tally.recall:.3f} ({tally.hits} hits, "
            f"{tally.given} given, {tally.expected} expected)"
        )
        for miss in tally.misses:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
