"""Issue 11, hole 3: people named in narrative text reach only the audiences that may see names."""

from __future__ import annotations

import io
import zipfile

import pytest
from cli_helpers import main

import storage
from exports.render import AUDIENCES, FORMATS, NAMED_IN_TEXT, render
from postmortem.models import Contact, ContactKind, Note, TimelineEvent
from postmortem.names import RESPONDER, replacer_for, without_names_in_text
from storage import users
from storage.access import bind
from tests.conftest import at, build_postmortem

PRIYA = Contact(name="Priya Raman", role="Incident commander", contact="priya@example.com")
TOM = Contact(name="Tom Becker", role="Database engineer", contact="@tomb")
TEAM = Contact(name="Payments", kind=ContactKind.TEAM, role="owning team", contact="#payments")
LEAKS = ("Priya", "Raman", "Tom Becker", "Becker", "priya@example.com", "@tomb", "jo@corp.example")


def _named() -> object:
    return build_postmortem(
        summary="Priya Raman paged Tom Becker; Priya then asked @tomb and jo@corp.example to roll back.",
        timeline=[
            TimelineEvent(at=at(0), text="Priya declared the incident"),
            TimelineEvent(at=at(3), text="Tom restarted the pool; mail priya@example.com for notes"),
        ],
        went_wrong=[Note(text="Becker had no runbook")],
        contacts=[PRIYA, TOM, TEAM],
    )


def _text(data: bytes, fmt: str) -> str:
    if fmt != "docx":
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", [a for a in AUDIENCES if a not in NAMED_IN_TEXT])
def test_hole3_names_in_narrative_never_reach_audiences_that_may_not_see_them(audience, fmt):
    text = _text(render(_named(), audience, fmt, country="US"), fmt)
    leaked = [name for name in LEAKS if name in text]
    assert not leaked, f"{audience} {fmt} holds {leaked}"


def test_hole3_the_engineering_export_shows_each_person_as_their_role():
    markdown = render(_named(), "engineering", "md", country="US").decode()
    assert "Incident commander declared the incident" in markdown
    assert "Database engineer restarted the pool" in markdown
    assert "Incident commander paged Database engineer" in markdown
    assert f"asked Database engineer and {RESPONDER} to roll back" in markdown


def test_hole3_the_owning_team_and_the_regulator_still_read_the_names():
    assert "Priya Raman paged Tom Becker" in render(_named(), "team", "md", country="US").decode()
    assert "Priya Raman" in render(_named(), "regulator", "md", country="US").decode()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ask @tomb", "ask Database engineer"),
        ("ask @someone-else, then mail a.b@x.org.", f"ask {RESPONDER}, then mail {RESPONDER}."),
        (
            "run `npm i @scope/pkg` and `git@github.com:x/y`",
            "run `npm i @scope/pkg` and `git@github.com:x/y`",
        ),
        ("install @scope/pkg first", "install @scope/pkg first"),
        ("`Priya` in code is still a person", "`Incident commander` in code is still a person"),
        ("```\nuser@host: ok\n```", "```\nuser@host: ok\n```"),
        (
            "Tomorrow, Priyanka and Tombstones are not people here",
            "Tomorrow, Priyanka and Tombstones are not people here",
        ),
        ("The Payments team fixed it", "The Payments team fixed it"),  # a team is not a person
    ],
)
def test_hole3_replacement_spares_code_packages_and_other_words(text, expected):
    assert replacer_for(_named())(text) == expected


def test_hole3_replacement_leaves_the_contacts_table_and_ids_for_the_audience_rules():
    doc = _named()
    scrubbed = without_names_in_text(doc)
    assert scrubbed.contacts == doc.contacts and [e.id for e in scrubbed.timeline] == [
        e.id for e in doc.timeline
    ]
    assert scrubbed.header.incident_id == doc.header.incident_id


def test_hole3_search_never_returns_a_name_to_a_role_that_may_not_see_names(db_path, monkeypatch, capsys):
    db = storage.connect(db_path, actor=storage.LOCAL)
    admin = users.sign_in(db=db, identity="admin@example.com")
    users.sign_in(db=db, identity="vic@example.com")
    storage.create(db=bind(db, admin), doc=_named())
    db.close()
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    assert main(["--db", str(db_path), "--as", "vic@example.com", "search", '"Priya Raman"']) == 0
    assert "No post-mortem matches" in capsys.readouterr().out
    assert main(["--db", str(db_path), "--as", "vic@example.com", "search", "restarted pool", "--json"]) == 0
    out = capsys.readouterr().out
    assert "Database engineer" in out and not [name for name in LEAKS if name in out]


def test_hole3_a_first_name_that_is_also_a_word_is_replaced_only_as_a_name():
    doc = build_postmortem(contacts=[Contact(name="Will Mark", role="Release manager")])
    replace = replacer_for(doc)
    assert (
        replace("Will paged Mark; we will retry, then mark it done")
        == "Release manager paged Release manager; we will retry, then mark it done"
    )
    assert replace("WILL MARK approved") == "Release manager approved"  # the full name, in any case


def test_hole3_a_role_longer_than_the_name_never_breaks_an_export():
    long_role = "Incident commander for the payments platform on the evening shift"
    doc = build_postmortem(contacts=[Contact(name="Jo Park", role=long_role)])
    doc = doc.model_copy(update={"header": doc.header.model_copy(update={"title": "Jo Park " + "x" * 190})})
    markdown = render(doc, "engineering", "md", country="US").decode()
    assert long_role in markdown and "Jo Park" not in markdown
