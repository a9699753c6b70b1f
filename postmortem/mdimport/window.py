"""The incident's key times read from sentences ("between 14:02 and 14:33 UTC", "from November 11,
4:02 PM UTC to November 14, 3:02 PM UTC", "On May 9th 2021 at 6:48AM PDT, the chain stopped…"),
for the header, each with the sentence it came from so the author can check it.

Our patterns find where a time is written and which words around it say what happened then;
python-dateutil turns the date and time text into a datetime. A time without a date in its
sentence takes the incident's date only when the document states one (a Date: line or the title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import parser as dateparser

from postmortem.mdimport import times

# A clock time: 14:02, 6:48AM, 09:15:04, or a bare hour with am/pm (8 pm).
_CLOCK = (
    r"(?<![\d:])(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\.?(?![a-z]))?"
    r"|(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?(?![a-z]))"
)
_ZONE_NAMES = sorted((z for z in times.ZONES if len(z) > 1), key=len, reverse=True)
_ZONE_AFTER = re.compile(r"^\s*\(?(" + "|".join(_ZONE_NAMES) + r"|[+-]\d{2}:?\d{2})\)?(?![\w])")
_MOMENT = re.compile(_CLOCK, re.IGNORECASE)
_WINDOW = re.compile(
    r"\b(?:between|from)\b(?P<first>.{1,60}?)\b(?:and|to|until|till|through|thru)\b"
    r"(?P<second>.{1,60})",
    re.IGNORECASE,
)
_RANGE = re.compile(rf"(?P<first>{_CLOCK})\s*(?:[-–—]|\bto\b)\s*(?P<second>{_CLOCK}.{{0,12}})", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9_*(\[!])|\n\s*\n")
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)

# Words that say what happened at a time; each time written in a sentence takes the nearest one.
# A longer cue hides the shorter ones inside it: "customer impact began" is not the incident beginning,
# "first mitigation attempt" is not "mitigated" (impact under control).
CUES = (
    (
        "impact_started_at",
        r"(?:customer|user)s?(?:'s?)? impact (?:began|started|start)|impact (?:began|started)|"
        r"(?:customers|users) (?:began|started) (?:to (?:see|experience|receive|get|report)|seeing|experiencing)|"
        r"(?:start|beginning|onset) of (?:the )?(?:customer |user )?impact",
    ),
    (
        "first_mitigation_at",
        r"first (?:mitigation|attempt|fix attempt)|(?:attempted|tried|trying) to (?:mitigate|fix|restore|"
        r"roll back|recover)|(?:began|started) (?:to mitigate|mitigating|mitigation)|"
        r"mitigation (?:began|started|attempt)",
    ),
    (
        "detected_at",
        r"detect|discover|notic|alerted|paged|became aware|first report|received a report|"
        r"(?:were|was) notified",
    ),
    ("resolved_at", r"resolv|fully restored|fully recovered|back to normal|returned to normal|fixed"),
    ("impact_ended_at", r"ceased|\bended\b|was over|recovered|restored|came back|back online"),
    ("mitigated_at", r"mitigat|rolled back|roll(?:ed)? ?back|revert|workaround"),
    # "started to drain" or "began to recover" tells of a process, not of the incident starting
    (
        "started_at",
        r"\bbegan\b(?! to)|\bbegin|\bstart(?:ed|s|ing)?\b(?! to)|"
        r"(?:began|started) to (?:fail|error|time out|drop)|"
        r"stopped|went down|became unavailable|stalled|outage began|failing|degrad",
    ),
)
LABELS = {
    "started_at": "Incident started",
    "impact_started_at": "Customer impact began",
    "detected_at": "Detected",
    "first_mitigation_at": "First mitigation attempt",
    "mitigated_at": "Mitigated (impact under control)",
    "impact_ended_at": "Customer impact ended",
    "resolved_at": "Resolved",
    "unavailable_from": "Fully unavailable from",
    "unavailable_to": "Fully unavailable until",
}
# Words before a time that say the author knows it only roughly ("at approximately 09:15", "~14:00").
_ROUGHLY = re.compile(
    r"(?:approximately|approx\.?|about|around|roughly|circa|ca\.|~)\s*(?:at\s+)?$", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundTime:
    field: str  # an IncidentTimes field
    at: datetime  # UTC
    sentence: str  # the source sentence, as written
    approximate: bool = False  # written as "about 14:00"


def sentences(text: str) -> list[str]:
    """The sentences of prose, code left out (a log line's time stamp is not the incident's)."""
    prose = _CODE.sub(" ", text)
    return [" ".join(s.split()) for s in _SENTENCE_END.split(prose) if s.strip()]


def _moment(
    text: str, day: date | None, year: int | None, zone: tzinfo
) -> tuple[datetime | None, tzinfo | None]:
    """The first date and time written in `text`, in UTC; and the zone it named, if any."""
    clock = _MOMENT.search(text)
    if not clock:
        return None, None
    named = _ZONE_AFTER.match(text[clock.end() :])
    tz = times.zone(named.group(1)) if named else None
    written = times.ANY_DATE.search(text)
    on = times.find_date(text, year) if written else day
    if on is None:
        return None, tz
    try:
        parsed = dateparser.parse(
            clock.group(0).replace(".", ""), default=datetime(on.year, on.month, on.day)
        )
    except (ValueError, OverflowError):
        return None, tz
    at = times.to_utc(on, time(parsed.hour, parsed.minute, parsed.second), tz or zone)
    return at, tz


IMPACT, DOWNTIME = ("impact_started_at", "impact_ended_at"), ("unavailable_from", "unavailable_to")


def _window(
    sentence: str,
    day: date | None,
    year: int | None,
    zone: tzinfo,
    source: str = "",
    fields: tuple[str, str] = IMPACT,
) -> list[FoundTime]:
    """'between 14:02 and 14:33 UTC', 'from November 11, 4:02 PM UTC to November 14, …' or
    '14:02–14:33 UTC': the start and the end of the impact (when customers were affected; the
    trigger may have come earlier), or of the downtime."""
    found = _WINDOW.search(sentence)
    if not found or not (_MOMENT.search(found.group("first")) and _MOMENT.search(found.group("second"))):
        found = _RANGE.search(sentence)
    if not found:
        return []
    sentence_day = times.find_date(sentence, year) or day
    second, second_zone = _moment(found.group("second"), sentence_day, year, zone)
    first, _ = _moment(found.group("first"), sentence_day, year, second_zone or zone)
    if first is None or second is None:
        return []
    if second < first and not times.ANY_DATE.search(found.group("second")):
        second += timedelta(days=1)  # "between 23:40 and 00:20": past midnight
    roughly = bool(
        _ROUGHLY.search(
            sentence[: found.start("first")]
            + found.group("first")[: _MOMENT.search(found.group("first")).start()]
        )
    )
    return [
        FoundTime(fields[0], first, source or sentence, roughly),
        FoundTime(fields[1], second, source or sentence, roughly),
    ]


def stated(
    pairs: list[tuple[str, str, str]], day: date | None, year: int | None, zone: tzinfo
) -> list[FoundTime]:
    """Times given as key: value lines (Start time: …, Impact window: 14:02–14:33 UTC), with the line."""
    found: list[FoundTime] = []
    for field, value, line in pairs:
        if field in ("window", "downtime"):
            found += _window(
                value, day, year, zone, source=line, fields=IMPACT if field == "window" else DOWNTIME
            )
            continue
        at, _ = _moment(value, times.find_date(value, year) or day, year, zone)
        if at is not None:
            found.append(
                FoundTime(
                    field,
                    at.astimezone(UTC),
                    line,
                    bool(_ROUGHLY.search(value[: _MOMENT.search(value).start()])),
                )
            )
    return found


def _cues(sentence: str) -> list[tuple[int, str]]:
    """(position, field) of every word in the sentence that says what happened, leaving out a cue
    inside a longer one ("began" in "customer impact began")."""
    lowered = sentence.lower()
    spans = [(m.start(), m.end(), name) for name, words in CUES for m in re.finditer(words, lowered)]
    return [
        (start, name)
        for start, end, name in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    ]


def _times_in(
    sentence: str, day: date | None, year: int | None, zone: tzinfo
) -> list[tuple[int, int, datetime]]:
    """(start, end, UTC time) of each clock time written in the sentence, on the sentence's date;
    a rough time ("about 14:00") starts at its "about", which _roughly reads back."""
    on = times.find_date(sentence, year) or day
    out = []
    for clock in _MOMENT.finditer(sentence):
        at, _ = _moment(sentence[clock.start() : clock.end() + 12], on, year, zone)
        if at is not None:
            rough = _ROUGHLY.search(sentence[max(0, clock.start() - 20) : clock.start()])
            out.append((clock.start() - (len(rough.group(0)) if rough else 0), clock.end(), at))
    return out


def _roughly(sentence: str, start: int) -> bool:
    """True when the time found at `start` was moved back to its "about" (see _times_in)."""
    return not _MOMENT.match(sentence[start:])


def _paired(
    cues: list[tuple[int, str]], moments: list[tuple[int, int, datetime]]
) -> list[tuple[str, datetime, int]]:
    """Each cue with the time written nearest to it, nearest pairs first, every time used once: in
    "we reverted … an action completed by 15:56" the revert is 15:56, not the 15:27 that opens it."""
    pairs = sorted(
        (max(start - at, at - end, 0), i, j)
        for i, (at, _) in enumerate(cues)
        for j, (start, end, _) in enumerate(moments)
    )
    used_cues: set[int] = set()
    used_times: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_cues and j not in used_times and cues[i][1] not in {f for f, _, _ in out}:
            used_cues.add(i)
            used_times.add(j)
            out.append((cues[i][1], moments[j][2], moments[j][0]))
    return out


def read(
    parts: list[tuple[str, bool]],
    day: date | None,
    year: int | None,
    zone: tzinfo,
    first: list[FoundTime] = (),
) -> list[FoundTime]:
    """Times stated in prose parts: (text, opens the document). A window gives the start and end;
    a single time counts when a word near it says what happened then, or when it is the first
    dated time in the document's opening paragraph (where authors say when it began)."""
    found: list[FoundTime] = list(first)  # key: value lines come first: they say it outright
    for text, opening in parts:
        first_paragraph = " ".join(text.strip().split("\n\n")[0].split())
        for sentence in sentences(text):
            window = _window(sentence, day, year, zone)
            if window:
                found += window
                continue
            moments = _times_in(sentence, day, year, zone)
            if not moments:
                continue
            paired = _paired(_cues(sentence), moments)
            if not paired and opening and times.ANY_DATE.search(sentence) and sentence in first_paragraph:
                paired = [("started_at", moments[0][2], moments[0][0])]
            found += [
                FoundTime(field, at.astimezone(UTC), sentence, _roughly(sentence, start))
                for field, at, start in paired
            ]
            opening = opening and not paired
    found = _first_of_each(found)
    return found + _ended_with_mitigation(parts, found)


