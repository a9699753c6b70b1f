"""Every wizard step and team page draws their icons with Streamlit's bundled Material icons, not
emoji: a browser without a colour-emoji font (Debian's chromium as installed here, many Linux desktops)
shows an emoji as an empty box, so a gate's pass/block mark or a button's icon would be unreadable."""

from __future__ import annotations

import re

import pytest
from apptest_helpers import app_for
from google.protobuf import text_format

import storage
from components.steps import STEPS, TEAM_PAGES
from postmortem.models import new_postmortem

# Characters drawn in colour-emoji style by default (Unicode's Emoji_Presentation): they need an emoji
# font. Text-style symbols such as ⚠ (U+26A0) come with ordinary fonts and are fine.
EMOJI = re.compile("[\U0001f000-\U0001faff⛔✅❌➕➖⚪⚫⭐⏪⏩⌛⏳✨❓❗⬛⬜⚡]")


def _texts(node):
    """Every element's protobuf as text (labels, bodies and icons), depth first."""
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield text_format.MessageToString(proto, as_utf8=True)
    for child in getattr(node, "children", {}).values():
        yield from _texts(child)


@pytest.mark.parametrize("script", [step.script for step in STEPS] + [page.script for page in TEAM_PAGES])
def test_a_step_shows_no_emoji(db_path, monkeypatch, script):
    doc_id = storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-2026-0007", "Disk full")
    ).id
    at = app_for(db_path, monkeypatch, doc_id).switch_page(script).run()
    assert not at.exception
    found = sorted({m for text in _texts(at.main) for m in EMOJI.findall(text)})
    assert found == []
