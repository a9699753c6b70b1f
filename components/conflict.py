"""The banner shown when a save was refused because someone else saved first and the two changes meet.

A text both people changed in the same place shows both versions side by side, the parts that differ
highlighted, and one choice per part; other fields show their value and mine. Nothing is dropped unseen.
"""

from __future__ import annotations

import streamlit as st

from components import session
from exports.escape import md_block
from postmortem import merge

_CHOICES: dict[merge.Choice, str] = {
    "mine": "Keep mine",
    "theirs": "Keep theirs",
    "both": "Keep both (mine first)",
}


def _marked(pieces: list[merge.Piece], side: str) -> str:
    """One side's whole text as inert Markdown, the parts both changed highlighted and numbered."""
    out, number = [], 0
    for piece in pieces:
        if isinstance(piece, str):
            out.append(md_block(piece))
            continue
        number += 1
        text = md_block(getattr(piece, side)) or "(removed)"
        out.append(f":orange-background[**[{number}]** {text}]")
    return "".join(out)


def _choice_key(doc_id: int, number: int) -> str:
    return f"conflict:{doc_id}:part:{number}"


def _forget_choices(doc_id: int, count: int) -> None:
    # A later conflict starts from "Keep mine" again, not from this one's choices.
    for number in range(1, count + 1):
        st.session_state.pop(_choice_key(doc_id, number), None)


def _save_choices(doc_id: int, count: int) -> None:
    session.resolve_pending(
        [st.session_state.get(_choice_key(doc_id, n), "mine") for n in range(1, count + 1)]
    )
    _forget_choices(doc_id, count)


def _discard(doc_id: int, count: int) -> None:
    session.discard_pending()
    _forget_choices(doc_id, count)


def _hunks(pending: session.PendingChange) -> None:
    pieces = pending.pieces or []
    mine, theirs = st.columns(2)
    with mine:
        st.markdown("**Your text**")
        st.markdown(_marked(pieces, "mine"))
    with theirs:
        st.markdown(f"**Their text** (version {pending.their_version})")
        st.markdown(_marked(pieces, "theirs"))
    count = len(merge.conflicts(pieces))
    st.caption(
        f"You both changed {count} part{'s' if count != 1 else ''} of *{pending.label}*; every other "
        "change from either of you is already in. Choose what to keep for each numbered part."
    )
    for number in range(1, count + 1):
        st.radio(
            f"Part {number}",
            list(_CHOICES),
            format_func=_CHOICES.get,
            horizontal=True,
            key=_choice_key(pending.doc_id, number),
        )
    left, right = st.columns(2)
    left.button(
        "Save with these choices",
        on_click=_save_choices,
        args=(pending.doc_id, count),
        type="primary",
        key="conflict:resolve",
        icon=":material/merge:",
    )
    right.button(
        "Discard my change and load theirs",
        on_click=_discard,
        args=(pending.doc_id, count),
        key="conflict:discard",
        icon=":material/undo:",
    )


def _values(pending: session.PendingChange) -> None:
    mine, theirs = st.columns(2)
    mine.caption("Your value")
    mine.code(pending.shown_value or "(empty)", language=None, wrap_lines=True)
    if pending.path is not None:
        theirs.caption(f"Their value (version {pending.their_version})")
        theirs.code(pending.their_value or "(empty)", language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.button(
        "Apply my change on top of theirs",
        on_click=session.apply_pending_on_latest,
        type="primary",
        key="conflict:apply",
        icon=":material/upload:",
    )
    right.button(
        "Discard my change and load theirs",
        on_click=session.discard_pending,
        key="conflict:discard",
        icon=":material/undo:",
    )


def show() -> None:
    """Draw the held change, if this session has one."""
    pending = session.pending_conflict()
    if pending is None:
        return
    with st.container(border=True):
        st.error(
            f"**Not saved: this post-mortem changed while you were editing.** Someone else saved "
            f"version {pending.their_version}, and their change meets yours in *{pending.label}*. "
            "Your change is kept here until you choose.",
            icon=":material/warning:",
        )
        (_hunks if pending.pieces is not None else _values)(pending)
