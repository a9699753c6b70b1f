"""Helpers for AppTest tests: an app bound to a temp database, opening a document, editing tables."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

import storage
from components.session import widget_key

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def app_for(db_path: Path, monkeypatch, doc_id: int | None = None) -> AppTest:
    """A fresh AppTest on `db_path`, run once (so app.py's navigation exists), with `doc_id` open."""
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    if doc_id is not None:
        at.query_params["doc"] = str(doc_id)
    return at.run()


def stored(db_path: Path, doc_id: int) -> storage.Stored:
    return storage.get(db=storage.connect(db_path), doc_id=doc_id)


def edit_table(at: AppTest, doc_id: int, path: str, *, edited=None, added=None, deleted=None) -> AppTest:
    """Send a data editor's edits as the browser does: a widget value, so its on_change callback fires.

    AppTest cannot edit a data editor (STACK.md §3); this adds the editor's JSON widget state to the
    states of every other widget and reruns through AppTest's own runner.
    """
    key = widget_key(doc_id, f"{path}:table:v{stored_version(at, doc_id)}")
    editor = next(e for e in at.data_editor if e.proto.id.endswith(key) or key in e.proto.id)
    edits = {"edited_rows": {str(k): v for k, v in (edited or {}).items()},
             "added_rows": added or [], "deleted_rows": deleted or []}
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = editor.proto.id
    state.string_value = json.dumps(edits)
    return at._run(states)


def stored_version(at: AppTest, doc_id: int) -> int:
    return at.session_state[f"debrief:base:{doc_id}"]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]
