"""`python -m postmortem actions`: filters, JSON, CSV flavours, one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from cli_helpers import main


@pytest.fixture
def cli(capsys, tmp_path):
    db = tmp_path / "debrief.db"

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", str(db)])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("demo")[0] == 0
    return run


def test_lists_every_item_with_a_count(cli):
    code, out, _ = cli("actions")
    assert code == 0
    assert out.splitlines()[0].split() == ["Incident", "ID", "Due", "Status", "Priority", "Owner", "Action"]
    assert out.rstrip().endswith("17 action items.")


def test_overdue_owner_and_status_filters(cli):
    _, out, _ = cli("actions", "--overdue", "--json")
    overdue = json.loads(out)
    assert overdue and all(i["status"] not in ("done", "cancelled") for i in overdue)
    assert all(i["due"] < "2026-11-25" for i in overdue)
    _, out, _ = cli("actions", "--owner", "Ravi Menon", "--json")
    assert {i["owner"] for i in json.loads(out)} == {"Ravi Menon"}
    _, out, _ = cli("actions", "--status", "DONE", "--json")
    assert {i["status"] for i in json.loads(out)} == {"done"}
    assert cli("actions", "--owner", "Nobody Here")[1].strip() == "No action items match."


@pytest.mark.parametrize("flavour, first", [(None, "Summary"), ("jira", "Summary"), ("linear", "Title")])
def test_csv_flavours(cli, flavour, first):
    code, out, _ = cli("actions", "--csv", *([flavour] if flavour else []), "--overdue")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][0] == first
    assert len(rows) == 1 + len(json.loads(cli("actions", "--overdue", "--json")[1]))
    assert any("Done when:" in cell for cell in rows[1])  # acceptance criteria come from the documents
    assert any("checkout-api" in ", ".join(row) for row in rows[1:])  # and the services, as labels


@pytest.mark.parametrize(
    "args, says", [(("--status", "finished"), "--status"), (("--csv", "asana"), "--csv")]
)
def test_bad_options_are_one_line(cli, args, says):
    code, out, err = cli("actions", *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and says in err and err.count("\n") == 1
