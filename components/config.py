"""Where this app instance keeps its data: `streamlit run app.py -- --db PATH`, $DEBRIEF_DB, or the default."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

import storage
from exports.redact import PUBLIC_DOMAINS_ENV, parse_domains

HOLIDAYS_ENV = "DEBRIEF_HOLIDAYS_COUNTRY"


def db_path() -> Path:
    given = _db_argument(tuple(sys.argv[1:]))
    return Path(given).expanduser() if given else storage.default_path()


@functools.lru_cache(maxsize=8)
def _db_argument(argv: tuple[str, ...]) -> str | None:
    # Parsed once per command line: building an ArgumentParser costs about a millisecond, and a rerun
    # asks for the path ten times or more. $DEBRIEF_DB (storage.default_path) is still read each time.
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(list(argv))
    return known.db


def holiday_country() -> str:
    """Public holidays of this country are skipped when counting business days."""
    return os.environ.get(HOLIDAYS_ENV, "US")


def public_domains() -> tuple[str, ...]:
    """Domains the admin lists as public in $DEBRIEF_PUBLIC_DOMAINS: links and host names on them stay
    in the public report; every other one is withheld."""
    return parse_domains(os.environ.get(PUBLIC_DOMAINS_ENV, ""))
