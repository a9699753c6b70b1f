"""The one place the app turns an error meant for the user (postmortem.errors.DebriefError) into a
message on the page. Anything else is a bug: it keeps Streamlit's traceback."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import streamlit as st

from components import icons
from exports.escape import md_inline
from postmortem import auth
from postmortem.errors import DebriefError, SettingsError

log = logging.getLogger("debrief.app")

# A setting that cannot be used stops every page until whoever runs the server fixes it: say so plainly.
_TITLES = ((auth.SettingsError, "Sign-in is not set up"), (SettingsError, "Debrief is not set up"))


@contextlib.contextmanager
def shown() -> Iterator[None]:
    """Run the page; a DebriefError it raises becomes an error box with its message."""
    try:
        yield
    except DebriefError as error:
        title = next((t for kind, t in _TITLES if isinstance(error, kind)), None)
        if title:
            log.error("%s", error.message)  # the server's log, for whoever can fix the setting
            st.title(f":material/lock: {title}")
        # Escaped: a message may quote what the user typed or uploaded (a title, a file name). A Material
        # icon, not an emoji: without an emoji font (Debian's chromium) an emoji is an empty box.
        st.error(md_inline(error.message), icon=icons.BLOCKS)
