"""Every saved version of the document: look at one, restore it as the newest version."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from storage.access import Permission


def _restore(doc_id: int, version: int) -> None:
    try:
        saved = storage.restore_revision(
            db=session.db(),
            doc_id=doc_id,
            version=version,
            expected_version=session.base_version(doc_id),
            by=session.user(),
        )
    except (storage.ConflictError, storage.PermissionDenied) as error:
        st.toast(str(error), icon=":material/warning:")
        return
    session.reset_widgets(doc_id)
    session.open_doc(doc_id)
    st.toast(f"Version {version} restored as version {saved.version}.", icon=":material/history:")


def show(stored: storage.Stored) -> None:
    revisions = storage.revisions(db=session.db(), doc_id=stored.id)
    st.caption(
        ("1 saved version" if len(revisions) == 1 else f"{len(revisions)} saved versions")
        + ". Restoring one adds it as the newest version; nothing is erased."
    )
    labels = {
        r.version: f"v{r.version} · {r.saved_at[:19].replace('T', ' ')} UTC · {r.saved_by}" for r in revisions
    }
    version = st.selectbox("Version", list(labels), format_func=labels.get, key=f"history:{stored.id}")
    if version is None:
        return
    # Read and drawn only while open: a large version's JSON is hundreds of kilobytes on every rerun.
    shown = st.expander(f"Version {version} as JSON", key=f"history:json:{stored.id}", on_change="rerun")
    if shown.open:
        older = storage.get_revision(db=session.db(), doc_id=stored.id, version=version)
        shown.code(older.model_dump_json(indent=2), language="json", height=300)
    st.button(
        f"Restore version {version}",
        on_click=_restore,
        args=(stored.id, version),
        disabled=version == stored.version or not session.can(Permission.EDIT, stored.id),
        key=f"history:restore:{stored.id}",
    )
