"""On the Header step: earlier post-mortems of the same failure class on the same services in the
last 90 days, their fixes still open, and a way to record this incident as a recurrence of one."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

import storage
from components import session
from components.steps import STEPS
from exports.escape import md_inline
from postmortem import recurrence
from storage import related

_BINNED = "recurrence:binned"  # (doc id, incident ID) of a draft just moved to the bin, for the undo


def _keys(doc_id: int, earlier_id: int) -> dict[str, str]:
    base = f"recurrence:{doc_id}:{earlier_id}"
    return {
        "note": f"{base}:note",
        "error": f"{base}:error",
        "done": f"{base}:done",
        "confirm": f"{base}:confirm",
    }


def _record(doc_id: int, earlier: related.Related) -> None:
    """Add the entry to the earlier post-mortem (checked against the version shown), then link this one."""
    keys, conn = _keys(doc_id, earlier.id), session.db()
    try:
        current = storage.get(db=conn, doc_id=doc_id).doc
        stored_earlier = storage.get(db=conn, doc_id=earlier.id)
        updated = recurrence.record_recurrence(
            stored_earlier.doc,
            incident_id=current.header.incident_id,
            occurred_on=recurrence.incident_day(current),
            note=st.session_state.get(keys["note"], ""),
            at=datetime.now(UTC),
        )
        saved = storage.save(
            db=conn, doc_id=earlier.id, doc=updated, expected_version=earlier.version, by=session.user()
        )
    except storage.ConflictError:
        st.session_state[keys["error"]] = (
            f"{earlier.incident_id} changed since this page showed it; it is shown "
            "again now: check it and record again."
        )
        return
    except (ValueError, storage.NotFoundError, storage.PermissionDenied) as error:
        st.session_state[keys["error"]] = str(error)
        return
    st.session_state.pop(keys["error"], None)
    st.session_state[keys["done"]] = True
    session.commit(
        doc_id,
        "Links",
        lambda doc: recurrence.link_to_earlier(doc, earlier=saved.doc, url=f"?doc={earlier.id}"),
    )
    st.toast(f"Recorded on {earlier.incident_id} as a recurrence.", icon=":material/repeat:")


def _bin(doc_id: int, incident_id: str, earlier_id: int) -> None:
    storage.delete(db=session.db(), doc_id=doc_id)
    st.session_state[_BINNED] = (doc_id, incident_id)
    session.open_doc(earlier_id)
    st.query_params["doc"] = str(earlier_id)


def _undo() -> None:
    doc_id, _ = st.session_state.pop(_BINNED)
    storage.undelete(db=session.db(), doc_id=doc_id)
    session.open_doc(doc_id)
    st.query_params["doc"] = str(doc_id)


def undo_banner() -> None:
    """After a draft went to the bin as a recurrence: say so, and offer to bring it back."""
    binned = st.session_state.get(_BINNED)
    if not binned:
        return
    left, right = st.columns([3, 1])
    left.info(
        f"{md_inline(binned[1])} is in the bin, recorded as a recurrence of this post-mortem.",
        icon=":material/delete:",
    )
    right.button(f"Undo: bring {binned[1]} back", key="recurrence:undo", on_click=_undo)


def _open_items(earlier: related.Related) -> None:
    items = related.open_action_items(db=session.db(), doc_id=earlier.id)
    if not items:
        st.caption("Every action item from it is done or cancelled.")
        return
    st.markdown(
        f"**Fixes from it not built yet** ({len(items)}): check whether one of them also addresses "
        "this incident."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Action": i.title,
                    "Owner": i.owner,
                    "Due": i.due,
                    "Priority": i.priority,
                    "Status": i.status,
                    "Ticket": i.tracker,
                }
                for i in items
            ]
        ),
        hide_index=True,
        width="stretch",
        placeholder="",
    )


def _offer(stored: storage.Stored, earlier: related.Related) -> None:
    keys = _keys(stored.id, earlier.id)
    if st.session_state.get(keys["done"]) or recurrence.links_to(stored.doc, earlier.incident_id):
        st.success(
            f"Recorded as a recurrence of {md_inline(earlier.incident_id)}, and linked from this "
            "post-mortem's links.",
            icon=":material/repeat:",
        )
        if st.session_state.get(keys["confirm"]):
            st.warning(
                f"Move {md_inline(stored.doc.header.incident_id)} to the bin and open "
                f"{md_inline(earlier.incident_id)}? You can undo it, and it stays in the bin on Home."
            )
            yes, no = st.columns(2)
            yes.button(
                "Yes, move this draft to the bin",
                key=f"{keys['confirm']}:yes",
                type="primary",
                on_click=_bin,
                args=(stored.id, stored.doc.header.incident_id, earlier.id),
            )
            no.button(
                "Keep it", key=f"{keys['confirm']}:no", on_click=st.session_state.pop, args=(keys["confirm"],)
            )
        else:
            st.button(
                "Move this draft to the bin…",
                key=f"{keys['confirm']}:ask",
                on_click=st.session_state.__setitem__,
                args=(keys["confirm"], True),
            )
        return
    with st.expander(f"Record this incident as a recurrence of {earlier.incident_id}"):
        st.text_area(
            "Note for its readers",
            key=keys["note"],
            max_chars=2000,
            placeholder="What was the same, what was different this time",
        )
        st.button(
            "Record as a recurrence", key=f"{keys['note']}:save", on_click=_record, args=(stored.id, earlier)
        )
    if st.session_state.get(keys["error"]):
        st.error(st.session_state[keys["error"]], icon=":material/block:")


def show(stored: storage.Stored) -> None:
    header = stored.doc.header
    found = related.earlier_occurrences(
        db=session.db(),
        doc_id=stored.id,
        failure_class=header.failure_class,
        services=header.services,
        day=recurrence.incident_day(stored.doc),
    )
    if not found:
        return
    st.subheader("This has happened before")
    many = len(found) > 1
    st.warning(
        f"{len(found)} post-mortem{'s' if many else ''} from the {recurrence.WINDOW_DAYS} days before this "
        f"incident share{'' if many else 's'} its failure class and a service.",
        icon=":material/repeat:",
    )
    for earlier in found:
        with st.container(border=True):
            st.page_link(
                STEPS[0].script,
                label=f"**{md_inline(earlier.incident_id)}** · {md_inline(earlier.title)}",
                icon=":material/description:",
                query_params={"doc": str(earlier.id)},
            )
            when = earlier.incident_at[:10] if earlier.incident_at else "no date"
            st.caption(f"{earlier.severity} · {when} · {earlier.status}")
            _open_items(earlier)
            _offer(stored, earlier)
