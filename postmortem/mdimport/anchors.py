"""The key moments that some templates mark in capitals inside timeline lines ("OUTAGE ENDS",
"INCIDENT RESOLVED"), or as a label that opens the line ("**Detection:** alerts fired"), read as
Debrief's timeline anchors so the durations work out after an import.

Inside a line only capitals count: in running text "resolved" or "detected" is a description, not a
marker. A label counts in any case, but only as the line's first words followed by a colon.
"""

from __future__ import annotations

import re

from postmortem.models import Anchor

_MARKERS = (
    (r"TRIGGER(?:ED)?|CHANGE DEPLOYED", Anchor.TRIGGER),
    (r"FIRST SIGNAL|ALERT FIRED", Anchor.FIRST_SIGNAL),
    (r"(?:INCIDENT |OUTAGE )?DETECTED|DETECTION", Anchor.DETECTION),
    (r"ESCALATED|ESCALATION", Anchor.ESCALATION),
    (r"MITIGATION (?:BEGINS|STARTS|STARTED)|FIRST MITIGATION", Anchor.FIRST_MITIGATION),
    (r"(?:OUTAGE|IMPACT) (?:ENDS|ENDED|MITIGATED|OVER)", Anchor.IMPACT_ENDED),
    (r"(?:INCIDENT |FULLY )?RESOLVED|FULL RESOLUTION", Anchor.RESOLUTION),
    (r"INCIDENT (?:ENDS|ENDED|CLOSED)", Anchor.CLOSED),
)
_PATTERNS = tuple((re.compile(rf"(?<![A-Za-z]){words}(?![A-Za-z])"), anchor) for words, anchor in _MARKERS)

# "Recovery" is the service restored (DFDS's "time to recovery" ends there), not the fix: mitigated.
_LABELS = {
    **dict.fromkeys(("trigger", "triggered"), Anchor.TRIGGER),
    **dict.fromkeys(("first signal", "first alert"), Anchor.FIRST_SIGNAL),
    **dict.fromkeys(
        ("impact start", "impact started", "impact began", "outage start"), Anchor.IMPACT_STARTED
    ),
    **dict.fromkeys(("detection", "detected", "incident detected"), Anchor.DETECTION),
    **dict.fromkeys(("escalation", "escalated"), Anchor.ESCALATION),
    **dict.fromkeys(("mitigation", "first mitigation", "mitigation started"), Anchor.FIRST_MITIGATION),
    **dict.fromkeys(("mitigated", "recovery", "recovered", "service restored", "restored"), Anchor.MITIGATED),
    **dict.fromkeys(("impact ended", "impact end", "outage end", "outage ended"), Anchor.IMPACT_ENDED),
    **dict.fromkeys(("resolution", "resolved", "full resolution"), Anchor.RESOLUTION),
    **dict.fromkeys(("closed", "incident closed"), Anchor.CLOSED),
}
# The opening words, maybe in bold or italics, then a colon (inside or after the emphasis).
_LABEL = re.compile(r"^\s*[*_]{0,3}(?P<label>[A-Za-z][A-Za-z ]{1,24}?)\s*(?::[*_]{0,3}|[*_]{1,3}:)\s")


def anchor_in(text: str) -> Anchor | None:
    """The anchor the line's opening label names, else a capitalised marker in it (the first one wins)."""
    if (label := _LABEL.match(text)) and (anchor := _LABELS.get(label["label"].lower())):
        return anchor
    found = [(m.start(), anchor) for pattern, anchor in _PATTERNS if (m := pattern.search(text))]
    return min(found, key=lambda pair: pair[0])[1] if found else None
