"""Reference-style links are written inline on import: the field that quotes one keeps its address."""

from __future__ import annotations

from postmortem.mdimport import import_markdown
from postmortem.mdimport.references import inline_references

DEFINITIONS = '\n\n[beta]: https://example.com/beta "Beta"\n[x]: <https://x.example/(1) b>\n'


def test_every_form_with_a_definition_becomes_an_inline_link():
    text = "we issued a [call\nfor beta testers][beta], see [Beta], [x][] and ![graph][beta]" + DEFINITIONS
    out = inline_references(text)
    assert out.startswith(
        'we issued a [call\nfor beta testers](https://example.com/beta "Beta"), see '
        '[Beta](https://example.com/beta "Beta"), [x](https://x.example/%281%29%20b) and '
        '![graph](https://example.com/beta "Beta")'
    )


def test_code_undefined_labels_inline_links_and_task_boxes_stay_as_written():
    text = "`[beta]` and [a `c` b][nope], [a](b) - [ ] todo\n\n```\n[beta]\n```\n\n    [beta]\n" + DEFINITIONS
    assert inline_references(text) == text


def test_an_imported_summary_keeps_a_link_whose_definition_is_at_the_end():
    text = "# Report\n\nWe asked for [beta testers][beta].\n\n## Lessons\n\nTest more.\n" + DEFINITIONS
    assert "[beta testers](https://example.com/beta" in import_markdown(text).doc.summary
