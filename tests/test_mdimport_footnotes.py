"""Footnotes are written where their marks are on Markdown import: no "[^3]" left pointing nowhere."""

from __future__ import annotations

import re

import pytest

from bench.mdimport_labelled import _strings, documents
from postmortem.mdimport import import_markdown
from postmortem.mdimport.footnotes import inline_footnotes


def test_a_mark_becomes_its_note_and_the_definition_goes():
    text = "Recovery took 279 minutes[^3].\n\nMore text.\n\n[^3]: Three incidents in one day.\n"
    assert (
        inline_footnotes(text) == "Recovery took 279 minutes (Three incidents in one day.).\n\nMore text.\n"
    )


def test_a_mark_after_a_space_gets_no_second_space_and_a_table_cell_stays_one_cell():
    text = "| 14:33 | Deployed through IaC [^iac] |\n\n[^iac]: Infrastructure | as code\n"
    assert inline_footnotes(text) == "| 14:33 | Deployed through IaC (Infrastructure \\| as code) |\n"


def test_a_note_of_two_paragraphs_is_kept_whole_and_a_later_paragraph_stays():
    text = "A claim.[^n]\n\n[^n]: First part.\n\n    Second part.\n\nAfter the notes.\n"
    out = inline_footnotes(text)
    assert out.startswith("A claim. (First part. Second part.)")
    assert "After the notes." in out and "[^n]" not in out and "Second part.\n" not in out


def test_marks_without_a_definition_and_marks_in_code_stay_as_written():
    text = "Kept[^missing] and used[^u].\n\n```\nx = a[^u]\n```\n\n[^u]: a note\n"
    out = inline_footnotes(text)
    assert "Kept[^missing]" in out and "used (a note)." in out and "x = a[^u]" in out


def test_text_without_footnotes_is_returned_unchanged():
    text = "A [link][ref] and a caret ^ and [^] alone.\n\n[ref]: https://example.com\n"
    assert inline_footnotes(text) == text


def test_an_imported_note_keeps_its_reference_link():
    text = "# Outage\n\n## Summary\n\nA PuTTY[^p] installer.\n\n[^p]: [PuTTY][putty] is an SSH client.\n\n[putty]: https://putty.example\n"
    summary = import_markdown(text).doc.summary
    assert "PuTTY ([PuTTY](https://putty.example) is an SSH client.) installer" in summary


_DEFINED = re.compile(r"(?m)^\[\^([^\]\s]+)\]:\s*(.+)$")
_WITH_NOTES = [(n, t) for n, t, _ in documents() if _DEFINED.search(t)]


def test_the_labelled_set_has_documents_with_footnotes():
    assert len(_WITH_NOTES) >= 2


@pytest.mark.parametrize(("name", "text"), _WITH_NOTES, ids=[n for n, _ in _WITH_NOTES])
def test_real_documents_keep_every_note_and_no_mark(name, text):
    fields = " ".join(_strings(import_markdown(text, name=name).doc.model_dump(mode="json")))
    for label, note in _DEFINED.findall(text):
        assert f"[^{label}]" not in fields, label
        words = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", note).split()[-4:]  # its last words, links undone
        assert " ".join(words) in fields, (label, words)
