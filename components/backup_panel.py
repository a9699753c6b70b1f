"""A download of the whole database for admins: a consistent copy taken while the app runs."""

from __future__ import annotations

from contextlib import closing
from functools import partial

import streamlit as st

from components.audited_download import Acting
from storage import backup


def show(key: str = "backup_panel") -> None:
    """A button that downloads a backup of the database, made when clicked (not on every rerun)."""
    st.subheader("Backup")
    st.caption(
        "A complete copy of every post-mortem, revision and audit entry, taken with SQLite's online "
        "backup, so it is safe while others keep writing. Restore it below, or with "
        "`debrief restore-backup FILE` on the server (see docs/deploy.md)."
    )
    st.download_button(
        "Download a backup",
        data=partial(_backup_bytes, Acting.current()),
        file_name=f"debrief-{backup.stamp()}.db",
        mime="application/vnd.sqlite3",
        icon=":material/save:",
        key=key,
        on_click="ignore",
    )


def _backup_bytes(acting: Acting) -> bytes:
    """Made on a worker thread when the button is pressed: a connection of its own, as the admin who
    drew the button (the page's connection belongs to the script thread)."""
    with closing(acting.connect()) as conn:
        return backup.to_bytes(conn)
