"""The messages read from a chat, as a table to pick from, a role per person, and the import button."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

import storage
from components import session
from exports.escape import md_inline
from postmortem import chat
from postmortem.chat import limits
from postmortem.chat.to_timeline import (
    check_roles,
    check_size,
    default_roles,
    import_messages,
    participants,
    preview_text,
)

MAX_ROWS = 2_000  # a browser table stays responsive; narrow a bigger chat with the filters
LABEL = "Timeline (chat import)"
SOURCE_NAMES = {
    "slack": "a Slack export",
    "irc": "an IRC-style log",
    "iso": "an ISO-dated log",
    "teams": "a Teams conversation",
}
Key = Callable[[str], str]
READ_ONLY_HELP = "Read-only: this post-mortem is final or published, or your role may not change it."


def _unparsed(result: chat.ParseResult) -> None:
    if not result.unparsed:
        return
    with st.expander(f"{len(result.unparsed):,} lines could not be read, so they are not in the table"):
        st.dataframe(
            pd.DataFrame([{"Where": u.where, "Text": u.text, "Why": u.reason} for u in result.unparsed]),
            hide_index=True,
            width="stretch",
            placeholder="",
        )


def _filtered(result: chat.ParseResult, key: Key) -> list[chat.Message]:
    left, right = st.columns([1, 1])
    hide = left.checkbox("Hide joins, leaves, bots and channel notices", value=True, key=key("hide"))
    contains = right.text_input("Text contains", key=key("contains"), placeholder="e.g. rollback")
    needle = contains.strip().casefold()
    start, end = _time_range(result.messages, key)
    return [
        m
        for m in result.messages
        if not (hide and m.kind.is_noise)
        and (not needle or needle in m.text.casefold())
        and start <= m.ts.replace(tzinfo=None) <= end
    ]


def _time_range(messages: Sequence[chat.Message], key: Key) -> tuple[datetime, datetime]:
    """A range slider over the messages' times (UTC): the way to narrow a long export to the incident."""
    first = min(m.ts for m in messages).replace(tzinfo=None, second=0, microsecond=0)
    last = max(m.ts for m in messages).replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
    if last - first <= timedelta(minutes=1):
        return first, last
    chosen = st.slider(
        "Time range (UTC)",
        min_value=first,
        max_value=last,
        value=(first, last),
        step=timedelta(minutes=1),
        format="YYYY-MM-DD HH:mm",
        key=key("range"),
        help=f"One import adds at most {limits.MAX_EVENTS_PER_IMPORT:,} events: keep the incident's hours.",
    )
    return chosen[0], chosen[1]


def _roles(result: chat.ParseResult, shown: Sequence[chat.Message], key: Key) -> dict[str, str]:
    defaults = default_roles(result.messages, "Responder", result.names)
    people = participants(shown, result.names)
    st.markdown("**Who is who.** Each person becomes a role in the timeline (required); names stay out.")
    columns = st.columns(3)
    roles = {}
    for n, (person, display) in enumerate(people.items()):
        roles[person] = columns[n % 3].text_input(
            f"Role of {md_inline(display)}",
            value=defaults.get(person, ""),
            key=key(f"role:{person}"),
            max_chars=100,
            placeholder="e.g. Incident commander",
        )
    return roles


