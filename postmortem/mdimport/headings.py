"""Which Debrief section a heading from someone else's template stands for.

A table of the names teams give their sections (written for this product, in lower case), matched
exactly, then as words inside a longer heading, then approximately (typos), with the reason kept so
the author can see why and change it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

# Where a section can go: key → label shown to the author.
TARGETS: dict[str, str] = {
    "header": "Header details (date, severity, authors…)",
    "summary": "Summary",
    "impact": "Impact",
    "what_to_do": "What customers should do (public report)",
    "timeline": "Timeline",
    "went_well": "What went well",
    "went_wrong": "What went wrong",
    "lucky": "Where we got lucky",
    "factors": "Contributing factors",
    "root_cause": "Root cause",
    "action_items": "Action items",
    "lessons": "Lessons learned",
    "links": "Links",
    "contacts": "People and teams (contacts)",
    "appendix": "Appendix (kept as written)",
    "ignore": "Ignore (still kept in the appendix, marked ignored)",
}
APPENDIX, IGNORE = "appendix", "ignore"
KEPT_AS_WRITTEN = (APPENDIX, IGNORE)  # targets whose text goes to the appendix as written


@dataclass(frozen=True)
class Synonym:
    words: str
    target: str
    inside: bool = True  # may also match as words inside a longer heading
    label: bool = False  # prose kept under its own label ("Detection: …") in the target section
    why: str = ""  # the reason shown when the name alone does not explain the choice


def _s(target: str, *names: str, inside: bool = True, label: bool = False, why: str = "") -> list[Synonym]:
    return [Synonym(name, target, inside, label, why) for name in names]


SYNONYMS: tuple[Synonym, ...] = tuple(
    _s(
        "summary",
        "summary",
        "executive summary",
        "incident summary",
        "tl dr",
        "tldr",
        "overview",
        "synopsis",
        "abstract",
        "what happened",
        "in brief",
        "short version",
    )
    + _s("summary", "description", "background", "context", inside=False, label=True)
    + _s(
        "summary",
        "detection",
        "how we found out",
        "how it was detected",
        "resolution",
        "recovery",
        "mitigation",
        "how it was resolved",
        "how it was fixed",
        "response",
        "actions taken",
        "steps taken",
        "what we did",
        "immediate actions",
        "immediate response",
        "how did we fix it",
        "how we fixed it",
        "how did we find out",
        "how was it detected",
        "how we detected it",
        "how did we detect it",
        label=True,
    )
    + _s("impact", "affected", why="it says what or who was affected, which is the impact")
    + _s(
        "impact",
        "impact",
        "customer impact",
        "user impact",
        "business impact",
        "blast radius",
        "who was affected",
        "who was impacted",
        "what was the impact",
        "affected users",
        "affected customers",
        "scope of impact",
    )
    + _s(
        "timeline",
        "timeline",
        "chronology",
        "sequence of events",
        "timeline of events",
        "incident timeline",
        "detailed timeline",
        "time line",
        "play by play",
        "event log",
    )
    + _s("timeline", "events", "log", inside=False)
    + _s(
        "went_well",
        "what went right",
        "what we did well",
        "what went well",
        "things that went well",
        "went well",
        "what worked",
        "what worked well",
        "successes",
        "positives",
    )
    + _s(
        "went_wrong",
        "what went wrong",
        "things that went wrong",
        "went wrong",
        "what didn t go well",
        "what did not go well",
        "what went poorly",
        "did not go well",
        "did not go so well",
        "didn t go well",
        "didn t go so well",
        "went badly",
        "what could have gone better",
        "went less well",
        "what can be improved",
        "can be improved",
        "areas for improvement",
        "problems",
        "what could be improved",
        "opportunities for improvement",
        "challenges",
    )
    + _s("went_wrong", "issues", "negatives", inside=False)
    + _s(
        "went_wrong",
        "hard to detect",
        "hard to find",
        "hard to diagnose",
        "took so long",
        "slow to detect",
        why="it asks why finding or fixing the problem was hard, which is what went wrong in the response",
    )
    + _s(
        "what_to_do",
        "what should you do",
        "what you should do",
        "what do i need to do",
        "what do you need to do",
        "what can you do",
        "what you can do",
        "what should i do",
        "customer action",
        "customer actions",
        "required action",
        "what customers should do",
        "recommended actions for users",
        "what users should do",
        why="it tells affected customers what to do, which the public report asks for in their own words",
    )
    + _s("lucky", "where we got lucky", "got lucky", "lucky", "luck", "near misses")
    + _s(
        "factors",
        "contributing factors",
        "contributing factor",
        "contributing causes",
        "contributors to the incident",
        "conditions",
    )
    + _s(
        "root_cause",
        "root cause",
        "root causes",
        "root cause analysis",
        "rca",
        "causes",
        "5 whys",
        "five whys",
        "why it happened",
        "causal analysis",
    )
    + _s("root_cause", "cause", "analysis", inside=False)
    + _s(
        "root_cause",
        "why did it happen",
        "why did this happen",
        "what caused it",
        "what caused this",
        "what caused the incident",
        "what was the cause",
        "cause of the incident",
    )
    + _s("root_cause", "trigger", "triggers", "what triggered it", "leadup", "lead up", "fault", label=True)
    + _s(
        "went_wrong",
        "postmortem",
        "post mortem",
        "retrospective",
        "reflections",
        inside=False,
        why="a 'Postmortem' section inside the document reflects on how the incident and the response went",
    )
    + _s(
        "action_items",
        "action items",
        "action item",
        "actions",
        "follow ups",
        "followups",
        "follow up",
        "remediation",
        "remediations",
        "remediation items",
        "corrective actions",
        "preventive actions",
        "next steps",
        "action plan",
        "to do",
        "todo",
        "tasks",
        "repair items",
        "fixes",
        "improvements",
        "future improvements",
        "corrective measures",
        "corrective measure",
        "preventative measures",
        "preventative measure",
        "preventive measures",
        "preventive measure",
        "prevention",
        "follow up actions",
        "follow up items",
        "short term",
        "medium term",
        "long term",
        "mid term",
        "what we are doing",
        "what we re doing",
        "what we will do",
        "next actions",
        "what are we doing about it",
        "how do we prevent this",
        "how will we prevent this",
        "how we will prevent this",
    )
    + _s(
        "lessons",
        "lessons learned",
        "lessons learnt",
        "lessons",
        "takeaways",
        "key takeaways",
        "learnings",
        "what we learned",
        "what we learnt",
        "what did we learn",
    )
    + _s(
        "header",
        "metadata",
        "incident details",
        "document details",
        "details",
        "incident information",
        "incident info",
        "properties",
        "about this document",
        "document control",
    )
    + _s(
        "links",
        "related records",
        "links",
        "references",
        "supporting information",
        "related links",
        "resources",
        "related documents",
        "see also",
        "further reading",
        "related incidents",
    )
    + _s(
        "contacts",
        "attendees",
        "participants",
        "people involved",
        "involved parties",
        "responders",
        "incident team",
        "who was involved",
        "people",
        "contacts",
        why="it lists the people or teams involved, who belong in the contacts table, not in the text",
    )
    + _s(APPENDIX, "appendix", "appendices", "notes", "glossary")
)
_BY_WORDS = {s.words: s for s in SYNONYMS}
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z]\))\s+")
FUZZY_CUTOFF = 0.8


@dataclass(frozen=True)
class Match:
    target: str
    confidence: float
    reason: str
    label: bool = False


def words_of(heading: str) -> str:
    """Lower-case words of a heading: numbering, emoji, punctuation and '(s)' removed."""
    text = heading.lower().replace("(s)", "s").replace("’", " ").replace("'", " ").replace("_", " ")
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    return _NUMBERING.sub("", text + " ").strip()


def display(heading: str) -> str:
    """The heading as written, without its numbering ("3.1 Why" → "Why"), to label kept text."""
    return re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVXivx]+\.|[A-Za-z]\))\s+", "", heading).strip() or heading


@lru_cache(maxsize=1024)
def match(heading: str) -> Match | None:
    """The section a heading most likely stands for, or None when nothing is close."""
    words = words_of(heading)
    if not words:
        return None
    exact = _BY_WORDS.get(words)
    if exact:
        return Match(
            exact.target, 1.0, exact.why or f"'{exact.words}' is a name for this section", exact.label
        )
    inside = _inside(words)
    if inside:
        return inside
    return _fuzzy(words)


def _inside(words: str) -> Match | None:
    padded = f" {words} "
    found = [s for s in SYNONYMS if s.inside and f" {s.words} " in padded]
    if not found:
        return None
    # "what went well" beats "well"-like shorter names; between names of one length the later wins,
    # as English puts the head noun last ("Response timeline" is a timeline)
    best = max(found, key=lambda s: (len(s.words), padded.rfind(f" {s.words} ")))
    return Match(
        best.target,
        0.85,
        f"the heading contains '{best.words}'" + (f": {best.why}" if best.why else ""),
        best.label,
    )


def _fuzzy(words: str) -> Match | None:
    best, ratio = None, 0.0
    for synonym in SYNONYMS:
        if abs(len(synonym.words) - len(words)) > 6:
            continue
        matcher = SequenceMatcher(None, words, synonym.words)
        # The quick upper bounds skip most pairs before the full (quadratic) comparison.
        if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
            continue
        score = matcher.ratio()
        if min(len(words), len(synonym.words)) <= 8 and score < 0.88:
            continue  # short words differ by a letter or two and mean something else: contents, context
        if score > ratio:
            best, ratio = synonym, score
    if best is None:
        return None
    if ratio < FUZZY_CUTOFF:
        return None
    return Match(
        best.target, round(0.9 * ratio, 2), f"close to '{best.words}' ({ratio:.0%} alike)", best.label
    )


def is_section_name(words: str, exact: bool = False) -> bool:
    """True for a bold line that confidently names a section, or (exact) an H1 that is exactly one."""
    found = match(words)
    if found is None:
        return False
    if exact:
        return found.confidence == 1.0
    return found.confidence >= 0.85 and len(words_of(words).split()) <= 4