_LASTED = re.compile(
    r"\bfor\s+(?:about\s+|approximately\s+|around\s+|roughly\s+|nearly\s+|~\s*)?(?P<n>\d+)\s*"
    r"(?P<unit>minutes|mins|hours|hrs)\b",
    re.IGNORECASE,
)


def _ended_with_mitigation(parts: list[tuple[str, bool]], found: list[FoundTime]) -> list[FoundTime]:
    """'We reverted … completed by 15:56 UTC. This means that for approximately 47 minutes, CI jobs …
    failed': when the start plus the duration the text gives is the time of the mitigation, the
    mitigation ended the impact. Only then: a duration alone may be of one phase among several."""
    have = {f.field: f for f in found}
    mitigated = have.get("mitigated_at")
    if mitigated is None or "impact_ended_at" in have or "resolved_at" in have:
        return []
    starts = [have[f].at for f in ("impact_started_at", "started_at") if f in have]
    for text, _ in parts:
        for sentence in sentences(text):
            for lasted in _LASTED.finditer(sentence):
                length = timedelta(
                    **{"minutes" if lasted["unit"].lower().startswith("m") else "hours": int(lasted["n"])}
                )
                if any(abs(start + length - mitigated.at) <= timedelta(minutes=1) for start in starts):
                    return [FoundTime("impact_ended_at", mitigated.at, sentence, mitigated.approximate)]
    return []


