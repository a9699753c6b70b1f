"""The Import Markdown page through AppTest: upload, change the mapping, create, a duplicate ID, many
files at once, unreadable files, and HTML that stays text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_helpers import app_for, send_widget_value

import storage
from postmortem.models import new_postmortem

DATA = Path(__file__).parent / "data" / "markdown"
PAGE = "pages/23_import.py"


def _page(db_path, monkeypatch):
    return app_for(db_path, monkeypatch).switch_page(PAGE).run()


def _upload(at, *names: str, extra: tuple[tuple[str, bytes], ...] = ()):
    files = [(name, (DATA / name).read_bytes(), "text/markdown") for name in names] + [
        (name, data, "text/markdown") for name, data in extra
    ]
    at.file_uploader(key="import:files").set_value(files)
    return at.run()


def _shown(elements) -> list[str]:
    """Messages as the reader sees them: user text in them is Markdown-escaped with backslashes."""
    return [e.value.replace("\\", "") for e in elements]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _docs(db_path) -> list[storage.Listed]:
    return storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL))


def _remap(at, row: int, label: str):
    editor = next(e for e in at.data_editor if "import:map:" in e.proto.id)
    edits = {"edited_rows": {str(row): {"Section": label}}, "added_rows": [], "deleted_rows": []}
    return send_widget_value(at, editor.proto.id, string_value=json.dumps(edits))


def test_upload_shows_the_mapping_and_what_was_found(db_path, monkeypatch):
    at = _upload(_page(db_path, monkeypatch), "sre_book.md")
    assert not at.exception
    editor = next(e for e in at.data_editor if "import:map:" in e.proto.id)
    assert list(editor.value["Heading"])[:3] == [
        "(text before the first heading)",
        "Lessons Learned",
        "What went well",
    ]
    assert list(editor.value["Section"])[2] == "What went well"
    assert _metrics(at) == {
        "Timeline events": "6",
        "Action items": "3",
        "Lessons": "1",
        "Went well / wrong": "2 / 2",
        "Unmapped headings": "0",
    }
    assert at.text_input[0].value == "INC-2026-0001" or at.text_input[0].value.startswith("INC-")
    assert any("Complete, action items in progress" in w for w in _shown(at.warning))


def test_changing_a_section_updates_the_preview_and_the_created_document(db_path, monkeypatch):
    at = _upload(_page(db_path, monkeypatch), "sre_book.md")
    at = _remap(at, 2, "Appendix (kept as written)")  # "What went well" → kept as written
    assert _metrics(at)["Went well / wrong"] == "0 / 2" and _metrics(at)["Unmapped headings"] == "1"
    at.text_input[0].input("INC-2026-0100")
    at = next(b for b in at.button if b.label == "Create post-mortem").click().run()
    [listed] = _docs(db_path)
    doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=listed.id).doc
    assert listed.incident_id == "INC-2026-0100" and doc.went_well == []
    assert any(part.heading == "What went well" for part in doc.imported)
    assert at.query_params["doc"] == [str(listed.id)] or at.query_params["doc"] == str(listed.id)
    assert at.title[0].value == "Header"  # opened in the wizard
    at = at.switch_page("pages/11_appendix.py").run()  # the kept text is shown formatted, as exported
    assert "Imported text" in [h.value for h in at.subheader]
    assert any("<li>The error-rate alert paged within two minutes" in h.proto.body for h in at.get("html"))


def test_a_duplicate_incident_id_is_refused_with_a_clear_message(db_path, monkeypatch):
    storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-2025-0042", "Already here")
    )
    at = _upload(_page(db_path, monkeypatch), "github_repo.md")
    at.text_input[0].input("INC-2025-0042")
    at = next(b for b in at.button if b.label == "Create post-mortem").click().run()
    assert any(
        "INC-2025-0042 already exists" in e and "Choose another incident ID" in e for e in _shown(at.error)
    )
    assert [d.title for d in _docs(db_path)] == ["Already here"]


def test_the_documents_own_id_is_suggested_when_free(db_path, monkeypatch):
    at = _upload(_page(db_path, monkeypatch), "github_repo.md")
    assert at.text_input[0].value == "INC-2025-0042"


def test_many_files_one_row_each_and_create_all_confirmed(db_path, monkeypatch):
    at = _upload(
        _page(db_path, monkeypatch),
        "sre_book.md",
        "wiki_terse.md",
        "multi_day.md",
        extra=(("broken.md", b"\xff\xfe\x00bad"),),
    )
    batch = next(e for e in at.data_editor if "import:batch:" in e.proto.id)
    rows = batch.value.to_dict("records")
    assert [r["File"] for r in rows] == ["sre_book.md", "wiki_terse.md", "multi_day.md", "broken.md"]
    assert rows[3]["Status"].startswith("cannot be read: broken.md is not UTF-8 text")
    assert [r["Import"] for r in rows] == [True, True, True, False]
    assert len({r["Incident ID"] for r in rows[:3]}) == 3  # each gets its own suggestion
    # Leave the terse wiki page out, then create the other two.
    edits = {"edited_rows": {"1": {"Import": False}}, "added_rows": [], "deleted_rows": []}
    at = send_widget_value(at, batch.proto.id, string_value=json.dumps(edits))
    at = next(b for b in at.button if b.label.startswith("Create 2 post-mortems")).click().run()
    assert sorted(d.title for d in _docs(db_path)) == [
        "Catalogue Search Outage Postmortem (incident #311)",
        "Data pipeline backlog over two days",
    ]
    assert any("Created 2 post-mortems" in s.value for s in at.success)
    statuses = next(e for e in at.data_editor if "import:batch:" in e.proto.id).value["Status"].tolist()
    assert statuses[0].startswith("created as INC-") and statuses[1] == "ready"


def test_pasted_html_is_kept_as_text_and_never_rendered(db_path, monkeypatch):
    at = _page(db_path, monkeypatch)
    at.text_area(key="import:paste").input(
        "# Hostile\n\n## Summary\n\n<script>alert(1)</script> <b>bold</b>\n"
    ).run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "<script>" not in shown and "alert(1) bold" in shown  # the tags dropped, their words kept
    at = next(b for b in at.button if b.label == "Create post-mortem").click().run()
    [listed] = _docs(db_path)
    assert (
        storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=listed.id).doc.summary
        == "<script>alert(1)</script> <b>bold</b>"
    )


@pytest.mark.parametrize("bad_id", ["has spaces", ""])
def test_an_unusable_id_is_refused(db_path, monkeypatch, bad_id):
    at = _upload(_page(db_path, monkeypatch), "wiki_terse.md")
    at.text_input[0].input(bad_id)
    at = next(b for b in at.button if b.label == "Create post-mortem").click().run()
    assert any("cannot be an incident ID" in e for e in _shown(at.error)) and _docs(db_path) == []


def test_imported_text_on_the_appendix_step_is_checked_and_can_be_removed(db_path, monkeypatch):
    from postmortem.mdimport import import_markdown, with_incident_id

    text = "# Disk full\n\n## Summary\n\nThe disk filled.\n\n## Side notes\n\nPriya Raman should have rotated logs.\n"
    doc = with_incident_id(import_markdown(text).doc, "INC-2026-0300")
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/11_appendix.py").run()
    assert any("<p>Priya Raman should have rotated logs.</p>" in h.proto.body for h in at.get("html"))
    assert any("Should have" in m.value for m in at.markdown if m.value.startswith(":material/warning:"))
    remove = [b for b in at.button if b.label == "Remove this part"]
    assert len(remove) == 2  # the side notes and the import's own record
    at = remove[0].click().run()
    left = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id).doc.imported
    assert [p.heading for p in left] == ["How this document was imported"]


def test_in_a_batch_a_changed_mapping_counts_in_the_files_row(db_path, monkeypatch):
    at = _upload(_page(db_path, monkeypatch), "unusual_nested.md", "wiki_terse.md")

    def batch():
        return next(e for e in at.data_editor if "import:batch:" in e.proto.id).value

    assert batch()["Unmapped"].tolist() == [1, 0]
    rows = next(e for e in at.data_editor if "import:map:" in e.proto.id).value["Heading"].tolist()
    at = _remap(at, rows.index("8. Key takeaways"), "Appendix (kept as written)")
    assert batch()["Unmapped"].tolist() == [2, 0]
    at = next(b for b in at.button if b.label.startswith("Create 2")).click().run()
    created = {d.title: d for d in _docs(db_path)}
    doc = storage.get(
        db=storage.connect(db_path, actor=storage.LOCAL),
        doc_id=created["Post-incident review: stale prices on the storefront"].id,
    ).doc
    assert doc.lessons == [] and any(p.heading == "8. Key takeaways" for p in doc.imported)


def test_header_times_read_from_sentences_are_shown_with_their_sentence(db_path, monkeypatch):
    real = DATA / "real" / "chia_2021_05_09_negative_coin_values.md"
    at = _upload(_page(db_path, monkeypatch), extra=((real.name, real.read_bytes()),))
    assert not at.exception
    table = next(d for d in at.dataframe if "From the sentence" in d.value.columns)
    row = table.value.iloc[0]
    assert (row["Time"], row["When (UTC)"]) == ("Incident started", "2021-05-09 13:48")
    assert row["From the sentence"].startswith("On May 9th 2021 at 6:48AM PDT, the blockchain stopped")
