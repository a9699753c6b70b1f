"""Docs and structure are checked, not trusted: the README, the CLI and the wizard agree."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from cli.main import debrief
from components.steps import HOME_BOOKMARK, STEPS, TEAM_PAGES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_quickstart_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(make \w+)", quickstart, flags=re.MULTILINE)
    assert commands == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def every_command(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Each command of the `debrief` group by its full name ("notify prefs"), nested groups included."""
    found = {}
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found |= every_command(command, f"{prefix}{name} ")
    return found


COMMANDS = every_command(debrief)


def test_the_walk_finds_nested_commands():
    assert {"new", "export", "notify", "notify prefs", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_cli_command_has_help_and_is_in_the_readme(command):
    assert (COMMANDS[command].help or "").strip()
    assert re.search(rf"`{command}\b", README), f"README does not document `{command}`"


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
def test_every_wizard_step_has_its_page_file(step):
    assert (ROOT / step.script).is_file()


def test_page_files_are_named_so_both_streamlit_modes_agree_on_their_url():
    for page in (*STEPS, *TEAM_PAGES):
        assert re.fullmatch(r"pages/\d\d_[a-z_]+\.py", page.script), page.script
    for page in TEAM_PAGES:  # the folder mode takes the URL from the file name
        assert page.script.split("_", 1)[1] == f"{page.slug.replace('-', '_')}.py", page


def test_every_file_in_pages_is_a_step_or_a_team_page():
    scripts = [s.script for s in STEPS] + [p.script for p in TEAM_PAGES] + [HOME_BOOKMARK]
    assert sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")) == sorted(scripts)
