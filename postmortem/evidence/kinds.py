"""The kinds of file Debrief keeps, and recognising them from their first bytes (never the name)."""

from __future__ import annotations

import re
from enum import StrEnum


class MediaType(StrEnum):
    PNG = "image/png"
    JPEG = "image/jpeg"
    GIF = "image/gif"
    WEBP = "image/webp"
    PDF = "application/pdf"
    TEXT = "text/plain"
    CSV = "text/csv"


IMAGES = (MediaType.PNG, MediaType.JPEG, MediaType.GIF, MediaType.WEBP)
EXTENSION = {
    MediaType.PNG: ".png",
    MediaType.JPEG: ".jpg",
    MediaType.GIF: ".gif",
    MediaType.WEBP: ".webp",
    MediaType.PDF: ".pdf",
    MediaType.TEXT: ".txt",
    MediaType.CSV: ".csv",
}
# Pillow's format names, for Image.open(formats=...): it decodes only these.
PILLOW_FORMAT = {MediaType.PNG: "PNG", MediaType.JPEG: "JPEG", MediaType.GIF: "GIF", MediaType.WEBP: "WEBP"}

_SIGNATURES: tuple[tuple[bytes, int, MediaType], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, MediaType.PNG),
    (b"\xff\xd8\xff", 0, MediaType.JPEG),
    (b"GIF87a", 0, MediaType.GIF),
    (b"GIF89a", 0, MediaType.GIF),
    (b"WEBP", 8, MediaType.WEBP),  # after "RIFF" and the chunk size
    (b"%PDF-", 0, MediaType.PDF),
)

# Binary kinds we refuse, named so the message says what the file is (asked only of files that
# are not text: a log line may well start with "BM" or "MZ").
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon file"),
)

# A browser runs these as HTML or SVG when it sniffs (after the WHATWG MIME sniffing standard's
# "scriptable" patterns): a text file that opens this way is refused, not stored as a log.
_MARKUP = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|"
    rb"\?xml|svg|xml|xsl|object|embed|meta|link|img|form|math)(?=[\s>/])",
    re.IGNORECASE,
)


def sniff_binary(data: bytes) -> MediaType | None:
    """The binary kind the bytes start with, or None."""
    for magic, offset, kind in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic and (
            kind is not MediaType.WEBP or data[:4] == b"RIFF"
        ):
            return kind
    return None


def is_markup(data: bytes) -> bool:
    """Would a browser take these bytes for HTML, SVG or XML?"""
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    return bool(_MARKUP.match(head) or _MARKUP.match(_utf16_head(head)))


def binary_kind(data: bytes) -> str | None:
    """What a binary file we never keep is ("a ZIP archive"), or None when we cannot tell."""
    return next((what for magic, what in _REFUSED_SIGNATURES if data.startswith(magic)), None)


def _utf16_head(head: bytes) -> bytes:
    # "<svg" saved as UTF-16 still opens as SVG in a browser; look at it as ASCII too.
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(codec, errors="ignore").encode("ascii", errors="ignore")
    return b""
