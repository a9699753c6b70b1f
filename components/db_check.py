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
        storage.connect(config.db_path(), actor=storage.LOCAL).close()
    except (storage.SchemaTooNewError, storage.MissingFolderError) as error:
        log.error("%s", error)  # the full message, with the file's path, goes to the server's log only
        st.title(":material/block: This database cannot be opened")
        st.error(_WHY[type(error)], icon=":material/block:")
        st.markdown(
            "Whoever runs this Debrief instance can upgrade it, or point `DEBRIEF_DB` at a database "
            "this version wrote (the server's log names the file; see the deployment guide)."
        )
        st.stop()


# What a visitor is told: not the server's file paths, which are the operator's business.
_WHY = {
    storage.SchemaTooNewError: "It was written by a newer version of Debrief. This version leaves it untouched "
    "rather than risk damaging it; nothing was changed.",
    storage.MissingFolderError: "The folder the database should be in does not exist; nothing was created.",
}