def _first_of_each(found: list[FoundTime]) -> list[FoundTime]:
    seen: dict[str, FoundTime] = {}
    for item in found:
        seen.setdefault(item.field, item)
    return list(seen.values())


# Timeline entries that name the moment outright ("Start of incident.", "21:00 - Team alerted",
# "Incident ends.", "… and issue goes away"): a whole sentence of the entry, so an entry that merely
# mentions the incident is not taken for one. "Investigation starts" and "Issue detected and verified"
# are left out: on real timelines they came after the team knew, as often as at detection.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # "[incident](https://…)" reads as "incident"
_SUBJECT = r"(?:the\s+)?(?:incident|outage|impact|problem|issue|disruption|degradation)"
_INCIDENT = _SUBJECT.replace("impact|", "")  # "start of impact" is when customers were affected: _IMPACT
_WHOLE_SERVICE = r"(?:site|website|service|services|api|app|platform|portal|store|checkout|traffic)"
_IMPACT = r"(?:the\s+)?(?:customer\s+|user\s+)?impact"
MILESTONES = (
    (
        "impact_started_at",
        re.compile(
            rf"^(?:(?:start|beginning|onset)\s+of\s+{_IMPACT}"
            rf"|{_IMPACT}\s+(?:starts|started|begins|began))\W*$"
        ),
    ),
    # what customers met, said of the whole service: "Site is hard down", "All services returning 404"
    (
        "impact_started_at",
        re.compile(
            rf"^(?:the\s+|all\s+)?(?:[\w.-]+\s+){{0,2}}?{_WHOLE_SERVICE}"
            r"\s+(?:is|are|was|were|went)?\s*(?:hard\s+|completely\s+|"
            r"fully\s+)?(?:down(?!\s+to\b)|unavailable|unreachable|offline|returning\s+(?:\d{3}s?|errors?))\b"
        ),
    ),
    (
        "impact_ended_at",
        re.compile(
            rf"^(?:the\s+|all\s+)?(?:[\w.-]+\s+){{0,2}}?{_WHOLE_SERVICE}\s+(?:(?:is|are|was|were)\s+)?"
            r"(?:(?:fully\s+|completely\s+)?(?:recovered|restored|back\s+(?:up|online|to\s+normal))"
            r"|working\s+(?:as\s+intended|normally|again))\b"
        ),
    ),
    (
        "started_at",
        re.compile(
            rf"^(?:(?:start|beginning|onset)\s+of\s+{_INCIDENT}"
            rf"|{_INCIDENT}\s+(?:starts|started|begins|began))\W*$"
        ),
    ),
    (
        "detected_at",
        re.compile(
            r"^(?:the\s+)?(?:team|on-?call|we|engineers?|responders?)"
            r"(?:\s+(?:is|are|was|were|gets?|got))?\s+(?:alerted|paged|notified)\b"
            r"|\b(?:a|the|one|first)\s+(?:users?|customers?)\s+(?:reported|reports)\b"
            # "The researchers notified conda-forge of the leaked token" (never "We notified users")
            r"|^(?!(?:we|our|the\s+team)\b)[^.]{1,60}?(?<!was )(?<!were )(?<!been )\bnotified\s+"
            r"(?!and\b|by\b)[\w@/-]+(?:\s+[\w/-]+)?\s+(?:of|about)\b"
        ),
    ),
    # Impact brought under control: the leaked secret cut off, or a change undone "temporarily fixing" it
    (
        "mitigated_at",
        re.compile(
            r"\b(?:disabled|revoked|invalidated|rotated)\s+(?:the\s+|all\s+)?(?:leaked\s+|"
            r"compromised\s+|exposed\s+|affected\s+)?(?:api\s+)?(?:tokens?|keys?|credentials?)\b"
            r"|\b(?:temporarily|partially)\s+(?:fixing|fixed|resolving|restoring|restored)\b"
            r"|\bworkaround\s+(?:was\s+)?(?:applied|deployed|in\s+place)\b"
        ),
    ),
    # The first attempt, whether or not it helped: "Operations engineers revert site repo changes",
    # "We attempted to restart the stalled job"; the subject is a few words at most, so a sentence
    # that merely mentions a revert ("the change that was reverted later…") is not one.
    (
        "first_mitigation_at",
        re.compile(
            r"\b(?:first|initial)\s+(?:mitigation|fix)\s+attempt\b"
            r"|\b(?:began|started|initiated)\s+(?:corrective|remedial|mitigating|mitigation)"
            r"\s+(?:actions?|steps?|work)\b"
            r"|^(?:[\w-]+\s+){0,3}?(?:attempted|tried)\s+to\s+(?:mitigate|fix|restore|restart|"
            r"revive|roll\s+back|recover|revert)\b"
            r"|^(?:[\w-]+\s+){0,3}?(?:reverts?|reverted|roll(?:s|ed)?\s+back)\s+(?!was\b|is\b)"
        ),
    ),
    (
        "impact_ended_at",
        re.compile(
            rf"(?:^end\s+of\s+{_SUBJECT}|\b{_SUBJECT}\s+(?:ends|ended|is\s+over|was\s+over"
            rf"|goes\s+away|went\s+away))\W*$"
        ),
    ),
    # "Incident resolved.", "The status page incident was marked as resolved."
    (
        "resolved_at",
        re.compile(
            rf"^(?:{_SUBJECT}\s+(?:is\s+|was\s+)?|(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{_SUBJECT}"
            rf"\s+(?:is|was|has\s+been)\s+)(?:marked\s+(?:as\s+)?)?resolved\W*$"
        ),
    ),
)


def milestones(events: list[tuple[datetime, str]], rough: bool = False) -> list[FoundTime]:
    """Header times from timeline entries that say which moment they are, with the entry's words;
    `rough` when the timeline says its times are approximate."""
    found = []
    for at, text in events:
        # code spans stay: in an entry they name things ("notified `conda-forge` of …"), not log lines
        for sentence in [" ".join(p.split()) for p in _SENTENCE_END.split(text) if p.strip()][:3]:
            plain = re.sub(r"[*_`]", "", _LINK.sub(r"\1", sentence)).strip().lower()
            found += [
                FoundTime(field, at, sentence, rough) for field, rule in MILESTONES if rule.search(plain)
            ]
    return _first_of_each(found)
