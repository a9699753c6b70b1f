"""The app's settings (postmortem/settings.py), read once per server process and shared by every session."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import storage
from postmortem.settings import Settings


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """Read from the environment and `streamlit run app.py -- --db PATH` once; a restart reads them again."""
    return Settings.load()


def db_path() -> Path:
    """Where this app instance keeps its data: `--db`, $DEBRIEF_DB, or the user's data folder."""
    return storage.default_path(settings().db)


def holiday_country() -> str:
    """Public holidays of this country are skipped when counting business days."""
    return settings().holidays_country


def public_domains() -> tuple[str, ...]:
    """Domains the admin lists as public in $DEBRIEF_PUBLIC_DOMAINS: links and host names on them stay
    in the public report; every other one is withheld."""
    return settings().public_domains
