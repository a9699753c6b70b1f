"""`python -m postmortem lint`: exit codes, text and JSON output, names, stored documents."""

from __future__ import annotations

import json

import pytest
from cli_helpers import main

import storage
from postmortem.demo import demo_documents


@pytest.fixture
def text_file(tmp_path):
    def write(text: str):
        path = tmp_path / "narrative.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_blocking_findings_exit_1_with_why_and_rewrite(capsys, text_file):
    code = main(
        ["lint", "--text", text_file("Priya should have noticed the alert."), "--names", "Priya Raman,Tom B"]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "text:0-5: Names in the narrative" in out and "text:6-25: Should have" in out
    assert "try: " in out and out.strip().endswith("2 finding(s), 2 blocking.")


def test_clean_text_exits_0(capsys, text_file):
    assert main(["lint", "--text", text_file("The job failed to release connections."), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_json_lists_each_finding(capsys, text_file):
    assert main(["lint", "--text", text_file("Human error broke it."), "--json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)
    assert finding | {"why": "", "rewrite": ""} == {
        "path": "text",
        "start": 0,
        "end": 11,
        "text": "Human error",
        "rule": "human-error",
        "category": "human_error",
        "why": "",
        "rewrite": "",
        "blocking": True,
        "key": "",
    }


def test_suggestions_alone_exit_0(capsys, text_file):
    """An uncertain finding ("obviously") is a suggestion: listed, but it does not fail the command."""
    assert main(["lint", "--text", text_file("Obviously it broke.")]) == 0
    out = capsys.readouterr().out
    assert "(obviously, suggestion)" in out and out.strip().endswith("1 finding(s), 0 blocking.")


@pytest.mark.parametrize(
    "argv", [["lint"], ["lint", "INC-1", "--text", "x.txt"], ["lint", "--text", "/no/such/file"]]
)
def test_bad_input_exits_2(capsys, argv):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_a_stored_document_is_checked_with_its_contacts_and_dismissals(capsys, tmp_path):
    db_path = tmp_path / "lint.db"
    doc = demo_documents()[0]
    doc = doc.model_copy(update={"summary": doc.summary + " Priya should have noticed the alert."})
    storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc)
    assert main(["--db", str(db_path), "lint", doc.header.incident_id]) == 1
    assert "summary:" in capsys.readouterr().out
    assert main(["--db", str(db_path), "lint", "INC-0000-0000"]) == 2


def test_the_demo_documents_lint_clean(capsys, tmp_path):
    db_path = tmp_path / "demo.db"
    for doc in demo_documents():
        storage.create(db=storage.connect(db_path, actor=storage.LOCAL), doc=doc)
        assert main(["--db", str(db_path), "lint", doc.header.incident_id]) == 0
