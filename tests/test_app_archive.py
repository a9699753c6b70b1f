"""The archive page, the Header step's failure class and recurrence panel, and similar factors, in AppTest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apptest_helpers import app_for, errors

import storage
from components.session import widget_key
from postmortem.demo import demo_documents
from postmortem.models import ActionItem, ContributingFactor, IncidentTimes, new_postmortem
from storage import vocabulary

ARCHIVE = "pages/20_archive.py"


@pytest.fixture
def demo(db):
    return [storage.create(db=db, doc=doc) for doc in demo_documents()]


def _archive(db_path, monkeypatch):
    at = app_for(db_path, monkeypatch)
    return at.switch_page(ARCHIVE).run()


def _results(at) -> list[str]:
    return [link.proto.label for link in at.get("page_link") if link.proto.query_string.startswith("doc=")]


def _button(at, starts: str):
    return next(b for b in at.button if b.label.startswith(starts))


def test_search_shows_one_result_with_its_snippet(demo, db_path, monkeypatch):
    at = _archive(db_path, monkeypatch)
    assert not at.exception and at.title[0].value == "Archive" and len(_results(at)) == 3
    at.text_input(key="archive:text").input("retry wrapper").run()
    assert not at.exception
    assert [label.split(" · ")[0] for label in _results(at)] == ["**INC\\-2026\\-0101**"]
    assert any(":orange-background[**retry wrapper**]" in m.value for m in at.markdown)
    assert any("1–1 of 1 post-mortem" in c.value for c in at.caption)
    link = next(link for link in at.get("page_link") if link.proto.query_string == f"doc={demo[0].id}")
    assert link.proto.page.endswith("header")  # opens the wizard's first step on that document


@pytest.mark.parametrize("query", ['"', "NEAR(", "<b>bold</b> OR *", ":red[x]", "\x00"])
def test_hostile_queries_show_a_clear_page(demo, db_path, monkeypatch, query):
    at = _archive(db_path, monkeypatch)
    at.text_input(key="archive:text").input(query).run()
    assert not at.exception and not errors(at)
    assert _results(at) or any("Nothing matches" in i.value for i in at.info)


def test_filters_narrow_the_results(demo, db_path, monkeypatch):
    at = _archive(db_path, monkeypatch)
    at.multiselect(key="archive:severity").select("Sev2").run()
    assert [label.split(" · ")[0] for label in _results(at)] == ["**INC\\-2026\\-0102**"]
    at.multiselect(key="archive:severity").unselect("Sev2").select("Sev0").run()
    assert _results(at) == [] and any("Nothing matches" in i.value for i in at.info)


def test_my_services_are_saved_and_applied_after_a_restart(demo, db_path, monkeypatch):
    at = _archive(db_path, monkeypatch)
    assert _button(at, "My services").disabled
    at.multiselect(key="archive:services").select("CDN").run()
    _button(at, "Save these services as mine").click().run()
    assert vocabulary.saved_filter(db=storage.connect(db_path, actor=storage.LOCAL), name="my services") == {
        "services": ["CDN"]
    }

    fresh = _archive(db_path, monkeypatch)  # a new session, as after a server restart
    assert len(_results(fresh)) == 3
    _button(fresh, "My services").click().run()
    assert fresh.multiselect(key="archive:services").value == ["CDN"]
    assert [label.split(" · ")[0] for label in _results(fresh)] == ["**INC\\-2026\\-0102**"]


def test_pages_of_twenty(db, db_path, monkeypatch):
    for n in range(25):
        storage.create(db=db, doc=new_postmortem(f"INC-P-{n:02d}", f"Paged incident {n}"))
    at = _archive(db_path, monkeypatch)
    assert len(_results(at)) == 20 and _button(at, "← Previous").disabled
    _button(at, "Next →").click().run()
    assert len(_results(at)) == 5 and _button(at, "Next →").disabled
    assert any("21–25 of 25" in c.value for c in at.caption)


# --- Header: failure class from the vocabulary, recurrence ----------------------------------


def test_failure_class_is_chosen_from_the_list_and_a_class_can_be_added(db, db_path, monkeypatch):
    stored = storage.create(
        db=db, doc=new_postmortem("INC-2026-0300", "Queue stalled", failure_class="old free text")
    )
    at = app_for(db_path, monkeypatch, stored.id).switch_page("pages/01_header.py").run()
    choice = at.selectbox(key=widget_key(stored.id, "header.failure_class"))
    assert choice.value == "old free text" and "Configuration change" in choice.options
    at.text_input(key=f"failure-class:{stored.id}:new").input("Queue backlog").run()
    _button(at, "Add it and use it here").click().run()
    assert not at.exception
    assert storage.get(db=db, doc_id=stored.id).doc.header.failure_class == "Queue backlog"
    assert at.selectbox(key=widget_key(stored.id, "header.failure_class")).value == "Queue backlog"
    assert "Queue backlog" in vocabulary.team_failure_classes(db=db)
    at.text_input(key=f"failure-class:{stored.id}:new").input("queue BACKLOG").run()
    _button(at, "Add it and use it here").click().run()
    assert any("already in the list" in e for e in errors(at))


def test_recurrence_is_shown_recorded_and_the_draft_binned_with_undo(demo, db, db_path, monkeypatch):
    earlier = demo[0]  # Sev1, 2026-03-10, checkout-api, "Resource exhaustion: shared connection pool"
    new = storage.create(
        db=db,
        doc=new_postmortem(
            "INC-2026-0200",
            "Checkout errors again",
            services=["checkout-api"],
            failure_class="resource exhaustion: shared connection pool",
            times=IncidentTimes(started_at=datetime(2026, 4, 1, tzinfo=UTC)),
        ),
    )
    at = app_for(db_path, monkeypatch, new.id).switch_page("pages/01_header.py").run()
    assert next(s.value for s in at.subheader) == "This has happened before"
    open_items = [i for i in earlier.doc.action_items if not i.status.is_closed]
    shown = at.dataframe[0].value
    assert list(shown["Action"]) == [i.title for i in open_items] and open_items

    at.text_area(key=f"recurrence:{new.id}:{earlier.id}:note").input("The pool ran out again").run()
    _button(at, "Record as a recurrence").click().run()
    assert not at.exception
    recorded = storage.get(db=db, doc_id=earlier.id)
    assert recorded.version == earlier.version + 1
    assert [(r.incident_id, r.note) for r in recorded.doc.recurrences] == [
        ("INC-2026-0200", "The pool ran out again")
    ]
    assert storage.get(db=db, doc_id=new.id).doc.links[-1].url == f"?doc={earlier.id}"

    _button(at, "Move this draft to the bin").click().run()
    assert storage.get(db=db, doc_id=new.id)  # asked first: nothing moved yet
    _button(at, "Yes, move this draft to the bin").click().run()
    with pytest.raises(storage.NotFoundError):
        storage.get(db=db, doc_id=new.id)
    assert at.query_params["doc"] == [str(earlier.id)] or at.query_params["doc"] == str(earlier.id)
    _button(at, "Undo: bring INC-2026-0200 back").click().run()
    assert storage.get(db=db, doc_id=new.id).doc.header.incident_id == "INC-2026-0200"


def test_a_stale_earlier_version_is_refused_with_a_message(demo, db, db_path, monkeypatch):
    earlier = demo[0]
    new = storage.create(
        db=db,
        doc=new_postmortem(
            "INC-2026-0200",
            "Again",
            services=["checkout-api"],
            failure_class=earlier.doc.header.failure_class,
            times=IncidentTimes(started_at=datetime(2026, 4, 1, tzinfo=UTC)),
        ),
    )
    at = app_for(db_path, monkeypatch, new.id).switch_page("pages/01_header.py").run()
    storage.save(db=db, doc_id=earlier.id, doc=earlier.doc, expected_version=earlier.version)  # someone else
    _button(at, "Record as a recurrence").click().run()
    assert any("changed since this page showed it" in e for e in errors(at))
    assert storage.get(db=db, doc_id=earlier.id).doc.recurrences == []


def test_no_panel_without_a_match(demo, db, db_path, monkeypatch):
    new = storage.create(
        db=db,
        doc=new_postmortem(
            "INC-2026-0200",
            "Unrelated",
            services=["checkout-api"],
            failure_class="Certificate, key or licence expiry",
        ),
    )
    at = app_for(db_path, monkeypatch, new.id).switch_page("pages/01_header.py").run()
    assert "This has happened before" not in [s.value for s in at.subheader] and not at.exception


def test_similar_factors_on_the_factors_step(demo, db, db_path, monkeypatch):
    new = storage.create(
        db=db,
        doc=new_postmortem("INC-2026-0200", "x").model_copy(
            update={
                "contributing_factors": [
                    ContributingFactor(text="Pool saturation and pool wait time have no alert")
                ],
                "action_items": [ActionItem(title="x")],
            }
        ),
    )
    at = app_for(db_path, monkeypatch, new.id).switch_page("pages/07_factors.py").run()
    assert not at.exception
    assert any(e.label.startswith("Similar factors in other post-mortems (1)") for e in at.expander)
    links = [link.proto for link in at.get("page_link") if link.proto.query_string == f"doc={demo[0].id}"]
    assert links and links[0].page.endswith("factors")


def test_only_the_post_mortems_i_started(db, db_path, monkeypatch):
    storage.create(db=db, doc=new_postmortem("INC-MINE", "Started here"))  # by the local user
    storage.create(db=db, doc=new_postmortem("INC-THEIRS", "Started elsewhere"), by="someone@example.com")
    at = _archive(db_path, monkeypatch)
    assert len(_results(at)) == 2
    at.toggle(key="archive:started-by-me").set_value(True).run()
    assert [label.split(" · ")[0] for label in _results(at)] == ["**INC\\-MINE**"]
