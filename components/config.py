"""Where this app instance keeps its data: `streamlit run app.py -- --db PATH`, $DEBRIEF_DB, or the default."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import storage

HOLIDAYS_ENV = "DEBRIEF_HOLIDAYS_COUNTRY"


def db_path() -> Path:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return Path(known.db).expanduser() if known.db else storage.default_path()


def holiday_country() -> str:
    """Public holidays of this country are skipped when counting business days."""
    return os.environ.get(HOLIDAYS_ENV, "US")

