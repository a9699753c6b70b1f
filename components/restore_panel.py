"""Restoring a backup from the Admin page: admins only (storage checks the role again), with a
confirmation, and an audit row in both the replaced and the restored database."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

import storage
from components import config, session
from storage import backup, restore

_RESULT = "restore_panel:result"


def show(key: str = "restore_panel") -> None:
    """An upload field, a confirmation and a button that replaces the whole database with the upload."""
    st.subheader("Restore a backup")
    st.caption(
        "Every post-mortem, revision, user and audit entry goes back to the state in the backup. The "
        "database it replaces is kept beside it on the server as `<database>.before-restore-<time>`, "
        "and both databases record who restored what. Ask everyone to close Debrief first. Uploads "
        "are limited to the server's upload size (25 MB by default); restore a bigger backup with "
        "`debrief restore-backup FILE` on the server."
    )
    result = st.session_state.pop(_RESULT, None)
    if result:
        (st.success if result[0] else st.error)(
            result[1], icon=":material/check_circle:" if result[0] else ":material/block:"
        )
    upload = st.file_uploader("Backup file (.db)", type=["db", "sqlite", "sqlite3"], key=f"{key}:file")
    sure = st.checkbox(
        "I understand that every change made since this backup will be replaced",
        key=f"{key}:sure",
        disabled=upload is None,
    )
    if st.button(
        "Restore this backup",
        type="primary",
        key=f"{key}:go",
        disabled=not (upload and sure),
        help="Choose a backup file and tick the box first." if not (upload and sure) else None,
    ):
        st.session_state[_RESULT] = _restore(upload.getvalue(), upload.name)
        st.rerun()


def _restore(data: bytes, name: str) -> tuple[bool, str]:
    target = config.db_path()
    with tempfile.TemporaryDirectory(prefix="debrief-restore-") as tmp:
        upload = Path(tmp) / Path(name).name
        upload.write_bytes(data)
        try:
            aside = restore.restore_backup(db=session.db(), db_path=target, backup_path=upload)
        except (backup.InvalidBackupError, storage.PermissionDenied) as error:
            return False, str(error).replace(str(upload), name)
    kept = f" The replaced database is kept as {aside.name} beside it." if aside else ""
    return True, f"Restored from {name}.{kept}"
