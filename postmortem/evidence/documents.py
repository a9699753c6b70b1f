"""Documents that are not images: PDFs kept byte for byte after a header check, logs and CSV kept
as UTF-8 text."""

from __future__ import annotations

import csv
import re

from postmortem.evidence.errors import AttachmentRefused
from postmortem.evidence.kinds import MediaType

# Terminal escape sequences (colours, cursor moves, window titles) that `cat` of a log would obey.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Active content a PDF reader may run. A plain scan: names hidden in compressed object streams get
# past it, which is why downloads are served as attachments, never opened in the browser.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FALLBACK_ENCODING = "cp1252"


def check_pdf(data: bytes) -> bytes:
    """The PDF as it came, if it has the header and an end-of-file marker and no active content."""
    if b"%%EOF" not in data[-2048:]:
        raise AttachmentRefused("The PDF is cut short (it has no end-of-file marker); export it again.")
    if _PDF_ACTIVE.search(data):
        raise AttachmentRefused(
            "The PDF contains scripts, launch actions or embedded files; "
            "print it to a new PDF and attach that."
        )
    return data


def _decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), ()
            except UnicodeDecodeError as exc:
                raise AttachmentRefused("The file says it is Unicode text but is not.") from exc
    if b"\x00" in data:
        raise AttachmentRefused("This is not a text file, nor an image or PDF Debrief takes.")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        # Logs from older Windows tools: bytes outside UTF-8 read as Windows-1252.
        return data.decode(FALLBACK_ENCODING, errors="replace"), (
            "The text was not UTF-8; it was read as Windows-1252.",
        )


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return bool(sample) and len(_CONTROL.findall(sample)) > len(sample) // 100


def _is_csv(text: str) -> bool:
    """Two or more columns in the same number on every one of the first lines."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t")
        widths = {len(row) for row in csv.reader(lines, dialect)}
    except csv.Error:
        return False
    return len(widths) == 1 and widths.pop() >= 2


def check_text(data: bytes) -> tuple[bytes, MediaType, tuple[str, ...]]:
    """The text as UTF-8 without terminal escapes, and whether it reads as CSV or as a plain log."""
    text, notes = _decode(data)
    cleaned = _ANSI.sub("", text)
    if cleaned != text:
        notes += ("Terminal colour and control codes were removed.",)
    if _looks_binary(cleaned):
        raise AttachmentRefused("This is not a text file, nor an image or PDF Debrief takes.")
    if not cleaned.strip():
        raise AttachmentRefused("The file holds no text.")
    kind = MediaType.CSV if _is_csv(cleaned) else MediaType.TEXT
    return cleaned.encode("utf-8"), kind, notes
