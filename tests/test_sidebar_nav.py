"""The sidebar's navigation: what it lists for each step and page, worked out without Streamlit, and
what a run of the app hands to st.navigation."""

from __future__ import annotations

from apptest_helpers import app_for, sidebar_links

import storage
from components import sidebar
from components.steps import STEPS
from postmortem.completeness import Level, all_sections
from postmortem.demo import demo_documents
from postmortem.models import new_postmortem
from storage.access import Permission


def test_every_step_is_numbered_with_its_state_as_icon_and_words():
    doc = new_postmortem("INC-1", "Checkout errors")
    states = all_sections(doc)
    links = sidebar.step_links(states, {"summary": 2})
    assert [link.title for link in links][:3] == ["1. Header", "2. Summary · 2 open threads", "3. Impact"]
    assert len(links) == len(STEPS) and all(link.visible for link in links)
    for link, step in zip(links, STEPS, strict=True):
        if step.section is None:
            assert (link.icon, link.help) == (sidebar.CHECKS_ICON, sidebar.CHECKS_TIP)
            continue
        state = states[step.section]
        assert link.icon == sidebar.ICONS[state.level]
        assert link.help == f"{sidebar.STATE_WORDS[state.level]}: {state.hint}"


def test_a_complete_section_shows_a_tick():
    doc = demo_documents()[0]
    states = all_sections(doc)
    done = [step for step in STEPS if step.section and states[step.section].level is Level.DONE]
    assert done  # the demo has complete sections
    icons = {link.script: link.icon for link in sidebar.step_links(states, {})}
    assert all(icons[step.script] == ":material/check_circle:" for step in done)


def test_without_an_open_post_mortem_the_steps_are_hidden_but_still_served():
    links = sidebar.step_links(None, {})
    assert [link.script for link in links] == [step.script for step in STEPS]
    assert not any(link.visible for link in links)


def test_pages_a_user_may_not_use_are_not_listed():
    listed = {link.title: link.visible for link in sidebar.team_links(lambda p: p is not Permission.ADMIN)}
    assert listed["Admin"] is False and listed["Import Markdown"] is True and listed["Archive"] is True


def test_the_steps_header_is_the_identifier_as_text_and_never_merges_sections():
    assert sidebar.steps_header("INC-2026-0042") == "INC\\-2026\\-0042"
    assert sidebar.steps_header("**x** [a](javascript:1)") == "\\*\\*x\\*\\* \\[a\\]\\(javascript\\:1\\)"
    assert sidebar.steps_header("  ") == sidebar.STEPS_HEADER
    assert sidebar.steps_header("Debrief") == sidebar.STEPS_HEADER
    assert sidebar.steps_header("Across post-mortems") == sidebar.STEPS_HEADER


def test_a_run_lists_home_the_open_post_mortems_steps_and_the_team_pages(db_path, monkeypatch):
    doc_id = storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-7", "Disk full")
    ).id
    at = app_for(db_path, monkeypatch, doc_id)
    titles = [link.title for link in sidebar_links(at)]
    assert titles[0] == "All post-mortems"
    assert titles[1 : 1 + len(STEPS)] == [f"{n}. {step.title}" for n, step in enumerate(STEPS, start=1)]
    assert "Archive" in titles and "Admin" in titles  # the local user is the admin
    assert any("INC" in c.value and "Disk full" in c.value for c in at.sidebar.caption)

    home = app_for(db_path, monkeypatch)
    assert [link.title for link in sidebar_links(home)][0] == "All post-mortems"
    assert not any(link.title.startswith("1. ") for link in sidebar_links(home))
