"""The review meeting: an agenda with time boxes (Markdown) and a calendar invitation (.ics) dated
inside the post-mortem's deadline. Pure: (document, meeting time) -> bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from exports.escape import md_block, md_inline
from postmortem.models import PostMortem
from postmortem.timeline import anchor_times

# FACTS §9: a 60–90 minute meeting; these boxes add up to 80 and are scaled to the length chosen.
BOXES = (
    ("Ground rules, read aloud", 5),
    ("Timeline", 15),
    ("What went well and what went wrong", 15),
    ("Root cause", 20),
    ("Action items", 20),
    ("Lessons", 5),
)
LENGTHS = (60, 75, 90)
GROUND_RULES = (
    "We look for how the system produced the outcome, not for who to blame.",
    "Everyone acted reasonably given what they knew at the time; we reconstruct what was knowable then.",
    "Roles, not names, in the narrative. Wishes about a different past are not causes.",
    "Action items get one owner, a ticket and a due date before we close.",
)
DEFAULT_HOUR = time(14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Slot:
    title: str
    start: datetime
    minutes: int


def slots(start: datetime, length: int = 60) -> list[Slot]:
    """The agenda's time boxes scaled to `length` minutes, the last one absorbing rounding."""
    if not 60 <= length <= 90:
        raise ValueError("A review meeting runs 60 to 90 minutes.")
    total = sum(m for _, m in BOXES)
    minutes = [max(5, round(m * length / total)) for _, m in BOXES]
    minutes[-1] += length - sum(minutes)
    out, at = [], start
    for (title, _), m in zip(BOXES, minutes, strict=True):
        out.append(Slot(title, at, m))
        at += timedelta(minutes=m)
    return out


def meeting_day(deadline: date | None, today: date) -> date:
    """The next weekday from today, but never after the deadline (the day before it when possible)."""
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    if deadline and day > deadline:
        return max(today, deadline)
    return day


def _plain(text: str) -> str:
    return " ".join(text.split())


def agenda_markdown(doc: PostMortem, start: datetime, length: int = 60, *, escaped: bool = True) -> bytes:
    """The agenda, one section per time box, with what the document says under each.

    `escaped=False` leaves user text unescaped, for the plain-text description of the invitation."""
    inline = md_inline if escaped else _plain

    def _bullets(items: list[str], empty: str) -> str:
        return "\n".join(f"- {inline(i)}" for i in items) if items else f"- *{empty}*"

    h = doc.header
    boxes = slots(start, length)
    anchors = anchor_times(doc)
    content = {
        "Ground rules, read aloud": _bullets(list(GROUND_RULES), ""),
        "Timeline": _bullets(
            [
                f"{at:%d %b %H:%M} UTC — {anchor}"
                for anchor, at in sorted(anchors.items(), key=lambda kv: kv[1])
            ],
            "No anchors marked yet.",
        )
        + f"\n\n{len(doc.timeline)} events in the document.",
        "What went well and what went wrong": "**Went well**\n\n"
        + _bullets([n.text for n in doc.went_well], "Nothing recorded yet.")
        + "\n\n**Went wrong**\n\n"
        + _bullets([n.text for n in doc.went_wrong], "Nothing recorded yet."),
        "Root cause": (
            (md_block if escaped else str)(doc.root_cause.statement)
            if doc.root_cause.statement
            else "*No statement yet.*"
        )
        + "\n\n**Contributing factors**\n\n"
        + _bullets([f.text for f in doc.contributing_factors], "None listed."),
        "Action items": _bullets(
            [
                f"{i.priority or '–'} · {i.title} — {i.owner or 'no owner'}, due "
                f"{i.due or '–'}, {i.tracker or 'no ticket'}"
                for i in doc.action_items
            ],
            "No action items yet.",
        ),
        "Lessons": _bullets([n.text for n in doc.lessons], "Nothing recorded yet."),
    }
    lines = [
        f"# Post-mortem review: {inline(h.title)}",
        "",
        f"{inline(h.incident_id)} · {h.severity} · {start:%A %d %B %Y, %H:%M} UTC · {length} minutes",
        "",
    ]
    for slot in boxes:
        lines += [
            f"## {slot.start:%H:%M}–{slot.start + timedelta(minutes=slot.minutes):%H:%M} · {slot.title} "
            f"({slot.minutes} min)",
            "",
            content[slot.title],
            "",
        ]
    lines += [
        "## After the meeting",
        "",
        "- The Allspaw test: would the role closest to the trigger feel this "
        "document represents their experience fairly?",
        "- Incident-commander sign-off on the Review step.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _ics_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "")
    return escaped.replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    data, out = line.encode("utf-8"), []
    while len(data) > (75 if not out else 74):  # a continuation line starts with a space
        cut = 75 if not out else 74
        while cut and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode("utf-8"))
        data = data[cut:]
    out.append(data.decode("utf-8"))
    return "\r\n ".join(out)


def agenda_ics(doc: PostMortem, start: datetime, length: int = 60, *, stamp: datetime | None = None) -> bytes:
    """A one-event calendar invitation whose description is the agenda."""
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=length)
    fmt = "%Y%m%dT%H%M%SZ"
    description = agenda_markdown(doc, start, length, escaped=False).decode("utf-8")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Debrief//Post-mortem review//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:debrief-review-{doc.header.incident_id}-{start:{fmt}}@debrief",
        f"DTSTAMP:{(stamp or datetime.now(UTC)).astimezone(UTC):{fmt}}",
        f"DTSTART:{start:{fmt}}",
        f"DTEND:{end:{fmt}}",
        f"SUMMARY:{_ics_text(f'Post-mortem review: {doc.header.incident_id} {doc.header.title}')}",
        f"DESCRIPTION:{_ics_text(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
