"""A download of the whole database for admins: a consistent copy taken while the app runs."""

from __future__ import annotations

import streamlit as st

import storage
from storage import backup


def show(db: storage.Database, key: str = "backup_panel") -> None:
    """A button that downloads a backup of `db`, made when clicked (not on every rerun)."""
    st.subheader("Backup")
    st.caption(
        "A complete copy of every post-mortem, revision and audit entry, taken with SQLite's online "
        "backup, so it is safe while others keep writing. Restore it below, or with "
        "`debrief restore-backup FILE` on the server (see docs/deploy.md)."
    )
    st.download_button(
        "Download a backup",
        data=lambda: backup.to_bytes(db),
        file_name=f"debrief-{backup.stamp()}.db",
        mime="application/vnd.sqlite3",
        icon=":material/save:",
        key=key,
        on_click="ignore",
    )
