"""The incident's kind from what its author calls it: a security incident or a data loss.

Only the title, tags and a Type/Kind/Category line are read: those name the whole incident, while a
word such as "security" in the body may be a passing mention. The kind matters beyond a label: the
public report asks security and data-loss incidents for what customers should do.
"""

from __future__ import annotations

import re

from postmortem.models import TriggerKind

# Words teams put in the title of a security write-up ("Security incident disclosure", "Compromised
# self-hosted runners", "Leaked token", "Phishing", "Unauthorized access", "Credential exposure").
_SECURITY = re.compile(
    r"\b(?:security|compromis\w*|breach\w*|leak(?:ed|s)?|malware|malicious|phish\w*|"
    r"vulnerab\w*|unauthori[sz]ed\s+access|credentials?|exploit\w*|attack\w*|intrusion|fraud\w*)\b",
    re.IGNORECASE,
)
_DATA_LOSS = re.compile(
    r"\b(?:data[\s-]+loss|lost\s+data|data\s+(?:was\s+)?(?:deleted|corrupted|lost))\b", re.IGNORECASE
)


def kind_of(*names: str) -> TriggerKind | None:
    """SECURITY or DATA_LOSS when one of the names says so; data loss first, as the narrower claim."""
    text = " ".join(names)
    if _DATA_LOSS.search(text):
        return TriggerKind.DATA_LOSS
    if _SECURITY.search(text):
        return TriggerKind.SECURITY
    return None
