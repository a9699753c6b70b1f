"""Issue 18: captions and alt text are narrative. The blameless-language checks read them (as
suggestions that name the file), the Review step lists them, and exports for readers who may not see
names replace people in them by their roles, as in any other narrative."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

import storage
from components.session import widget_key
from exports.render import render
from postmortem import language
from postmortem.evidence import accept
from postmortem.evidence.placement import field_named
from postmortem.models import AttachedTo
from tests import evidence_samples as samples
from tests.apptest_helpers import app_for
from tests.test_evidence_storage import attach

CAPTION = "Dana forgot to renew the certificate before 10:00"
ALT = "Graph of the error rate; human error on the deploy"


@pytest.fixture
def graph():
    return accept(samples.png((200, 100)), "grafana.png")


@pytest.fixture
def captioned(doc, graph):
    return attach(
        doc,
        graph,
        target=AttachedTo.EVENT,
        target_id=doc.timeline[0].id,
        caption=CAPTION,
        alt=ALT,
        safe_for_executives=True,
    )


def test_caption_and_alt_text_findings_are_suggestions_at_the_attachment(captioned):
    found = [f for f in language.check(captioned) if f.path.startswith("attachments.")]
    assert {(f.path, f.text) for f in found} >= {
        ("attachments.0.caption", "Dana"),
        ("attachments.0.caption", "forgot to"),
        ("attachments.0.alt", "human error"),
    }
    assert not any(f.blocking for f in found)
    # The same words in the summary still hold back Final: only captions are suggestions.
    summary = language.check(captioned.model_copy(update={"summary": CAPTION}))
    assert any(f.path == "summary" and f.blocking for f in summary)


def test_a_finding_names_the_file_and_the_section_it_sits_in(captioned):
    assert field_named(captioned, "attachments.0.caption") == ("timeline", "Caption of grafana.png")
    assert field_named(captioned, "attachments.0.alt") == ("timeline", "Alt text of grafana.png")
    assert field_named(captioned, "attachments.7.caption") is None
    assert field_named(captioned, "summary") is None


def test_the_review_step_lists_caption_findings_by_file(db_path, monkeypatch, captioned):
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=captioned).id
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/12_review.py").run()
    assert not at.exception
    shown = [m.value.replace("\\", "") for m in at.markdown]  # Markdown escapes: grafana\.png
    lines = [line for line in shown if "Caption of grafana.png" in line]
    assert lines and "forgot to" in " ".join(lines) and "Suggestion" in " ".join(lines)
    gate = " ".join(line for line in shown if "No open blameless-language suggestion" in line)
    assert "“forgot to” in Caption of grafana.png" in gate and "attachments.0" not in gate


def _docx_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())


@pytest.mark.parametrize("audience", ["engineering", "exec"])
def test_exports_without_names_replace_people_in_captions(captioned, graph, audience):
    blobs = {graph.digest: graph.data}
    md = render(captioned, audience, "md", blobs=blobs, country="US").decode()
    word = _docx_text(render(captioned, audience, "docx", blobs=blobs, country="US"))
    for text in (md, word):
        assert "renew the certificate" in text and "Dana" not in text
        assert "ncident commander forgot" in text  # the contact's role stands in for the name


def test_the_team_export_keeps_the_caption_as_written(captioned, graph):
    assert "Dana forgot" in _docx_text(
        render(captioned, "team", "docx", blobs={graph.digest: graph.data}, country="US")
    )


def test_the_chosen_file_shows_its_caption_findings_beside_the_field(db_path, monkeypatch, captioned):
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=captioned).id
    at = app_for(db_path, monkeypatch, doc_id).switch_page("pages/04_timeline.py").run()
    at.selectbox(key=widget_key(doc_id, "attachments.selected")).set_value(captioned.attachments[0].id).run()
    assert not at.exception
    beside = [m.value.replace("\\", "") for m in at.markdown if "Try:" in m.value]
    assert any("forgot to" in line for line in beside) and any("human error" in line for line in beside)
