"""`python -m postmortem import-md`: the mapping printed, what was created, --dry-run, --json, --tz,
--incident-id, and one-line errors that leave the database alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_helpers import main

import storage
from postmortem.models import new_postmortem

DATA = Path(__file__).parent / "data" / "markdown"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(capsys, db_path):
    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", str(db_path)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _docs(db_path) -> list[storage.Listed]:
    return storage.list_documents(db=storage.connect(db_path, actor=storage.LOCAL))


def test_prints_the_mapping_and_creates_the_draft(cli, db_path):
    code, out, err = cli("import-md", str(DATA / "sre_book.md"))
    assert code == 0 and err == ""
    assert "## Action Items" in out and "Action items" in out and "100%" in out
    assert "6 timeline events, 3 action items" in out
    year = datetime.now(UTC).year
    assert f"Created #1 INC-{year}-0001: Catalogue Search Outage Postmortem (incident #311)" in out
    doc = storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=1).doc
    assert len(doc.timeline) == 6 and len(doc.action_items) == 3


def test_dry_run_stores_nothing(cli, db_path):
    code, out, _ = cli("import-md", str(DATA / "wiki_terse.md"), "--dry-run")
    assert code == 0 and "Dry run: nothing was stored." in out
    assert _docs(db_path) == []


def test_json_output(cli):
    code, out, _ = cli("import-md", str(DATA / "github_repo.md"), "--json")
    data = json.loads(out)
    assert code == 0 and data["created"]["incident_id"] == "INC-2025-0042"  # the ID written in the file
    assert data["counts"]["action items"] == 3
    assert [m["target"] for m in data["mapping"]] == [
        "summary",
        "impact",
        "action_items",
        "timeline",
        "factors",
    ]
    # "owner: Ravi Patel" went to the owner column, so no name is left in the text to flag
    assert not any(f["category"] == "names" for f in data["findings"])
    assert isinstance(data["times"], list)


def test_the_chosen_zone_and_id(cli, db_path):
    text = "# Night deploy\n\n## Timeline\n\n### 2025-07-01\n- 10:00 Alert\n"
    path = db_path.parent / "night.md"
    path.write_text(text)
    code, out, _ = cli("import-md", str(path), "--tz", "Europe/Paris", "--incident-id", "OPS-7")
    assert code == 0 and "Created #1 OPS-7: Night deploy" in out
    assert (
        storage.get(db=storage.connect(db_path, actor=storage.LOCAL), doc_id=1).doc.timeline[0].at.hour == 8
    )


def test_a_duplicate_is_one_error_line_and_changes_nothing(cli, db_path):
    storage.create(
        db=storage.connect(db_path, actor=storage.LOCAL), doc=new_postmortem("INC-2025-0042", "Already here")
    )
    code, out, err = cli("import-md", str(DATA / "github_repo.md"))
    assert code == 2 and out == ""
    assert (
        err == "error: A post-mortem with incident ID INC-2025-0042 already exists. Use --incident-id to "
        "import it under another ID.\n"
    )
    assert [d.title for d in _docs(db_path)] == ["Already here"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_bytes(b"\xff\xfe bad"), "is not UTF-8 text"),
        (lambda p: p.write_bytes(b"x" * (2 * 1024 * 1024 + 1)), "is larger than 2 MB"),
        (lambda p: None, "cannot read"),
    ],
)
def test_unreadable_files(cli, db_path, setup, message):
    path = db_path.parent / "in.md"
    setup(path)
    code, out, err = cli("import-md", str(path))
    assert code == 2 and out == "" and message in err and err.count("\n") == 1 and err.startswith("error: ")
    assert not db_path.exists() or _docs(db_path) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tz", "Mars/Olympus"), "is not a time zone"),
        (("--incident-id", "no spaces"), "cannot be an incident ID"),
    ],
)
def test_bad_options(cli, db_path, args, message):
    code, _, err = cli("import-md", str(DATA / "wiki_terse.md"), *args)
    assert code == 2 and message in err
    assert not db_path.exists() or _docs(db_path) == []


def test_reads_standard_input_in_a_child_process(tmp_path):
    env = {**os.environ, "DEBRIEF_DB": str(tmp_path / "d.db"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "postmortem", "import-md", "-", "--json"],
        cwd=REPO,
        env=env,
        input=(DATA / "multi_day.md").read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["timeline events"] == 7


def test_header_times_are_listed_with_the_sentence(cli):
    code, out, _ = cli("import-md", str(DATA / "real" / "chia_2021_10_31_duststorm.md"), "--dry-run")
    assert code == 0
    assert (
        'Time: Customer impact ended 2021-11-01T09:45:00+00:00 (from: "On Nov 1, 2021 at approximately 09:45 am UTC'
        in out
    )
