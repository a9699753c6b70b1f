"""Helpers for AppTest tests: an app bound to a temp database, opening a document, editing tables."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import storage
from components import nav
from components.nav import Link
from components.session import widget_key

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _modern_pages_only(monkeypatch) -> None:
    """AppTest resets Streamlit's pages-folder flag before every run, so each run would go through
    the legacy folder mode that a real server uses only for its very first request (see
    components/shell.py). Pin the mode every later browser request uses."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def app_for(db_path: Path, monkeypatch, doc_id: int | None = None) -> AppTest:
    """A fresh AppTest on `db_path`, run once (so app.py's navigation exists), with `doc_id` open."""
    _modern_pages_only(monkeypatch)
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    if doc_id is not None:
        at.query_params["doc"] = str(doc_id)
    return at.run()


def stored(db_path: Path, doc_id: int) -> storage.Stored:
    return storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id)


def edit_table(at: AppTest, doc_id: int, path: str, *, edited=None, added=None, deleted=None) -> AppTest:
    """Send a data editor's edits as the browser does: a widget value, so its on_change callback fires.

    AppTest cannot edit a data editor (STACK.md §3); this adds the editor's JSON widget state to the
    states of every other widget and reruns through AppTest's own runner.
    """
    key = widget_key(doc_id, f"{path}:table:v{stored_version(at, doc_id)}")
    editor = next(e for e in at.data_editor if e.proto.id.endswith(key) or key in e.proto.id)
    edits = {
        "edited_rows": {str(k): v for k, v in (edited or {}).items()},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    return send_widget_value(at, editor.proto.id, string_value=json.dumps(edits))


def send_widget_value(at: AppTest, widget_id: str, **value) -> AppTest:
    """Rerun with one widget's value set as the browser would send it (e.g. a custom component's
    json_value), next to the current values of every other widget, so its callbacks fire."""
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = widget_id
    for field, content in value.items():
        setattr(state, field, content)
    return at._run(states)


def stored_version(at: AppTest, doc_id: int) -> int:
    return at.session_state[f"debrief:base:{doc_id}"]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def sidebar_links(at: AppTest) -> list[Link]:
    """What the last run listed in the sidebar's navigation (AppTest draws no navigation: these are the
    links components/nav.py built st.navigation's pages from, in the order given)."""
    return [link for link, _ in at.session_state[nav.PAGES_KEY].values() if link.visible]
