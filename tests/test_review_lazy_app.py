"""The Review step keeps each rerun quick on a long document: findings beyond the first ten behind a
toggle, a version's JSON and the every-change audit table read only while their expander is open.
Also the per-rerun connection and the --db argument read once, behind every page (through AppTest)."""

from __future__ import annotations

import threading

import pytest
from apptest_helpers import app_for

import storage
from components import config, review_findings, session
from postmortem.models import Note, new_postmortem


@pytest.fixture
def wordy_id(db_path) -> int:
    """A document with more open language findings than the Review step lists at once."""
    notes = [Note(text=f"The on-call engineer should have noticed alert {n}.") for n in range(14)]
    doc = new_postmortem("INC-2026-0077", "Long review").model_copy(update={"went_wrong": notes})
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _review(db_path, monkeypatch, doc_id):
    at = app_for(db_path, monkeypatch, doc_id)
    return at.switch_page("pages/12_review.py").run()


def _finding_links(at) -> int:
    return len([link for link in at.get("page_link") if link.proto.icon == ":material/warning:"])


def test_review_lists_the_first_findings_and_the_rest_on_request(db_path, monkeypatch, wordy_id):
    at = _review(db_path, monkeypatch, wordy_id)
    assert not at.exception
    assert _finding_links(at) == review_findings.LIMIT
    toggle = at.toggle(key=f"review-findings:all:{wordy_id}")
    assert toggle.label.startswith("Show all ")
    total = int(toggle.label.removeprefix("Show all "))
    assert total > review_findings.LIMIT
    at = toggle.set_value(True).run()
    assert _finding_links(at) == total


def test_a_short_findings_list_has_no_toggle(db_path, monkeypatch):
    doc_id = storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-1", "Short")
    ).id
    at = _review(db_path, monkeypatch, doc_id)
    assert not [t for t in at.toggle if (t.key or "").startswith("review-findings:all:")]


def test_version_json_and_every_change_are_read_only_when_opened(db_path, monkeypatch, wordy_id):
    at = _review(db_path, monkeypatch, wordy_id)
    assert not at.exception
    assert not [c for c in at.code if c.language == "json"]
    assert not at.dataframe  # the every-change table is not built while closed
    at.session_state[f"history:json:{wordy_id}"] = True
    at.session_state[f"audit:every:{wordy_id}"] = True
    at.run()
    assert not at.exception
    shown = [c.value for c in at.code if c.language == "json"]
    assert shown and '"incident_id": "INC-2026-0077"' in shown[0]
    assert len(at.dataframe) == 1 and any(c.value == "1 change, oldest first." for c in at.caption)


def test_one_connection_per_thread_file_and_user(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    first = session.db()
    assert session.db() is first  # a rerun reuses it
    other: list = []
    thread = threading.Thread(target=lambda: other.append(session.db()))
    thread.start()
    thread.join()
    assert other[0] is not first  # SQLite connections stay in the thread that opened them
    first.conn.execute("BEGIN IMMEDIATE")
    try:
        second = session.db()
        assert second is not first  # never joins someone's unfinished write
    finally:
        first.conn.rollback()
    assert session.db() is second
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "other.db"))
    config.settings.clear()  # settings are read once per server: this is a restart
    assert session.db() is not second  # another file, another connection


def test_db_argument_follows_the_command_line_read_once_per_server(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.argv", ["app.py", "--db", str(tmp_path / "a.db")])
    assert config.db_path() == tmp_path / "a.db"
    monkeypatch.setattr("sys.argv", ["app.py", "--db", str(tmp_path / "b.db")])
    assert config.db_path() == tmp_path / "a.db"  # the running server keeps what it started with
    config.settings.clear()  # a restart
    assert config.db_path() == tmp_path / "b.db"
    monkeypatch.setattr("sys.argv", ["app.py"])
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "env.db"))
    config.settings.clear()
    assert config.db_path() == tmp_path / "env.db"
