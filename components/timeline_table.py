"""The timeline as an editable table, ordered by time, with anchors and decision-point marks."""

from __future__ import annotations

import streamlit as st

import storage
from components import session, table, toasts
from postmortem.models import Anchor, EventKind, EventSource

CHOICE = st.column_config.SelectboxColumn


def _show(items: list[dict]) -> list[dict]:
    return [{**item, "is_decision": item.get("decision") is not None} for item in items]


def _save(rows: list[dict]) -> list[dict]:
    saved = []
    for row in rows:
        row = dict(row)
        is_decision = row.pop("is_decision", False)
        if is_decision:
            row["decision"] = row.get("decision") or {}
        else:
            row["decision"] = None
        saved.append(row)
    return saved


SPEC = table.TableSpec(
    path="timeline",
    label="Timeline",
    required="text",
    before_show=_show,
    before_save=_save,
    columns=(
        table.Column(
            "at",
            st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm", required=True, step=60),
            "datetime",
        ),
        table.Column("text", st.column_config.TextColumn("What happened", width="large", required=True)),
        table.Column(
            "anchor",
            CHOICE(
                "Anchor",
                options=[a.value for a in Anchor],
                help="Marks the key moments: trigger, detection, mitigation, resolution…",
            ),
            "choice",
        ),
        table.Column(
            "kind",
            CHOICE("Kind", options=[k.value for k in EventKind], required=True),
            "choice",
            "observation",
        ),
        table.Column("actor_role", st.column_config.TextColumn("Who (role)", help="A role, never a name.")),
        table.Column(
            "source",
            CHOICE("Source", options=[s.value for s in EventSource], required=True),
            "choice",
            "other",
        ),
        table.Column(
            "is_decision",
            st.column_config.CheckboxColumn(
                "Decision point",
                help="Tick to record the options, the information at hand, and reversibility.",
            ),
            "bool",
            False,
        ),
        table.Column(
            "internal",
            st.column_config.CheckboxColumn(
                "Internal only", help="Left out of the public status-page version."
            ),
            "bool",
            False,
        ),
    ),
)


_FULL_RUN = "timeline:full-run"


def _shown_key(doc_id: int) -> str:
    return f"timeline:{doc_id}:shown-version"


def show(stored: storage.Stored) -> None:
    st.caption(
        "Add rows at the bottom; they are sorted by time when saved. Select rows to delete them. "
        "A new row is saved once it has a time and a description."
    )
    st.session_state[_FULL_RUN] = True  # the grid below tells a whole-step run from its own reruns by this
    _grid(stored.id, _shown_elsewhere(stored))


def _shown_elsewhere(stored: storage.Stored) -> tuple:
    """What the rest of the step and the sidebar draw from the timeline: the section's state, the anchors
    (durations) and the decision points, by position (their widgets are keyed by the row's position)."""
    state = session.sections(stored)["timeline"]
    rows = stored.doc.timeline
    return (
        state.level,
        state.hint,
        tuple((n, row.anchor, row.at) for n, row in enumerate(rows) if row.anchor),
        tuple((n, row.at, row.text, row.decision) for n, row in enumerate(rows) if row.decision is not None),
    )


@st.fragment
def _grid(doc_id: int, drawn_elsewhere: tuple) -> None:
    """A fragment: saving a cell or a new row reruns only the grid, not the 300-row step around it (the
    browser bench's timeline actions paid for the sidebar, durations, decisions and interviews each time).
    The whole step runs again when the save changed what the rest of it shows, or met someone else's save."""
    if st.session_state.pop(_FULL_RUN, False):
        stored = session.loaded()
    else:
        stored = _after_own_save(doc_id, drawn_elsewhere)
    if stored is None:
        return
    st.session_state[_shown_key(doc_id)] = stored.version
    table.editor(stored, SPEC)


def _after_own_save(doc_id: int, drawn_elsewhere: tuple) -> storage.Stored | None:
    """The document read again for the grid alone, as long as nothing but this session's own grid save (or
    none) came after the version drawn last; otherwise the whole step runs again."""
    seen = st.session_state.get(session.base_key(doc_id))
    shown = st.session_state.get(_shown_key(doc_id))
    stored = session.current()
    if (
        stored is None
        or session.pending_conflict() is not None
        or seen is None
        or shown is None
        or stored.version != seen
        or not 0 <= seen - shown <= 1
        or _shown_elsewhere(stored) != drawn_elsewhere
    ):
        toasts.rerun_whole_page()  # the save's toast shows in the whole-step run
    return stored
