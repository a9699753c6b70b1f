"""The key moments that some templates mark in capitals inside timeline lines ("OUTAGE ENDS",
"INCIDENT RESOLVED"), read as Debrief's timeline anchors so the durations work out after an import.

Only capitals count: in running text "resolved" or "detected" is a description, not a marker.
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


def anchor_in(text: str) -> Anchor | None:
    """The anchor a capitalised marker in the line names, the first marker in the line winning."""
    found = [(m.start(), anchor) for pattern, anchor in _PATTERNS if (m := pattern.search(text))]
    return min(found, key=lambda pair: pair[0])[1] if found else None
