"""The key: value lines at the top of many post-mortems (Date, Authors, Status, Severity, Impact…),
in front matter, a bullet list, bold labels or a two-column table, read into the draft's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortem.mdimport import headings, times
from postmortem.mdimport.draft import Draft

_KV = re.compile(r"^\s*(?:[-*+]\s+)?(?P<key>[A-Za-z][\w /()'#.&-]{0,40}?)\s*:\s+(?P<value>\S.*)$")
_FRONT_KV = re.compile(
    r"^(?P<key>[A-Za-z][\w /()'#.&-]{0,40}?)\s*[:=]\s*(?P<value>.*)$"
)  # YAML key: / TOML key =
_FRONT_ITEM = re.compile(r"^\s+-\s+(?P<value>.+)$|^\s*-\s+(?P<top>.+)$")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")

# Keys that fill header fields; any other key is tried against the section names (Impact, Trigger…).
HEADER_KEYS = {
    "date": "date",
    "incident date": "date",
    "when": "date",
    "date of incident": "date",
    "authors": "authors",
    "author": "authors",
    "written by": "authors",
    "owners": "authors",
    "owner": "authors",
    "status": "status",
    "state": "status",
    "severity": "severity",
    "sev": "severity",
    "priority": "severity",
    "level": "severity",
    "incident severity": "severity",
    "title": "title",
    "name": "title",
    "services": "services",
    "service": "services",
    "affected services": "services",
    "systems": "services",
    "components": "services",
    "affected systems": "services",
    "services affected": "services",
    "tags": "tags",
    "labels": "tags",
    "categories": "tags",
    "category": "tags",
    "type": "tags",
    "incident type": "tags",
    "kind": "tags",
    "incident kind": "tags",
    "id": "incident_id",
    "incident id": "incident_id",
    "incident": "incident_id",
}
# Keys that state one of the header's key times ("**Start time:** 2025-01-14 14:02 UTC") or a window.
# Impact and outage keys name when customers were affected, not the trigger; "mitigated" is impact
# under control, while a first attempt has keys of its own; downtime is the fully unavailable window.
TIME_KEYS = {
    **dict.fromkeys(
        (
            "start",
            "start time",
            "started",
            "started at",
            "incident start",
            "began",
            "incident began",
            "trigger time",
            "triggered at",
        ),
        "started_at",
    ),
    **dict.fromkeys(
        (
            "impact start",
            "impact started",
            "impact began",
            "outage start",
            "outage began",
            "start of impact",
            "first impact",
            "customer impact start",
            "customer impact began",
            "customer impact started",
            "impact start time",
            "start of customer impact",
            "user impact start",
        ),
        "impact_started_at",
    ),
    **dict.fromkeys(
        (
            "end",
            "end time",
            "ended",
            "ended at",
            "incident end",
            "impact end",
            "outage end",
            "end of impact",
            "impact ended",
            "customer impact end",
            "customer impact ended",
            "end of customer impact",
            "impact end time",
        ),
        "impact_ended_at",
    ),
    **dict.fromkeys(
        ("detected", "detected at", "detection time", "time detected", "time of detection"), "detected_at"
    ),
    **dict.fromkeys(
        (
            "first mitigation",
            "first mitigation attempt",
            "mitigation started",
            "mitigation began",
            "mitigation start",
            "first response action",
            "first attempted mitigation",
        ),
        "first_mitigation_at",
    ),
    **dict.fromkeys(
        (
            "mitigated",
            "mitigated at",
            "mitigation time",
            "time mitigated",
            "impact mitigated",
            "mitigation complete",
            "mitigation completed",
        ),
        "mitigated_at",
    ),
    **dict.fromkeys(
        ("resolved", "resolved at", "resolution time", "time resolved", "time of resolution"), "resolved_at"
    ),
    **dict.fromkeys(
        (
            "impact window",
            "outage window",
            "customer impact window",
            "impact period",
            "outage period",
            "impact duration window",
            "incident window",
            "window",
            "time window",
        ),
        "window",
    ),
    **dict.fromkeys(
        (
            "downtime",
            "downtime window",
            "full outage",
            "unavailable",
            "service unavailable",
            "unavailability window",
        ),
        "downtime",
    ),
}


@dataclass(frozen=True)
class Pair:
    key: str
    value: str
    lines: tuple[int, ...]  # 0-based lines it was written on


def _strip_bold(line: str) -> str:
    return line.replace("**", "").replace("__", "")


def pairs_in(lines: list[str], start: int, end: int, any_key: bool) -> tuple[list[Pair], set[int]]:
    """Key: value pairs in lines [start, end); continuation lines join the value before them.

    With any_key False (the text before the first heading) only keys we understand count, so a
    sentence with a colon stays prose."""
    found: list[Pair] = []
    used: set[int] = set()
    for i in range(start, end):
        line = _strip_bold(lines[i])
        match = _KV.match(line)
        if match and (any_key or known(match.group("key"))):
            found.append(Pair(match.group("key").strip(), match.group("value").strip(), (i,)))
            used.add(i)
        elif found and i - 1 in used and line.strip() and not line.lstrip().startswith(("#", "|", "-", "*")):
            last = found[-1]
            found[-1] = Pair(last.key, f"{last.value} {line.strip()}", (*last.lines, i))
            used.add(i)
    return found, used


def table_pairs(
    header: tuple[str, ...], rows: tuple[tuple[int, tuple[str, ...]], ...], start: int
) -> list[Pair]:
    """A two-column table read as key | value (its header row counts as a pair too)."""
    out = [
        Pair(_strip_bold(r[0]).strip(" :"), r[1], (line,)) for line, r in rows if len(r) >= 2 and r[0].strip()
    ]
    if len(header) >= 2 and known(_strip_bold(header[0]).strip(" :")):
        out.insert(0, Pair(_strip_bold(header[0]).strip(" :"), header[1], (start,)))
    return out


def front_matter_pairs(lines: list[str], start: int, end: int) -> list[Pair]:
    """Simple YAML front matter: `key: value`, `key: [a, b]` and `key:` followed by `- item` lines.

    Read by hand on purpose: these documents need no more of YAML, and a YAML library would expand
    aliases in an uploaded file."""
    found: list[Pair] = []
    for i in range(start, end):
        item = _FRONT_ITEM.match(lines[i])
        if item and found:
            last = found[-1]
            value = (item.group("value") or item.group("top")).strip().strip("'\"")
            found[-1] = Pair(last.key, f"{last.value}, {value}" if last.value else value, (*last.lines, i))
            continue
        match = _FRONT_KV.match(lines[i])
        if match:
            value = match.group("value").strip().strip("[]").strip()
            if value.count('"') > 2:  # a TOML list of strings: authors = ["A", "B"]
                value = ", ".join(re.findall(r'"([^"]*)"', value))
            found.append(Pair(match.group("key").strip(), value.strip("'\""), (i,)))
    return found


def known(key: str) -> bool:
    words = headings.words_of(key)
    return (
        words in HEADER_KEYS
        or words in TIME_KEYS
        or (headings.match(key) or headings.Match("", 0, "")).confidence >= 0.85
    )


def apply(draft: Draft, pair: Pair) -> bool:
    """Fill the draft from one pair. True when the value is stored as written (a title, authors, a
    section's text); False when it was only interpreted (a date, a severity word) or not used, so
    the caller keeps the line in the appendix as well."""
    words = headings.words_of(pair.key)
    field, value = HEADER_KEYS.get(words), pair.value.strip()
    if not value:
        return False
    if words in TIME_KEYS:
        # read once the document's date and zone are known (importer._read_times); kept as written too
        draft.stated_times.append((TIME_KEYS[words], value, f"{pair.key.strip()}: {value}"))
        draft.incident_date = draft.incident_date or times.find_date(value)
    elif field == "date":
        draft.incident_date = draft.incident_date or times.find_date(value)
    elif field == "authors":
        draft.authors += [name.strip(" @") for name in _SPLIT.split(value) if name.strip(" @")]
        return True
    elif field == "severity":
        draft.severity = draft.severity or times.severity(value)
    elif field == "status":
        draft.warnings.append(
            f"The source's status '{value[:60]}' was not kept: an imported post-mortem starts "
            "as a draft and goes through review here."
        )
    elif field == "title":
        if draft.title:
            return " ".join(draft.title.split()) == " ".join(value.split())
        draft.title = value
        return True
    elif field in ("services", "tags"):
        getattr(draft, field).extend(v.strip() for v in _SPLIT.split(value) if v.strip())
        return True
    elif field == "incident_id":
        draft.incident_id = draft.incident_id or value
    else:
        return _apply_section(draft, pair.key, value)
    return False


def _apply_section(draft: Draft, key: str, value: str) -> bool:
    found = headings.match(key)
    if found is None or found.confidence < 0.85:
        return False
    if found.target in ("summary", "impact", "root_cause", "what_to_do"):
        getattr(draft, found.target).append(f"{key.strip()}: {value}" if found.label else value)
    elif found.target in ("went_well", "went_wrong", "lucky", "lessons", "factors"):
        draft.note(found.target, value)
    else:
        return False
    return found.confidence == 1.0 or found.label  # else the key says more than a section name: keep it
