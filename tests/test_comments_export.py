"""Comment threads never reach an export unless asked for, and then only the owning team's Markdown and
Word get an "Open questions" appendix of the open threads: from the library, the CLI and the Export step."""

from __future__ import annotations

import io

import docx
import pytest
from cli_helpers import main

import storage
from exports.open_questions import from_threads
from exports.render import AUDIENCES, FORMATS, render, render_all
from postmortem.comments import Target, TargetKind
from storage import comments
from tests.apptest_helpers import app_for
from tests.conftest import build_postmortem

QUESTION = "Is the <b>1,200</b> from the pager?"


@pytest.fixture
def doc_id(db_path) -> int:
    db = storage.connect(db_path, actor=storage.LOCAL)
    doc_id = storage.create(db=db, doc=build_postmortem()).id
    section = Target(TargetKind.SECTION, "summary", "The whole step")
    first = comments.start(db=db, doc_id=doc_id, step="summary", target=section, body=QUESTION)
    comments.reply(db=db, thread_id=first, body="Checking the pager export.")
    done = comments.start(db=db, doc_id=doc_id, step="impact", target=section, body="Settled question")
    comments.resolve(db=db, thread_id=done)
    return doc_id


def questions(db_path, doc_id):
    return from_threads(comments.threads(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id))


def test_only_open_threads_and_only_the_owning_teams_md_and_docx_get_the_appendix(db_path, doc_id):
    doc, asked = (
        storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=doc_id).doc,
        questions(db_path, doc_id),
    )
    team = render(doc, "team", "md", open_questions=asked, country="US").decode()
    assert "## Appendix: Open questions" in team and "Checking the pager export" in team
    assert "Settled question" not in team and "<b>" not in team  # user text is escaped, never HTML
    words = "\n".join(
        p.text
        for p in docx.Document(
            io.BytesIO(render(doc, "team", "docx", open_questions=asked, country="US"))
        ).paragraphs
    )
    assert "Open questions" in words and "from the pager?" in words
    for audience in AUDIENCES:
        for fmt in FORMATS:
            plain = render(doc, audience, fmt, trail=(), country="US")
            assert b"pager?" not in plain and b"Open questions" not in plain
            if audience != "team":
                assert b"from the pager" not in render(doc, audience, fmt, open_questions=asked, country="US")
    assert b"pager?" not in render_all(doc, country="US")


def test_the_cli_adds_the_appendix_only_with_the_flag(db_path, doc_id, tmp_path):
    plain, asked = tmp_path / "plain.md", tmp_path / "asked.md"
    assert main(["--db", str(db_path), "export", str(doc_id), "-o", str(plain)]) == 0
    assert main(["--db", str(db_path), "export", str(doc_id), "--open-questions", "-o", str(asked)]) == 0
    assert "Open questions" not in plain.read_text() and "from the pager?" in asked.read_text()


def test_the_export_step_offers_the_appendix_as_an_option(db_path, doc_id, monkeypatch):
    at = app_for(db_path, monkeypatch, doc_id)
    at.switch_page("pages/13_export.py").run()
    assert not at.exception
    box = at.checkbox(key=f"export:{doc_id}:questions")
    assert "1 open thread" in box.label and not box.value
    assert not [b for b in at.get("download_button") if "open questions" in str(b.proto.label)]
    box.check().run()
    assert len([b for b in at.get("download_button") if "open questions" in str(b.proto.label)]) == 2
