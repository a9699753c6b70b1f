"""Archive search in storage: every section indexed on save, hostile queries quoted, filters, paging,
the access hook, snippets and their escaping, and the migration that indexes existing documents."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storage
from components.archive import highlighted
from postmortem.edit import with_value
from postmortem.models import (
    ActionItem,
    Contact,
    ContributingFactor,
    DocStatus,
    IncidentTimes,
    Note,
    PostMortem,
    Severity,
    TimelineEvent,
    new_postmortem,
)
from postmortem.searchable import MARK_END, MARK_START, SECTIONS, plain_snippet
from storage import search
from storage.access import LOCAL, Actor, Role, bind
from storage.search import Query
from tests.conftest import build_postmortem

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _find(db, text: str = "", **filters) -> search.Results:
    return search.search(db=db, query=Query(text=text, **filters))


def _ids(results: search.Results) -> list[str]:
    return [hit.incident_id for hit in results.hits]


def _dated(incident_id: str, day: date, **header) -> PostMortem:
    start = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return new_postmortem(
        incident_id, f"Incident {incident_id}", times=IncidentTimes(started_at=start), **header
    )


# --- every section is indexed, and re-indexed on save -----------------------------------------


def _one_word_per_section() -> tuple[PostMortem, dict[str, str]]:
    """A document where each section holds one word found nowhere else."""
    words = {name: f"zq{name.replace('_', '')}word" for name in SECTIONS}
    doc = build_postmortem(
        title=f"Checkout {words['title']}",
        summary=f"The summary mentions {words['summary']}.",
        timeline=[TimelineEvent(at=T0, text=f"Alert about {words['timeline']}")],
        went_well=[Note(text=f"Paging {words['went_well']}")],
        went_wrong=[Note(text=f"Queue {words['went_wrong']}")],
        contributing_factors=[ContributingFactor(text=f"Pool {words['factors']}")],
        action_items=[ActionItem(title=f"Add {words['actions']}")],
        lessons=[Note(text=f"Lesson {words['lessons']}")],
        contacts=[Contact(name="Dana", team=f"Team {words['appendix']}")],
    )
    header = doc.header.model_copy(update={"tags": [words["labels"]]})
    impact = doc.impact.model_copy(update={"description": f"Customers saw {words['impact']}"})
    root = doc.root_cause.model_copy(update={"statement": f"Conditions {words['root_cause']}"})
    return doc.model_copy(update={"header": header, "impact": impact, "root_cause": root}), words


def test_every_section_is_searchable_and_named(db):
    doc, words = _one_word_per_section()
    storage.create(db=db, doc=doc)
    storage.create(db=db, doc=build_postmortem("INC-2026-0002", "Unrelated"))
    for column, word in words.items():
        found = _find(db, word)
        assert _ids(found) == ["INC-2026-0001"], column
        assert found.hits[0].section == SECTIONS[column], column
        assert (word, True) in found.hits[0].snippet or column in ("title", "labels")


def test_whys_and_causal_tree_labels_are_indexed(db):
    doc = build_postmortem()
    doc = with_value(
        doc,
        "root_cause.five_whys",
        {"problem": "Why zqproblem?", "steps": [{"question": "Why?", "answer": "Because zqwhy"}]},
    )
    storage.create(db=db, doc=doc)
    assert _ids(_find(db, "zqwhy")) == ["INC-2026-0001"]
    assert _ids(_find(db, "validation pushes")) == ["INC-2026-0001"]  # a causal-tree node's text


def test_a_save_reindexes_and_stemming_finds_other_forms(db):
    stored = storage.create(db=db, doc=build_postmortem(summary="Connections were exhausted."))
    assert _ids(_find(db, "connection exhausting")) == ["INC-2026-0001"]
    storage.save(
        db=db,
        doc_id=stored.id,
        doc=stored.doc.model_copy(update={"summary": "A certificate expired."}),
        expected_version=1,
    )
    assert _find(db, "exhausted").total == 0
    assert _ids(_find(db, "certificate")) == ["INC-2026-0001"]


def test_documents_in_the_bin_are_not_found(db):
    stored = storage.create(db=db, doc=build_postmortem())
    storage.delete(db=db, doc_id=stored.id)
    assert _find(db, "checkout").total == 0 and _find(db).total == 0
    storage.undelete(db=db, doc_id=stored.id)
    assert _find(db, "checkout").total == 1


# --- hostile queries ---------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b)",
    "OR",
    "AND",
    "NOT",
    'lag" OR',
    "(",
    ")",
    "^checkout",
    "-checkout",
    "title: checkout",
    "{title summary}: x",
    "check*",
    "<script>alert(1)</script>",
    "'; drop table documents;--",
    "Ünïcödé 日本語 🙂",
    "\x00",
    MARK_START + "x" + MARK_END,
    "a" * 2000,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_searched_as_words(db, query):
    storage.create(db=db, doc=build_postmortem())
    found = _find(db, query)  # must not raise
    assert found.total in (0, 1)
    assert db.execute("select count(*) from documents").fetchone()[0] == 1


def test_fts_operators_typed_by_a_user_are_plain_words(db):
    storage.create(db=db, doc=build_postmortem(summary="Rollback or restart."))
    storage.create(db=db, doc=build_postmortem("INC-2026-0002", summary="Rollback done."))
    assert _ids(_find(db, "OR")) == ["INC-2026-0001"]  # the word "or", not an operator
    assert _find(db, "rollback NOT restart").total == 0  # "not" is a word both lack
    assert _find(db, "NEAR(rollback restart)").total == 0  # "near" is a word too


def test_quoted_phrases_match_as_phrases(db):
    storage.create(db=db, doc=build_postmortem(summary="The retry wrapper held connections."))
    storage.create(db=db, doc=build_postmortem("INC-2026-0002", summary="A wrapper around the retry."))
    assert set(_ids(_find(db, "retry wrapper"))) == {"INC-2026-0001", "INC-2026-0002"}
    assert _ids(_find(db, '"retry wrapper"')) == ["INC-2026-0001"]


def test_unicode_and_diacritics(db):
    storage.create(db=db, doc=build_postmortem(summary="Die Zahlungsbestätigung kam zu spät. 支付 失败"))
    assert _ids(_find(db, "zahlungsbestatigung")) == ["INC-2026-0001"]
    assert _ids(_find(db, "支付")) == ["INC-2026-0001"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_query_text_runs(db, text):
    search.search(db=db, query=Query(text=text))


# --- filters, sort, paging, access -------------------------------------------------------------


@pytest.fixture
def archive(db):
    """Four documents with different services, severities, classes, statuses, tags and dates."""
    rows = [
        (
            "INC-A",
            date(2026, 1, 10),
            Severity.SEV1,
            ["checkout", "payments"],
            "Deploy or release",
            ["eu"],
            "sre",
        ),
        ("INC-B", date(2026, 2, 10), Severity.SEV2, ["search"], "Capacity", ["eu", "data"], "search on-call"),
        (
            "INC-C",
            date(2026, 3, 10),
            Severity.SEV2,
            ["Checkout"],
            "deploy or release",
            [],
            "payments on-call",
        ),
        ("INC-D", date(2026, 4, 10), Severity.SEV3, ["auth"], "", ["internal"], ""),
    ]
    for incident_id, day, severity, services, klass, tags, role in rows:
        doc = _dated(
            incident_id,
            day,
            severity=severity,
            services=services,
            failure_class=klass,
            tags=tags,
            author_role=role,
        )
        storage.create(db=db, doc=doc.model_copy(update={"summary": "A pool ran dry during the rollout."}))
    stored = storage.find(db=db, key="INC-D")
    final = stored.doc.model_copy(
        update={"header": stored.doc.header.model_copy(update={"status": DocStatus.FINAL})}
    )
    storage.save(db=db, doc_id=stored.id, doc=final, expected_version=1)
    return db


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"services": ("checkout",)}, {"INC-A", "INC-C"}),  # any case
        ({"services": ("search", "auth")}, {"INC-B", "INC-D"}),
        ({"severities": ("Sev2",)}, {"INC-B", "INC-C"}),
        ({"failure_classes": ("DEPLOY OR RELEASE",)}, {"INC-A", "INC-C"}),
        ({"statuses": ("final",)}, {"INC-D"}),
        ({"tags": ("eu",)}, {"INC-A", "INC-B"}),
        ({"author_role": "on-CALL"}, {"INC-B", "INC-C"}),
        ({"author_role": "%"}, set()),  # a LIKE wildcard typed by a user is a character
        ({"since": date(2026, 2, 10), "until": date(2026, 3, 10)}, {"INC-B", "INC-C"}),
        ({"since": date(2026, 3, 11)}, {"INC-D"}),
        ({"services": ("checkout",), "severities": ("Sev1",)}, {"INC-A"}),
    ],
)
def test_filters(archive, filters, expected):
    assert set(_ids(_find(archive, **filters))) == expected
    found = _find(archive, "pool", **filters)
    assert set(_ids(found)) == expected and found.total == len(expected)


def test_filtered_counts_leave_out_the_bin_and_hidden_documents(archive, monkeypatch):
    storage.delete(db=archive, doc_id=storage.find(db=archive, key="INC-B").id)
    assert _find(archive, "pool", severities=("Sev2",)).total == 1  # INC-C; INC-B is in the bin
    hidden = storage.find(db=archive, key="INC-C").id
    monkeypatch.setattr(
        storage.access, "visible_sql", lambda db, column="documents.id": (f"{column} != ?", [hidden])
    )
    assert _find(archive, "pool", severities=("Sev2",)).total == 0
    assert _find(archive, "pool").total == 2  # INC-A, INC-D


def test_ranked_pages_of_equal_scores_neither_overlap_nor_skip(db):
    for n in range(10):  # four documents alike for "zqtie", six others; "pool" in all ten
        summary = "A pool ran dry; zqtie zqtie." if n < 4 else "A pool ran dry."
        storage.create(db=db, doc=build_postmortem(f"INC-E-{n}", "Same title", summary=summary))
    for text in ("zqtie", "zqtie pool"):
        pages = [_ids(_find(db, text, limit=2, offset=offset)) for offset in (0, 2, 4)]
        assert sorted(pages[0] + pages[1]) == [f"INC-E-{n}" for n in range(4)] and pages[2] == []
        assert _find(db, text).total == 4


def test_filter_by_author_identity(archive, db_path):
    bind(archive, Actor("ada@example.com", Role.AUTHOR))
    storage.create(db=archive, doc=_dated("INC-E", date(2026, 5, 1)), by="ada@example.com")
    assert _ids(_find(archive, author="ada@example.com")) == ["INC-E"]
    assert _find(archive, author=LOCAL.identity).total == 4


def test_sort_by_date_and_relevance(archive):
    assert _ids(_find(archive, sort="newest")) == ["INC-D", "INC-C", "INC-B", "INC-A"]
    assert _ids(_find(archive, "pool", sort="oldest")) == ["INC-A", "INC-B", "INC-C", "INC-D"]
    storage.create(
        db=archive,
        doc=_dated("INC-X", date(2026, 6, 1)).model_copy(
            update={"summary": "The exhaustion of one pool, and the exhaustion of another."}
        ),
    )
    storage.create(
        db=archive,
        doc=_dated("INC-T", date(2025, 1, 1)).model_copy(
            update={"header": new_postmortem("INC-T", "Pool exhaustion").header}
        ),
    )
    assert _ids(_find(archive, "exhaustion")) == ["INC-T", "INC-X"]  # in the title: weighs most
    assert _ids(_find(archive, "exhaustion pool")) == ["INC-T", "INC-X"]  # "pool" is in every document
    # Words in more than half of the documents tell none apart (BM25 weighs them ~0): newest first.
    assert _ids(_find(archive, "pool")) == ["INC-X", "INC-D", "INC-C", "INC-B", "INC-A", "INC-T"]
    with pytest.raises(ValueError):
        _find(archive, sort="random()")


def test_paging_reads_one_page_and_counts_all(archive):
    first = _find(archive, "pool", sort="newest", limit=3)
    second = _find(archive, "pool", sort="newest", limit=3, offset=3)
    assert first.total == second.total == 4
    assert _ids(first) + _ids(second) == ["INC-D", "INC-C", "INC-B", "INC-A"]


def test_the_access_hook_is_anded_into_every_query(archive, monkeypatch):
    hidden = storage.find(db=archive, key="INC-A").id
    calls = []

    def only_others(db, id_column="documents.id"):
        calls.append(id_column)
        return f"{id_column} != ?", [hidden]

    monkeypatch.setattr(storage.access, "visible_sql", only_others)
    assert "INC-A" not in _ids(_find(archive, "pool")) and _find(archive).total == 3
    assert "Checkout" in search.label_values(db=archive)  # INC-C still names it
    assert "payments" not in search.label_values(db=archive)  # only INC-A does
    assert "d.id" in calls


def test_label_values_and_failure_classes_in_use(archive):
    assert search.label_values(db=archive)[0].lower() == "checkout"  # most used first, either spelling
    assert set(search.label_values(db=archive, kind="tag")) == {"eu", "data", "internal"}
    assert search.failure_classes_in_use(db=archive)[0].lower() == "deploy or release"


# --- snippets ----------------------------------------------------------------------------------


def test_snippets_mark_matches_and_ignore_forged_markers(db):
    forged = f"{MARK_START}fake{MARK_END} marker, and the rollback finished"
    storage.create(db=db, doc=build_postmortem(summary=forged))
    hit = _find(db, "rollback").hits[0]
    assert ("rollback", True) in hit.snippet
    assert not any(hit_ for text, hit_ in hit.snippet if "fake" in text)
    assert "«rollback»" in plain_snippet(hit.snippet)


def test_filter_only_results_show_the_start_of_the_summary(db):
    storage.create(db=db, doc=build_postmortem(summary="word " * 200))
    hit = _find(db).hits[0]
    assert hit.section == "Summary" and hit.snippet[0][0].endswith("…") and len(hit.snippet[0][0]) < 260


def test_highlighted_markdown_escapes_user_text_before_marking():
    parts = (
        ("<img src=x onerror=alert(1)> [link](http://x) ", False),
        ("**pool**", True),
        (" :red[x]", False),
    )
    markdown = highlighted(parts)
    assert ":orange-background[**\\*\\*pool\\*\\***]" in markdown
    user_text = markdown.replace(":orange-background[**", "").replace("**]", "")
    assert not re.search(r"(?<!\\)[<>\[\]():*]", user_text), user_text  # every special character escaped


def test_hostile_document_text_comes_back_as_plain_segments(db):
    storage.create(db=db, doc=build_postmortem(summary="<script>alert('rollback')</script> rollback"))
    hit = _find(db, "rollback").hits[0]
    assert "".join(text for text, _ in hit.snippet).startswith("<script>alert('")
    assert "\\<script\\>" in highlighted(hit.snippet) and not re.search(r"(?<!\\)<", highlighted(hit.snippet))


# --- the migration indexes what was stored before it ------------------------------------------


def test_upgrading_an_old_database_indexes_its_documents(tmp_path):
    from test_migrations import _first_schema_db, _insert_as_first_schema

    path = tmp_path / "old.db"
    old = _first_schema_db(path)
    _insert_as_first_schema(old, build_postmortem(summary="A zqlegacy word."))
    old.close()
    db = storage.connect(path, actor=storage.LOCAL)
    found = _find(db, "zqlegacy")
    assert _ids(found) == ["INC-2026-0001"] and found.hits[0].incident_at.startswith("2026-03-04")
    assert search.label_values(db=db) == ["checkout", "payments"]
    assert _find(db, "checkout", since=date(2026, 3, 4), until=date(2026, 3, 4)).total == 1
    assert _find(db, "checkout", since=date(2026, 3, 4) + timedelta(days=1)).total == 0


def test_a_save_queues_its_text_and_the_next_search_indexes_it(db):
    stored = storage.create(db=db, doc=build_postmortem(summary="A zqfirst summary."))
    assert search.refresh(db) == 1 and search.refresh(db) == 0
    changed = stored.doc.model_copy(update={"summary": "A zqsecond summary."})
    storage.save(db=db, doc_id=stored.id, doc=changed, expected_version=1)
    # Filter columns and labels are written by the save itself; the text waits for the next search.
    assert db.execute("select count(*) from search_pending").fetchone()[0] == 1
    assert _ids(_find(db, "zqsecond")) == ["INC-2026-0001"] and _find(db, "zqfirst").total == 0
    assert db.execute("select count(*) from search_pending").fetchone()[0] == 0


@pytest.mark.parametrize(
    "marked, expected",
    [
        (
            f"a {MARK_START}b{MARK_END} {MARK_START}c{MARK_END} d",
            (("a ", False), ("b c", True), (" d", False)),
        ),
        (f"{MARK_START}b{MARK_END}, {MARK_START}c{MARK_END}", (("b", True), (", ", False), ("c", True))),
        ("no match", (("no match", False),)),
    ],
)
def test_snippet_segments_join_neighbouring_matches(marked, expected):
    assert search.segments(marked) == expected


def test_ranked_pages_skip_the_bin(db):
    for n in range(6):  # "zqrank" in two of six documents' text; the title match ranks first
        title = "zqrank in the title" if n == 0 else f"Other {n}"
        summary = "zqrank in the summary" if n in (0, 1) else "Nothing here."
        storage.create(db=db, doc=build_postmortem(f"INC-R-{n}", title, summary=summary))
    assert _ids(_find(db, "zqrank")) == ["INC-R-0", "INC-R-1"]
    storage.delete(db=db, doc_id=storage.find(db=db, key="INC-R-0").id)
    assert _ids(_find(db, "zqrank")) == ["INC-R-1"] and _find(db, "zqrank").total == 1
    assert _ids(_find(db, "zqrank", offset=1)) == []


_PIECE = st.text(alphabet=st.characters(blacklist_characters=[MARK_START, MARK_END]), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_PIECE, st.booleans()), max_size=8))
def test_segments_keep_the_text_and_highlighting_escapes_all_of_it(parts):
    marked = "".join(f"{MARK_START}{text}{MARK_END}" if hit else text for text, hit in parts)
    pieces = search.segments(marked)
    assert "".join(text for text, _ in pieces) == "".join(text for text, _ in parts)
    user_text = highlighted(pieces).replace(":orange-background[**", "").replace("**]", "")
    assert not re.search(r"(?<!\\)[<>\[\]()*`_#|!~$&:=]", user_text.replace("\\\\", ""))


def test_contact_names_are_not_searchable(tmp_path):
    """A viewer may not see the contacts table; a snippet must not show it to them either."""
    from postmortem.models import Contact

    db = storage.connect(tmp_path / "names.db", actor=storage.LOCAL)
    doc = build_postmortem().model_copy(
        update={"contacts": [Contact(name="Zebulon Quartermaine", role="on-call")]}
    )
    storage.create(db=db, doc=doc)
    assert search.search(db=db, query=search.Query(text="Quartermaine")).total == 0
    assert search.search(db=db, query=search.Query(text="on-call")).total == 1
