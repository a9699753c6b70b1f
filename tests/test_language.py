"""Blameless-language checks: the labelled corpus case by case, spans, rules as data, own texts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.language import CORPUS_NAMES, corpus, found_categories
from postmortem import language, prompts
from postmortem.demo import demo_documents
from postmortem.models import ActionItem, Contact, ContactKind, Note

ROOT = Path(__file__).resolve().parents[1]
CASES = corpus()


def test_the_corpus_is_large_and_covers_every_category():
    assert len(CASES) >= 150
    for category in language.CATEGORIES:
        assert sum(category in c.expected for c in CASES) >= 10, category
    assert sum(not c.expected for c in CASES) >= 50  # negatives, many of them tricky


@pytest.mark.parametrize("case", CASES, ids=[f"line{c.line}" for c in CASES])
def test_labelled_sentence(case):
    assert found_categories(case) == set(case.expected), case.text


def test_the_example_from_the_issue_gives_two_findings_with_rewrites():
    found = language.check_text("Priya should have noticed the alert", names=["Priya Raman"], path="summary")
    assert [(f.category, f.text) for f in found] == [
        ("names", "Priya"),
        ("should_have", "should have noticed"),
    ]
    assert all(f.why.endswith(".") and f.rewrite for f in found)
    assert [(f.start, f.end) for f in found] == [(0, 5), (6, 25)]


@pytest.mark.parametrize(
    "text, path",
    [
        ("The job failed to release connections.", "went_wrong.0.text"),
        ("The alert should fire at 80 % of capacity.", "action_items.0.acceptance_criteria"),
        ("We moved settlement to a just-in-time batch.", "summary"),
    ],
)
def test_the_issue_s_negatives_are_not_findings(text, path):
    assert language.check_text(text, path=path, names=CORPUS_NAMES) == []


def test_the_document_check_covers_narrative_but_not_contacts_or_owners(sample):
    doc = sample(
        summary="Priya Raman restarted the primary.",
        contacts=[
            Contact(name="Priya Raman", role="on-call"),
            Contact(name="Payments", kind=ContactKind.TEAM),
        ],
        action_items=[ActionItem(title="Add a pool-size check to CI", owner="Priya Raman")],
        went_wrong=[Note(text="The Payments team had no dashboard for pool usage.")],
    )
    found = language.check(doc)
    assert [(f.path, f.text) for f in found] == [("summary", "Priya Raman")]
    assert found[0].key.startswith("summary|contact-name|")


def test_keys_follow_items_not_positions(sample):
    doc = sample(went_wrong=[Note(id="a", text="Fine."), Note(id="b", text="Obviously wrong.")])
    moved = doc.model_copy(update={"went_wrong": list(reversed(doc.went_wrong))})
    key = [f.key for f in language.check(doc) if f.path.startswith("went_wrong")]
    moved_key = [f.key for f in language.check(moved) if f.path.startswith("went_wrong")]
    assert key == moved_key == ["went_wrong[b].text|obviously|obviously"]


def test_a_team_extends_the_rules_with_its_own_table():
    extra = (
        language.RULES_FILE.read_text()
        + """
