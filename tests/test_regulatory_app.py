"""The Regulatory report step: pick a regime, see the pre-fills with their source, answer, and see what is
still required."""

from __future__ import annotations

import pytest
from apptest_helpers import app_for, stored

import storage
from components.session import widget_key
from postmortem.demo import demo_documents
from postmortem.models import DocStatus
from postmortem.regimes import regimes


@pytest.fixture
def demo_id(db_path) -> int:
    doc = demo_documents()[0]
    regulatory = doc.impact.regulatory.model_copy(update={"reportable": True})
    doc = doc.model_copy(
        update={
            "impact": doc.impact.model_copy(update={"regulatory": regulatory}),
            "header": doc.header.model_copy(update={"status": DocStatus.DRAFT}),
        }
    )
    return storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc).id


def _step(db_path, monkeypatch, doc_id):
    return app_for(db_path, monkeypatch, doc_id).switch_page("pages/14_regulatory.py").run()


def test_not_reportable_says_where_to_mark_it(db_path, monkeypatch):
    doc_id = storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=demo_documents()[1]).id
    at = _step(db_path, monkeypatch, doc_id)
    assert not at.exception and any("not marked reportable" in i.value for i in at.info)


def test_choosing_dora_shows_prefills_and_saves_answers(db_path, monkeypatch, demo_id):
    at = _step(db_path, monkeypatch, demo_id)
    at = at.selectbox(key=widget_key(demo_id, "impact.regulatory.regime")).select("dora").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_input(key=widget_key(demo_id, "regulatory:3.15")).value == "00:02:57"
    assert at.text_input(key=widget_key(demo_id, "regulatory:3.16")).value == "00:00:31"
    assert any("Pre-filled from Key times" in c.value for c in at.caption)
    warning = next(w.value for w in at.warning if "still empty" in w.value)
    assert "1.6" in warning and "3.15" not in warning

    at = at.text_input(key=widget_key(demo_id, "regulatory:1.6")).input("5493001KJTIIGC8Y1R12").run()
    at = at.selectbox(key=widget_key(demo_id, "regulatory:2.9")).select("no").run()
    at = at.text_input(key=widget_key(demo_id, "regulatory:3.5")).input("abc").run()
    answers = stored(db_path, demo_id).doc.impact.regulatory.answers
    assert answers["1.6"] == "5493001KJTIIGC8Y1R12" and answers["2.9"] is False and answers["3.5"] == "abc"
    assert any("3.5 Percentage of clients affected: write a number" in e.value for e in at.error)
    warning = next(w.value for w in at.warning if "still empty" in w.value)
    assert "1.6," not in warning and "3.5" in warning
    assert len(regimes()["dora"].fields) == 76


def test_a_reportable_post_mortem_is_final_only_once_its_report_is_complete():
    from datetime import date

    from postmortem.regimes import missing_required
    from postmortem.review import gates

    doc = demo_documents()[0]
    regulatory = doc.impact.regulatory.model_copy(update={"reportable": True, "regime": "dora"})
    doc = doc.model_copy(update={"impact": doc.impact.model_copy(update={"regulatory": regulatory})})
    gate = next(g for g in gates(doc, today=date(2026, 3, 12)) if g.id == "regulatory")
    assert not gate.ok and gate.blocking and "1.6" in gate.detail
    answers = {f.code: "x" for f in missing_required(doc, regimes()["dora"])}
    answers |= {
        "1.1": "final_report",
        "1.7": doc.contacts[0].id,
        "3.5": "1",
        "3.6": "0",
        "3.7": "0",
        "2.3": "2026-03-10T14:09Z",
        "4.7": "2026-03-18T15:00Z",
        "4.13": "0",
        "4.14": "0",
        "2.9": False,
        "3.30": False,
        "3.33": True,
        "1.15": "EUR",
        "3.23": "system failure",
    }
    regulatory = regulatory.model_copy(update={"answers": answers})
    doc = doc.model_copy(update={"impact": doc.impact.model_copy(update={"regulatory": regulatory})})
    assert next(g for g in gates(doc, today=date(2026, 3, 12)) if g.id == "regulatory").ok


def test_the_sec_item_1_05_regime_has_no_prefills_and_lists_its_required_fields(
    db_path, monkeypatch, demo_id
):
    sec = regimes()["sec-8k-1.05"]
    assert all(not f.prefill for f in sec.fields)
    at = _step(db_path, monkeypatch, demo_id)
    at = at.selectbox(key=widget_key(demo_id, "impact.regulatory.regime")).select("sec-8k-1.05").run()
    at = at.selectbox(key=widget_key(demo_id, "impact.regulatory.stage")).select("filing").run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "still empty" in w.value)
    assert warning.startswith("Required for the filing and still empty: B.1, 1.05(a)-nature")
    assert "amendment-information" not in warning
