"""The "Import from chat" expander on the Timeline step: read a chat export or pasted log, then hand
the messages to the preview (components/chat_preview.py), where the author picks and maps them."""

from __future__ import annotations

import hashlib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import streamlit as st

import storage
from components import chat_preview, disclosure
from exports.escape import md_inline
from postmortem import chat

UPLOAD_TYPES = ["zip", "json", "txt", "log"]
ZONES = ["UTC", *sorted(z for z in zoneinfo.available_timezones() if z != "UTC")]


def key(doc_id: int, name: str) -> str:
    # Not under session.widget_key: loading a newer version resets those, and would drop the upload.
    return f"chatimport:{doc_id}:{name}"


@dataclass(frozen=True)
class Request:
    """What to read and how; its signature decides when the chat must be read again."""

    upload: Any  # a Streamlit UploadedFile, or None for pasted text
    text: str
    fmt: str
    zone: str
    day: date
    channels: tuple[str, ...]

    def signature(self) -> tuple:
        source = (
            self.upload.file_id if self.upload is not None else hashlib.sha1(self.text.encode()).hexdigest()
        )
        return source, self.fmt, self.zone, self.day, self.channels


def _default_day(stored: storage.Stored) -> date:
    times = stored.doc.header.times
    first = times.started_at or times.detected_at
    return first.date() if first else datetime.now(UTC).date()


def _likely_incident_channel(offered: list[str]) -> list[str]:
    """The channel an incident most likely ran in ('inc-…', '…-incident'), else the first one."""
    return [c for c in offered if re.search(r"inc|incident|outage|sev", c, re.IGNORECASE)][:1] or offered[:1]


def _channels(doc_id: int, upload) -> list[str]:
    """The export's channels, read once per uploaded file: every rerun of the Timeline step draws this
    expander, and re-reading a large zip's directory each time is wasted while the file is unchanged."""
    cache = key(doc_id, "channels-of")
    cached = st.session_state.get(cache)
    if cached and cached[0] == upload.file_id:
        return cached[1]
    offered = chat.slack_channels(upload)
    st.session_state[cache] = (upload.file_id, offered)
    return offered


def _request(stored: storage.Stored) -> Request | None:
    doc_id = stored.id
    where = st.radio(
        "The chat",
        ["Upload a file", "Paste text"],
        horizontal=True,
        key=key(doc_id, "source"),
        label_visibility="collapsed",
    )
    upload, text = None, ""
    if where == "Upload a file":
        upload = st.file_uploader(
            "Slack export (.zip), Slack day file (.json) or a text log (.txt, .log)",
            type=UPLOAD_TYPES,
            key=key(doc_id, "file"),
        )
    else:
        text = st.text_area(
            "Paste the chat",
            key=key(doc_id, "text"),
            height=160,
            placeholder="[10:15] <nick> text   ·   2026-03-04T10:15:00Z name: text   ·   "
            "a Teams conversation copied from the app",
        )
    left, middle, right = st.columns(3)
    fmt = left.selectbox(
        "Format", list(chat.FORMATS), format_func=chat.FORMATS.get, key=key(doc_id, "format")
    )
    zone = middle.selectbox("Time zone of times written without one", ZONES, key=key(doc_id, "zone"))
    day = right.date_input(
        "Date of a log with times only",
        value=_default_day(stored),
        key=key(doc_id, "day"),
        help="IRC-style logs and some Teams copies show only the time of day.",
    )
    if upload is None and not text.strip():
        return None
    channels: tuple[str, ...] = ()
    if upload is not None:
        offered = _channels(doc_id, upload)
        if offered:
            channels = tuple(
                st.multiselect(
                    "Slack channels",
                    offered,
                    default=_likely_incident_channel(offered),
                    key=key(doc_id, "channels"),
                    help="Usually the incident's own channel.",
                )
            )
            if not channels:
                st.info("Choose at least one channel.")
                return None
    return Request(upload, text, fmt, zone, day, channels)


def _parse(request: Request) -> chat.ParseResult:
    options = chat.TextOptions(zoneinfo.ZoneInfo(request.zone), request.day)
    if request.upload is None:
        return chat.parse_text(request.text, request.fmt, options)
    bar = st.progress(0.0, text="Reading the export…")
    try:
        return chat.parse_file(
            request.upload,
            request.upload.name,
            request.fmt,
            options,
            request.channels or None,
            progress=lambda done: bar.progress(done, text=f"Reading the export… {done:.0%}"),
        )
    finally:
        bar.empty()


def _parsed(doc_id: int, request: Request) -> chat.ParseResult | None:
    """The chat read once per file and options (a rerun for a tick in the preview reads nothing)."""
    cache = key(doc_id, "parsed")
    cached = st.session_state.get(cache)
    if cached and cached[0] == request.signature():
        return cached[1]
    st.session_state.pop(cache, None)
    try:
        result = _parse(request)
    except chat.ChatImportError as exc:
        st.error(
            md_inline(str(exc)), icon=":material/block:"
        )  # file names inside a zip are the uploader's text
        return None
    st.session_state[cache] = (request.signature(), result)
    return result


def show(stored: storage.Stored, read_only: bool = False) -> None:
    box = disclosure.expander("Import from chat", key=key(stored.id, "open"), icon=":material/forum:")
    if box is None:
        return
    with box:
        st.caption(
            "Turn the incident channel into timeline events. Times are stored in UTC; each person "
            "appears by the role you give them, never by name."
        )
        try:
            request = _request(stored)
        except chat.ChatImportError as exc:
            st.error(
                md_inline(str(exc)), icon=":material/block:"
            )  # file names inside a zip are the uploader's text
            return
        if request is None:
            return
        result = _parsed(stored.id, request)
        if result is not None:
            chat_preview.show(stored, result, key=lambda name: key(stored.id, name), read_only=read_only)
