"""The controlled vocabulary of failure classes: a default list (rules/failure_classes.toml) that
each team extends. Classes compare without regard to case or spacing."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DEFAULTS_FILE = Path(__file__).resolve().parent / "rules" / "failure_classes.toml"
MAX_LENGTH = 80


def key(name: str) -> str:
    """What two spellings of one class share: 'Deploy  or release' == 'deploy or release'."""
    return " ".join(name.split()).casefold()


@cache
def defaults() -> tuple[str, ...]:
    with DEFAULTS_FILE.open("rb") as handle:
        return tuple(tomllib.load(handle)["classes"])


def clean_new_class(name: str, existing: list[str]) -> str:
    """A new class name as stored, or ValueError saying why it cannot be added."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("Type the name of the class to add.")
    if len(cleaned) > MAX_LENGTH:
        raise ValueError(f"Keep the class under {MAX_LENGTH} characters; it is a label, not a description.")
    if any(key(cleaned) == key(other) for other in existing):
        raise ValueError(f"“{cleaned}” is already in the list.")
    return cleaned


def merged(extra: list[str], current: str = "") -> list[str]:
    """Defaults, then the team's classes, then the document's own value if it is none of them
    (values typed before the list existed stay valid)."""
    out: dict[str, str] = {}
    for name in (*defaults(), *extra):
        out.setdefault(key(name), name)
    if current.strip():
        out[key(current)] = current  # its own spelling, so the document's value is among the options
    return list(out.values())
