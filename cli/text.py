"""Text made safe for a terminal: one line, no control characters. Light on purpose: the error
path imports it, and a failing command should not wait for the domain's imports."""

from __future__ import annotations

import unicodedata

from pydantic import ValidationError

from postmortem.errors import describe

MAX_PROBLEMS = 8  # more than this in one error line stops being readable


def plain(text: object) -> str:
    """User text made safe for one terminal line: no control characters, whitespace folded."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in str(text))
    return " ".join(cleaned.split())


def problems_line(error: ValidationError) -> str:
    """A validation error as one line: the first few readable problems, joined with '; '."""
    lines = describe(error)
    text = "; ".join(lines[:MAX_PROBLEMS])
    if len(lines) > MAX_PROBLEMS:
        text += f"; and {len(lines) - MAX_PROBLEMS} more"
    return plain(text)
