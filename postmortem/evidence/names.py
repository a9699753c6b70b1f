"""File names as an author's browser sent them, made safe to show, store and write to a disk."""

from __future__ import annotations

import re
import unicodedata

from postmortem.evidence.kinds import EXTENSION, MediaType
from postmortem.evidence.limits import MAX_NAME_CHARS

FALLBACK = "attachment"
# Characters Windows refuses in names, and the separators of every platform.
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
# Names Windows keeps for devices, whatever the extension ("con.txt" opens the console).
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)", re.IGNORECASE)


def _visible(char: str) -> bool:
    # Control (Cc) and format (Cf) characters: NUL, newlines, and the bidi overrides (U+202E) and
    # zero-width marks that make "gpj.exe" read as "exe.jpg".
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def _stem(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = re.split(r"[/\\]", text)[-1]  # the last path part only: no "../" survives
    text = "".join(c for c in text if _visible(c))
    text = _UNSAFE.sub("_", text)
    text = " ".join(text.split())  # every run of spaces (also non-breaking ones) becomes one
    return text.strip(" .")


def safe_name(raw: str, kind: MediaType) -> str:
    """A name without path parts, invisible characters or reserved words, at most MAX_NAME_CHARS
    long, ending in the extension of the kind its content is (whatever extension it came with)."""
    stem = _stem(raw)
    extension = EXTENSION[kind]
    base, dot, old = stem.rpartition(".")
    if dot and old.lower() in {e.lstrip(".") for e in EXTENSION.values()} | {"jpeg", "log", "text"}:
        stem = base.rstrip(" .")
    if _RESERVED.match(stem):
        stem = "_" + stem
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(" .") or FALLBACK
    return stem + extension
