"""The benchmark corpus: every document valid and stored, cached by content, scaled by the env."""

from __future__ import annotations

import storage
from bench import corpus


def test_corpus_builds_once_and_is_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "CACHE", tmp_path)
    monkeypatch.setenv("DEBRIEF_BENCH_SCALE", "0.001")
    path = corpus.corpus_db(docs=30_000, items_per_doc=3)
    db = storage.connect(path, actor=storage.LOCAL)
    assert db["documents"].count == 30
    assert db["action_items"].count == 90
    statuses = {row[0] for row in db.execute("select distinct status from documents")}
    assert "published" in statuses
    published = db.execute("select count(*) from documents where status = 'published'").fetchone()[0]
    assert db.execute("select count(*) from audit where to_status = 'published'").fetchone()[0] == published
    for listed in storage.list_documents(db=db)[:5]:
        assert storage.get(db=db, doc_id=listed.id).doc.action_items
    before = path.stat().st_mtime_ns
    assert corpus.corpus_db(docs=30_000, items_per_doc=3) == path
    assert path.stat().st_mtime_ns == before