[[rules]]
id = "rockstar"
category = "hindsight"
pattern = "\\\\brockstar\\\\b"
why = "Hero language hides the system that needed a hero."
rewrite = "Describe what made the recovery possible."
"""
    )
    rules = language.parse_rules(extra)
    assert [f.rule for f in language.check_text("A rockstar fixed it.", rules=rules)] == ["rockstar"]


@pytest.mark.parametrize(
    "rule, message",
    [
        ('id = "x"\ncategory = "hindsight"\npattern = "a"\nwhy = "w"', "missing rewrite"),
        ('id = "x"\ncategory = "blame"\npattern = "a"\nwhy = "w"\nrewrite = "r"', "category must be"),
        ('id = "x"\ncategory = "hindsight"\npattern = "("\nwhy = "w"\nrewrite = "r"', "not a valid regular"),
        (
            'id = "x"\ncategory = "hindsight"\npattern = "a"\nwhy = "w"\nrewrite = "r"\nsevere = true',
            "unknown key",
        ),
    ],
)
def test_a_broken_rule_is_refused_with_its_name(rule, message):
    with pytest.raises(language.RulesError, match=message):
        language.parse_rules("[[rules]]\n" + rule)


def test_the_shipped_rules_load_and_every_category_has_a_rule():
    rules = language.load_rules()
    assert {r.category for r in rules.rules} | {"names"} == set(language.CATEGORIES)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(),
    names=st.lists(st.text(min_size=1, max_size=20), max_size=3),
    path=st.sampled_from(["summary", "action_items.3.title", "timeline.0.text"]),
)
def test_arbitrary_text_never_crashes_and_spans_are_inside(text, names, path):
    for f in language.check_text(text, path=path, names=names):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.path == path


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "Priya",
                "should",
                "have",
                "noticed",
                "had",
                "the",
                "on-call",
                "failed",
                "to",
                ",",
                "if",
                "only",
                "obviously",
                "@ana",
                "not",
                "human",
                "error",
            ]
        ),
        max_size=30,
    )
)
def test_blame_shaped_word_salad_never_crashes(words):
    text = " ".join(words)
    for f in language.check_text(text, names=["Priya Raman"]):
        assert text[f.start : f.end] == f.text


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_the_product_s_own_texts_pass_its_checks():
    sources = [
        ROOT / "postmortem" / "prompts.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "components").glob("*.py")),
    ]
    found = [
        (str(p.relative_to(ROOT)), f.text)
        for p in sources
        for s in _strings(p)
        for f in language.check_text(s)
    ]
    assert found == []
    assert prompts.INTERVIEW_PROMPTS  # the prompts module is what the first source reads


@pytest.mark.parametrize("doc", demo_documents(), ids=lambda d: d.header.incident_id)
def test_the_demo_documents_pass_their_own_checks(doc):
    assert language.check(doc) == []


# --- issue 11, hole 4: the check is linear in the text --------------------------------------------


@pytest.mark.parametrize("repeats", [1_000, 10_000, 40_000])
def test_hole_4_quadratic_lint_overlap_removal_is_a_linear_sweep(repeats):
    """'if only ' * 40000 took 40 s: every finding was compared with every kept one. Now each rule's
    matches are merged into the kept ones by one sweep, so the comparisons grow with the findings."""
    language.clear_cache()
    found = language.check_text("if only " * repeats)
    assert len(found) == repeats and {f.rule for f in found} == {"if-only"}
    assert [f.start for f in found] == [8 * n for n in range(repeats)]
    assert language.sweep_steps() <= 3 * repeats  # a pairwise comparison would make repeats² / 2


def test_hole_4_overlapping_findings_keep_the_earlier_rule_and_names_beside_phrases():
    """ "would have been caught" matches two rules; the one earlier in the file keeps the span."""
    found = language.check_text("Priya should have noticed; we would have been caught.", names=["Priya"])
    assert [(f.rule, f.text) for f in found] == [
        ("contact-name", "Priya"),
        ("should-have", "should have noticed"),
        ("would-have", "would have been"),
    ]


# The large benchmark document's contact "Contact 10 Example" and its timeline row 11 (bench/fixtures.py):
# the Review step listed "Names in the narrative: '10'".
BENCH_EVENT_10 = (
    "Event 10: A config change that lowered the pool size from 200 to 20 reached the second region. "
    "Latency on the payment provider's API was normal, which ruled out the external dependency."
)


def test_a_number_in_a_contact_s_name_is_not_taken_for_a_name():
    assert language.check_text(BENCH_EVENT_10, path="timeline.10.text", names=["Contact 10 Example"]) == []


@pytest.mark.parametrize("name", ["10", "2024-01", "#7", "3.14"])
def test_a_contact_name_without_a_letter_matches_nothing(name):
    text = f"At 10:00 the pool shrank from {name} to 20 ({name})."
    assert [f for f in language.check_text(text, names=[name]) if f.rule == "contact-name"] == []


def test_the_whole_name_with_a_number_is_still_found():
    found = language.check_text("Contact 10 Example restarted the pool.", names=["Contact 10 Example"])
    assert [(f.rule, f.text) for f in found] == [("contact-name", "Contact 10 Example")]


def test_the_large_benchmark_document_has_no_number_among_its_name_findings():
    from bench.fixtures import large_postmortem

    found = [f for f in language.check(large_postmortem()) if f.rule == "contact-name"]
    assert [f.text for f in found if not any(c.isalpha() for c in f.text)] == []
