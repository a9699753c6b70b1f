"""The command line under sign-in: the local admin without it, `--as IDENTITY` with it, and a role's
refusal as one error line with exit code 2 and nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import main

import storage
from storage import audit, users
from storage.access import bind
from tests.conftest import build_postmortem


@pytest.fixture
def hosted(tmp_path: Path, monkeypatch) -> Path:
    """A database with an admin, a reviewer, a viewer and one post-mortem, in proxy mode."""
    path = tmp_path / "debrief.db"
    db = storage.connect(path, actor=storage.LOCAL)
    admin = users.sign_in(db=db, identity="admin@example.com")
    for identity in ("rex@example.com", "vic@example.com"):
        users.sign_in(db=db, identity=identity)
    bind(db, admin)
    users.set_role(db=db, identity="rex@example.com", role="reviewer")
    storage.create(db=db, doc=build_postmortem())
    db.close()
    monkeypatch.setenv("DEBRIEF_AUTH", "proxy")
    return path


def run(capsys, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    code = main(list(args), stdin=stdin)
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path) -> tuple:
    db = storage.connect(path, actor=storage.LOCAL)
    return tuple(list(db.query(f"select * from {t}")) for t in ("documents", "revisions", "audit"))


def test_without_sign_in_the_cli_is_the_local_admin(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DEBRIEF_AUTH", raising=False)
    code, out, _ = run(capsys, "new", "--title", "Queue backlog", "--db", str(tmp_path / "a.db"))
    assert code == 0 and "Created #1" in out


@pytest.mark.parametrize(
    "args",
    [
        ["new", "--title", "Another one"],
        ["delete", "1"],
        ["import", "-"],
        ["demo"],
    ],
)
def test_a_viewers_write_is_one_error_line_and_exit_2(hosted, capsys, args):
    stdin = build_postmortem("INC-2026-0042").model_dump_json().encode() if args == ["import", "-"] else None
    before = rows(hosted)
    code, _, err = run(capsys, *args, "--db", str(hosted), "--as", "vic@example.com", stdin=stdin)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: vic@example.com (viewer) may not ")
    assert rows(hosted) == before


def test_sign_in_on_needs_as(hosted, capsys):
    code, _, err = run(capsys, "list", "--db", str(hosted))
    assert code == 2 and "--as IDENTITY" in err


def test_an_unknown_identity_is_refused(hosted, capsys):
    code, _, err = run(capsys, "list", "--db", str(hosted), "--as", "nobody@example.com")
    assert code == 2 and "No user 'nobody@example.com'" in err


def test_a_viewer_reads_but_gets_no_names_and_no_regulator_export(hosted, capsys, tmp_path):
    code, out, _ = run(capsys, "show", "1", "--json", "--db", str(hosted), "--as", "vic@example.com")
    assert code == 0 and '"contacts": []' in out and "Dana Example" not in out
    code, _, err = run(
        capsys,
        "export",
        "1",
        "--audience",
        "regulator",
        "-o",
        str(tmp_path / "r.md"),
        "--db",
        str(hosted),
        "--as",
        "vic@example.com",
    )
    assert code == 2 and "may not see the names" in err and not (tmp_path / "r.md").exists()


def test_a_reviewers_regulator_export_is_audited(hosted, capsys, tmp_path):
    code, _, _ = run(
        capsys,
        "--as",
        "rex@example.com",
        "export",
        "1",
        "--audience",
        "regulator",
        "--format",
        "md",
        "-o",
        str(tmp_path / "r.md"),
        "--db",
        str(hosted),
    )
    assert code == 0 and "Dana Example" in (tmp_path / "r.md").read_text()
    db = bind(
        storage.connect(hosted, actor=storage.LOCAL),
        users.actor_for(db=storage.connect(hosted, actor=storage.LOCAL), identity="admin@example.com"),
    )
    assert [(e.by, e.detail) for e in audit.whole_trail(db=db, action="export")] == [
        ("rex@example.com", "regulator · md")
    ]
