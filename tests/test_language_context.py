"""Issue 15: the checks read context (code, links, package names, headings, questions, quotes,
compounds, the clause's subject); findings are blocking only where the rule is sure; rules say
which context they need in the rules file; the real-text corpus is checked sentence by sentence."""

from __future__ import annotations

import pytest

from bench.language import REAL_CORPUS, corpus, found_categories
from postmortem import language
from postmortem.language_context import Context
from postmortem.language_subject import subject_of

REAL = corpus(REAL_CORPUS)


def _found(text: str, names=()) -> list[tuple[str, bool]]:
    return [(f.rule, f.blocking) for f in language.check_text(text, path="summary", names=names)]


def test_the_real_corpus_is_large_sourced_and_has_both_sides():
    assert len(REAL) >= 300
    assert all(case.source for case in REAL)
    sources = {line.split("\t")[0] for line in (REAL_CORPUS.parent / "sources.tsv").read_text().splitlines()
               if line and not line.startswith("#")}
    assert {case.source for case in REAL} <= sources
    assert sum(bool(c.expected) for c in REAL) >= 60 and sum(not c.expected for c in REAL) >= 200


@pytest.mark.parametrize("case", REAL, ids=[f"real{c.line}" for c in REAL])
def test_real_sentence(case):
    assert found_categories(case) == set(case.expected), case.text


@pytest.mark.parametrize("text", [
    "The lazy-loaded module was fetched on demand, six times over.",
    "We published `@scope/package` and @babel/core 7.1 the same day.",
    "The `engineer forgot to drain` string in `deploy.sh` is a log line.",
    "```\nthe on-call should have escalated\n```",
    "See https://example.com/obviously-broken/should-have-known for the log.",
    "## What could have gone better?",
    "The config loader forgot the override.",
    "The retry queue should have drained within a minute.",
    "Downstream actions should have been automatically corrected as the backlog was processed.",
    "If only one replica is down, reads continue.",
    "Caches lazy loading settings were unchanged.",
])
def test_technical_words_that_look_like_judgements_are_not_findings(text):
    assert _found(text) == []


@pytest.mark.parametrize("text, rule", [
    ("The engineer forgot to drain the node.", "forgot"),
    ("@oncall should have escalated.", "should-have"),
    ("We could have rolled back sooner.", "could-have"),
    ("The root cause was human error.", "human-error"),
    ("The on-call engineer for payments should have paged the DBA.", "should-have"),
])
def test_blame_in_technical_language_is_blocking(text, rule):
    assert (rule, True) in _found(text)


@pytest.mark.parametrize("text, rule", [
    ("This should have been caught in code review.", "should-have"),  # no person named: unsure
    ("Forgot to drain the node before the upgrade.", "forgot"),
    ("Obviously the pool was too small.", "obviously"),
])
def test_unsure_findings_are_suggestions(text, rule):
    assert (rule, False) in _found(text)


def test_a_contact_written_in_lower_case_in_a_chat_log_is_a_name():
    assert ("contact-name", True) in _found("[22:28:45] <+paladox> !log delete db testwiki", names=["Paladox"])
    assert _found("We will mark the anchor.", names=["Will Mark"]) == []


def test_a_google_style_handle_with_trailing_at_is_a_name_but_an_address_is_one_finding():
    assert _found("amirh@ lands the fix.", names=["amirh"]) == [("contact-name", True)]
    assert [r for r, _ in _found("Mail amirh@example.com today.", names=["amirh"])] == ["email"]


@pytest.mark.parametrize("text, expected", [
    ("the engineer forgot", "person"), ("the config loader forgot", "system"), ("forgot", "unknown"),
    ("During the deploy, we forgot", "person"), ("The on-call engineer for payments forgot", "person"),
    ("Dutch Wikipedia and English Wikipedia could", "system"), ("Priya never forgot", "person"),
])
def test_subject_of_a_verb(text, expected):
    verb = text.rfind(" ") + 1 if " " in text else 0
    assert subject_of(text, verb, frozenset({"Priya"})) == expected


def test_context_spans_are_found_once_per_field():
    text = "# Title\nSee `code` and https://x.org/a, “a quote” here. Why did it fail?\n```\nblock\n```"
    ctx = Context.of(text)
    assert ctx.kinds_at(text.index("Title"), text.index("Title") + 5) == {"heading"}
    assert "code" in ctx.kinds_at(text.index("code"), text.index("code") + 4)
    assert "url" in ctx.kinds_at(text.index("x.org"), text.index("x.org") + 5)
    assert "quote" in ctx.kinds_at(text.index("a quote"), text.index("a quote") + 7)
    assert "question" in ctx.kinds_at(text.index("fail"), text.index("fail") + 4)
    assert "code" in ctx.kinds_at(text.index("block"), text.index("block") + 5)
    assert ctx.kinds_at(text.index("here"), text.index("here") + 4) == set()


def test_rules_declare_their_context_and_subject_as_data():
    rules = {r.id: r for r in language.load_rules().rules}
    assert rules["forgot"].subject == "person" and "heading" in rules["forgot"].skip_in
    assert "compound" in rules["careless"].skip_in
    assert all("code" in r.skip_in for r in rules.values())  # code is never checked


@pytest.mark.parametrize("raw, message", [
    ('skip_in = ["tables"]', "skip_in takes"),
    ('subject = "robot"', "subject must be"),
])
def test_a_rule_with_unknown_context_is_refused(raw, message):
    toml = f'[[rules]]\nid = "x"\ncategory = "hindsight"\npattern = "x"\nwhy = "w."\nrewrite = "r"\n{raw}\n'
    with pytest.raises(language.RulesError, match=message):
        language.parse_rules(toml)


def test_a_team_can_make_a_rule_skip_quotes():
    toml = ('[[rules]]\nid = "oops"\ncategory = "hindsight"\npattern = "\\\\boops\\\\b"\nwhy = "w."\n'
            'rewrite = "r"\nskip_in = ["quote"]\n')
    rules = language.parse_rules(toml)
    assert language.check_text("The customer wrote “oops, gone”.", rules=rules) == []
    assert len(language.check_text("Then oops, gone.", rules=rules)) == 1


def _gate(doc, gate_id):
    from datetime import date

    from postmortem import review
    return next(g for g in review.gates(doc, today=date(2026, 3, 2)) if g.id == gate_id)


def test_suggestions_are_a_warning_and_only_sure_findings_hold_back_final():
    from postmortem.models import new_postmortem

    unsure = new_postmortem("INC-1", "T").model_copy(update={"summary": "Obviously the pool was too small."})
    assert _gate(unsure, "language").ok
    suggestions = _gate(unsure, "language-suggestions")
    assert not suggestions.ok and not suggestions.blocking and "“Obviously” in summary" in suggestions.detail
    sure = new_postmortem("INC-1", "T").model_copy(update={"summary": "The root cause was human error."})
    language_gate = _gate(sure, "language")
    assert not language_gate.ok and language_gate.blocking and "“human error” in summary" in language_gate.detail
