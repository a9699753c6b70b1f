"""A database the app must not touch (written by a newer Debrief, or in a folder that is missing)
gets a page that says so, instead of a traceback on every page or a silent downgrade."""

from __future__ import annotations

import logging

import streamlit as st

import storage
from components import config

log = logging.getLogger("debrief.db")


def ensure_usable() -> None:
    """Open the database once at the top of a run; stop with a clear page if it cannot be used."""
    try:
        storage.connect(config.db_path()).close()
    except (storage.SchemaTooNewError, storage.MissingFolderError) as error:
        log.error("%s", error)
        st.title("🛑 This database cannot be opened")
        st.error(str(error), icon="⛔")
        st.markdown("Nothing was changed. Whoever runs this Debrief instance can upgrade it, or point "
                    "`DEBRIEF_DB` at a database this version wrote (see the deployment guide's upgrade section).")
        st.stop()
