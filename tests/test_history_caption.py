"""The Review step's history says how many versions are saved, in words that agree with the number."""

from __future__ import annotations

import storage
from tests.apptest_helpers import app_for


def _caption(db_path, monkeypatch, doc_id) -> str:
    at = app_for(db_path, monkeypatch, doc_id)
    at.switch_page("pages/12_review.py").run()
    assert not at.exception
    return next(c.value for c in at.caption if "saved version" in c.value)


def test_one_version_is_singular_and_more_are_plural(db_path, monkeypatch, doc):
    db = storage.connect(db_path, actor=storage.LOCAL)
    stored = storage.create(db=db, doc=doc)
    assert _caption(db_path, monkeypatch, stored.id).startswith("1 saved version.")
    changed = stored.doc.model_copy(update={"summary": "A second version."})
    storage.save(db=db, doc_id=stored.id, doc=changed, expected_version=stored.version)
    assert _caption(db_path, monkeypatch, stored.id).startswith("2 saved versions.")
