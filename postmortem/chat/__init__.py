"""Chat transcripts to messages: Slack exports, IRC-style and ISO-dated logs, Teams copy-paste.

Pure parsing: bytes or text in, a ParseResult out (messages, the lines not understood, the channels
offered), or one ChatImportError that says why nothing could be read. Nothing here touches storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from postmortem.chat import limits
from postmortem.chat.messages import (
    ChatImportError,
    Message,
    MessageKind,
    ParseResult,
    Unparsed,
    render,
)
from postmortem.chat.plaintext import TEXT_PARSERS, TextOptions, guess_format
from postmortem.chat.safezip import SafeZip
from postmortem.chat.slack import ExportSource, Progress, channels_in, parse_day_file, parse_export

FORMATS = {
    "auto": "Detect it",
    "slack": "Slack export (zip, or one day's .json)",
    "irc": "IRC-style log: [10:15] <nick> text",
    "iso": "ISO-dated log: 2026-03-04T10:15:00Z name: text",
    "teams": "Microsoft Teams copy-paste",
}

__all__ = [
    "FORMATS",
    "ChatImportError",
    "ExportSource",
    "Message",
    "MessageKind",
    "ParseResult",
    "TextOptions",
    "Unparsed",
    "parse_export",
    "parse_file",
    "parse_text",
    "render",
    "slack_channels",
]


def _size(file: BinaryIO) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def _too_big(size: int) -> ChatImportError:
    return ChatImportError(
        f"The file is {size / 2**20:,.0f} MB; Debrief reads chat files up to "
        f"{limits.MAX_INPUT_BYTES // 2**20} MB. Export fewer channels or days."
    )


def _is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ChatImportError("This file is neither a zip nor text (it holds binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChatImportError(
            f"This file is neither a zip nor UTF-8 text (byte {exc.start:,} cannot be read)."
        ) from exc


def parse_text(text: str, fmt: str = "auto", options: TextOptions | None = None) -> ParseResult:
    """Pasted or saved text in one of the text formats (or Slack day-file JSON)."""
    options = options or TextOptions()
    if len(text) > limits.MAX_INPUT_BYTES:
        raise _too_big(len(text))
    if fmt == "slack" or (
        fmt == "auto"
        and text.lstrip()[:1] == "["
        and text.rstrip()[-1:] == "]"
        and guess_format(text) is None
    ):
        return parse_day_file(text.encode("utf-8", "surrogatepass"), "pasted text")
    if fmt == "auto":
        fmt = guess_format(text) or ""
        if not fmt:
            raise ChatImportError(
                "No line looks like a chat message in a format Debrief knows "
                "(Slack export, [10:15] <nick> text, 2026-03-04T10:15Z name: text, Teams)."
            )
    if fmt not in TEXT_PARSERS:
        raise ChatImportError(f"Unknown chat format {fmt!r}.")
    result = TEXT_PARSERS[fmt](text, options)
    if not result.messages and result.unparsed:
        raise ChatImportError(f"No line could be read as {FORMATS[fmt]}; try another format.")
    return result


def parse_file(
    file: BinaryIO,
    name: str,
    fmt: str = "auto",
    options: TextOptions | None = None,
    channels: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ParseResult:
    """An uploaded file: a Slack export zip, one Slack day file, or a text log."""
    size = _size(file)
    if size > limits.MAX_INPUT_BYTES:
        raise _too_big(size)
    head = file.read(4)
    file.seek(0)
    if _is_zip(head):
        if fmt not in ("auto", "slack"):
            raise ChatImportError(f"This is a zip file; only Slack exports come as zips, not {FORMATS[fmt]}.")
        archive = SafeZip(file)
        try:
            return parse_export(archive, channels, progress)
        finally:
            archive.close()
    data = file.read(limits.MAX_INPUT_BYTES + 1)
    if (
        fmt == "slack"
        and name.lower().endswith(".json")
        or (fmt == "auto" and data.lstrip()[:1] == b"[" and name.lower().endswith(".json"))
    ):
        return parse_day_file(data, name)
    return parse_text(_decode(data), fmt, options)


def slack_channels(file: BinaryIO) -> list[str]:
    """The channels a Slack export zip offers, read from its folder names (no message is parsed)."""
    if _size(file) > limits.MAX_INPUT_BYTES:
        raise _too_big(_size(file))
    if not _is_zip(file.read(4)):
        file.seek(0)
        return []
    file.seek(0)
    archive = SafeZip(file)
    try:
        return channels_in(archive.names())
    finally:
        archive.close()
