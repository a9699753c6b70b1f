"""Inline language findings, dismissing one with a reason, and the Review step, through AppTest."""

from __future__ import annotations

import pytest
from apptest_helpers import app_for, edit_table, stored

import storage
from components.session import widget_key
from postmortem.models import Contact, new_postmortem


@pytest.fixture
def doc_id(db_path) -> int:
    doc = new_postmortem("INC-2026-0042", "Queue backlog").model_copy(
        update={"contacts": [Contact(name="Priya Raman", role="payments on-call")]}
    )
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _on(at, script):
    return at.switch_page(script).run()


def _findings(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(":material/warning:")]


def test_typing_in_the_summary_shows_two_findings_with_rewrites(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/02_summary.py")
    at.text_area(key=widget_key(doc_id, "summary")).input("Priya should have noticed the alert").run()
    shown = _findings(at)
    assert len(shown) == 2
    assert "Names in the narrative: “Priya”" in shown[0] and "*Try:* Refer to the role" in shown[0]
    assert "Should have: “should have noticed”" in shown[1] and "*Try:*" in shown[1]


def test_a_blameless_summary_shows_no_findings(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/02_summary.py")
    at.text_area(key=widget_key(doc_id, "summary")).input("The job failed to release connections.").run()
    assert _findings(at) == []


def test_findings_in_a_table_name_their_row(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/06_went_wrong.py")
    at = edit_table(
        at, doc_id, "went_wrong", added=[{"text": "Fine."}, {"text": "Obviously the pool was full."}]
    )
    assert [s.split("**")[0] for s in _findings(at)] == [":material/warning: row 2 · "]


def test_a_dismissed_finding_needs_a_reason_and_is_shown_to_reviewers(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/02_summary.py")
    at.text_area(key=widget_key(doc_id, "summary")).input("Priya restarted the primary.").run()
    reason_key = next(t.key for t in at.text_input if t.key and ":dismiss:" in t.key)
    at.button(key=f"{reason_key}:go").click().run()
    assert stored(db_path, doc_id).doc.dismissed_findings == []
    assert any("Write a reason first" in e.value for e in at.error)

    at.text_input(key=reason_key).input("Quoted from the customer's e-mail.")
    at.button(key=f"{reason_key}:go").click().run()
    kept = stored(db_path, doc_id).doc.dismissed_findings
    assert [(d.rule, d.text, d.reason) for d in kept] == [
        ("contact-name", "Priya", "Quoted from the customer's e-mail.")
    ]
    assert _findings(at) == []
    assert any("Kept on purpose" in c.value for c in at.caption)

    at = _on(at, "pages/12_review.py")
    text = "\n".join(m.value for m in at.markdown)
    assert (
        "Quoted from the customer's e\\-mail\\." in text
        and "No open blameless-language findings" in "\n".join(s.value for s in at.success)
    )


def test_review_lists_every_finding_with_a_link_to_its_step(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/02_summary.py")
    at.text_area(key=widget_key(doc_id, "summary")).input("Priya should have noticed the alert").run()
    at = _on(at, "pages/12_review.py")
    assert not at.exception
    listed = [m.value for m in at.markdown if "`summary`" in m.value]
    assert len(listed) == 2
    links = [link for link in at.get("page_link") if link.proto.icon == ":material/warning:"]
    assert [link.proto.label for link in links] == ["Summary", "Summary"]


def _click(at, label):
    return next(b for b in at.button if b.label == label).click().run()


def test_final_with_gaps_is_refused_and_says_what_blocks_it(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/12_review.py")
    at = _click(at, "Send for review")
    assert stored(db_path, doc_id).doc.header.status == "in review"
    at.text_input(key=f"status:{doc_id}:signer").input("Dana Example")
    at = _click(at, "Mark final (incident commander signs off)")
    blocked = [e.value for e in at.error if e.value.startswith("Final is blocked by")]
    assert blocked and "Allspaw test passed" in blocked[0] and "Summary of 3–5 sentences" in blocked[0]
    assert stored(db_path, doc_id).doc.header.status == "in review"
    trail = [m.value for m in at.markdown if "draft → in review" in m.value]
    assert trail


def test_a_ready_document_becomes_final_read_only_and_reopens_with_a_reason(db_path, monkeypatch, sample):
    from test_review import _item

    from postmortem.models import Note

    doc = sample(action_items=[_item()], went_well=[Note(text="The alert fired in 2 minutes.")])
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/12_review.py")
    at.text_input(key=f"allspaw:{doc_id}:role").input("payments on-call")
    at = _click(at, "Record the answer")
    assert stored(db_path, doc_id).doc.allspaw.fair is True
    at = _click(at, "Send for review")
    at.text_input(key=f"status:{doc_id}:signer").input("Dana Example")
    at = _click(at, "Mark final (incident commander signs off)")
    assert not [e.value for e in at.error], [e.value for e in at.error]
    final = stored(db_path, doc_id).doc
    assert final.header.status == "final" and final.sign_offs[-1].name == "Dana Example"

    at = _on(at, "pages/02_summary.py")
    assert at.text_area(key=widget_key(doc_id, "summary")).disabled
    at = _on(at, "pages/12_review.py")
    at = _click(at, "Back to draft")
    assert any("needs a reason" in e.value for e in at.error)
    at.text_input(key=f"status:{doc_id}:reason").input("Impact recount.")
    at = _click(at, "Back to draft")
    assert stored(db_path, doc_id).doc.header.status == "draft"
    assert any("reason: Impact recount" in m.value for m in at.markdown)


def test_review_shows_guidance_and_offers_the_agenda(db_path, monkeypatch, doc_id):
    at = _on(app_for(db_path, monkeypatch, doc_id), "pages/12_review.py")
    assert any("“What went well” is empty" in w.value for w in at.warning)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Agenda (Markdown)", "Invitation (.ics)"]