def _table(
    shown: Sequence[chat.Message], roles: dict[str, str], names: dict[str, str], key: Key
) -> list[chat.Message]:
    rows = shown[:MAX_ROWS]
    if len(shown) > MAX_ROWS:
        st.caption(
            f"Showing the first {MAX_ROWS:,} of {len(shown):,} messages; narrow them with the filters."
        )
    frame = pd.DataFrame(
        {
            "import": pd.array([True] * len(rows), dtype="bool"),
            "time": pd.to_datetime([m.ts.replace(tzinfo=None) for m in rows]),
            "role": [(roles.get(m.author_key) or "").strip() for m in rows],
            "becomes": preview_text(rows, roles, names),
            "kind": [m.kind.value for m in rows],
            "where": [m.where for m in rows],
        }
    )
    # The key follows the rows shown, so ticks never land on other rows after a filter change.
    shown_id = hashlib.sha1("".join(m.origin_key for m in rows).encode()).hexdigest()[:12]
    edited = st.data_editor(
        frame,
        key=key(f"table:{shown_id}"),
        hide_index=True,
        width="stretch",
        height=min(400, 38 + 35 * len(rows)),
        disabled=["time", "role", "becomes", "kind", "where"],
        column_config={
            "import": st.column_config.CheckboxColumn(
                "Import", help="Untick what should not become an event."
            ),
            "time": st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm:ss"),
            "role": st.column_config.TextColumn("Who (role)"),
            "becomes": st.column_config.TextColumn("Becomes the event", width="large"),
            "kind": st.column_config.TextColumn("Kind"),
            "where": st.column_config.TextColumn("From"),
        },
        placeholder="",
    )
    return [m for m, tick in zip(rows, edited["import"].tolist(), strict=True) if tick]


def _import(
    doc_id: int, chosen: list[chat.Message], roles: dict[str, str], names: dict[str, str], key: Key
) -> None:
    st.session_state.pop(key("outcome"), None)
    try:
        check_roles(chosen, roles)
    except chat.ChatImportError as exc:
        st.session_state[key("outcome")] = ("error", str(exc))
        return
    reports = []

    def change(doc):
        new, report = import_messages(doc, chosen, roles, keep_noise=True, names=names)
        reports.append(report)
        return new

    if session.commit(doc_id, LABEL, change):
        report = reports[-1]
        st.session_state[key("outcome")] = (
            "success",
            f"Added {report.added} events to the timeline"
            + (f"; {report.duplicates} were there already." if report.duplicates else "."),
        )


def _too_many(adding: int, already: int) -> str:
    """Why this import is too big, or "" when it fits."""
    try:
        check_size(adding, already)
    except chat.ChatImportError as exc:
        return str(exc)
    return ""


def _outcome(key: Key) -> None:
    outcome = st.session_state.get(key("outcome"))
    if outcome:
        (st.error if outcome[0] == "error" else st.success)(md_inline(outcome[1]))  # may hold chat names


def show(stored: storage.Stored, result: chat.ParseResult, key: Key, read_only: bool = False) -> None:
    _unparsed(result)
    if not result.messages:
        st.warning("No messages were found.")
        return
    st.caption(
        f"Read {len(result.messages):,} messages from {SOURCE_NAMES.get(result.format, 'the chat')}. "
        f"One import adds at most {limits.MAX_EVENTS_PER_IMPORT:,} events and a timeline holds at most "
        f"{limits.MAX_TIMELINE_EVENTS:,}: narrow a long export by time range, channel or text."
    )
    shown = _filtered(result, key)
    if not shown:
        st.info("No message matches the filters.")
        return
    roles = _roles(result, shown, key)
    chosen = _table(shown, roles, result.names, key)
    known = {e.origin_key for e in stored.doc.timeline if e.origin_key}
    duplicates = sum(1 for m in chosen if m.origin_key in known)
    fresh = len(chosen) - duplicates
    st.markdown(
        f"**{len(chosen):,} ticked:** {fresh:,} will be added, {duplicates:,} already in the timeline "
        "(skipped)."
    )
    too_many = _too_many(fresh, len(stored.doc.timeline))
    if too_many:
        st.warning(md_inline(too_many), icon=":material/pan_tool:")
    st.button(
        f"Import {fresh:,} events" if fresh else "Nothing new to import",
        type="primary",
        key=key("import"),
        disabled=read_only or not fresh or bool(too_many),
        on_click=_import,
        args=(stored.id, chosen, roles, result.names, key),
        help=READ_ONLY_HELP if read_only else too_many or None,
    )
    for message in session.errors_for(stored.id, LABEL):
        st.error(md_inline(message))
    _outcome(key)
