"""A writer killed with SIGKILL mid-save leaves a consistent database: every save is all or nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import storage
from postmortem.models import PostMortem

REPO = Path(__file__).resolve().parents[1]

# Saves two growing documents in turn, as fast as it can, until killed.
WRITER = textwrap.dedent("""
    import sys
    import storage
    from postmortem.models import ActionItem, Note, new_postmortem

    db = storage.connect(sys.argv[1], actor=storage.LOCAL)
    current = {}
    for incident_id in ("INC-CRASH-1", "INC-CRASH-2"):
        try:
            current[incident_id] = storage.find(db=db, key=incident_id)
        except storage.NotFoundError:
            blank = new_postmortem(incident_id, "Crash " + incident_id)
            current[incident_id] = storage.create(db=db, doc=blank)
    print("ready", flush=True)
    n = 0
    while True:
        for incident_id, stored in current.items():
            n += 1
            doc = stored.doc
            notes = [*doc.went_well, Note(text=f"note {n} " + "é🙂x" * 300)][-60:]
            items = list(doc.action_items)
            if n % 3 == 0:
                items.append(ActionItem(title=f"item {n}", owner="sre"))
            if n % 7 == 0 and items:
                items.pop(0)
            doc = doc.model_copy(update={"went_well": notes, "action_items": items[-20:],
                                         "summary": f"Save {n}."})
            current[incident_id] = storage.save(db=db, doc_id=stored.id, doc=doc,
                                                expected_version=stored.version)
""")


def _check_consistent(db_path: Path) -> dict[str, int]:
    """Integrity, and for each document: current row == newest revision, valid, projections in step."""
    db = storage.connect(db_path, actor=storage.LOCAL)
    try:
        assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert db.execute("pragma foreign_key_check").fetchall() == []
        versions = {}
        for row in db.query("select id, incident_id, version, body, title from documents"):
            revs = db.execute(
                "select version, body from revisions where doc_id = ? order by version", [row["id"]]
            ).fetchall()
            assert [v for v, _ in revs] == list(range(1, row["version"] + 1))
            assert revs[-1][1] == row["body"]
            doc = PostMortem.model_validate_json(row["body"])
            assert doc.header.title == row["title"]
            tracker = db.execute(
                "select item_id from action_items where doc_id = ? order by position", [row["id"]]
            ).fetchall()
            assert [item_id for (item_id,) in tracker] == [item.id for item in doc.action_items]
            versions[row["incident_id"]] = row["version"]
        return versions
    finally:
        db.close()


@pytest.mark.parametrize("seed", [20260304])
def test_sigkill_mid_save_leaves_the_database_consistent(tmp_path, seed):
    rng = random.Random(seed)
    db_path = tmp_path / "crash.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen: list[dict[str, int]] = []
    for round_ in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ready = writer.stdout.readline()
            assert ready.strip() == "ready", writer.stderr.read()
            time.sleep(rng.uniform(0.05, 0.6))
            assert writer.poll() is None, f"writer died on its own: {writer.stderr.read()}"
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
            writer.stdout.close()
            writer.stderr.close()
        assert writer.returncode == -signal.SIGKILL
        versions = _check_consistent(db_path)
        assert set(versions) == {"INC-CRASH-1", "INC-CRASH-2"}, f"round {round_}"
        seen.append(versions)
    # Every round really wrote: versions only grow, and grew in total.
    for before, after in zip(seen, seen[1:], strict=False):
        assert all(after[k] >= before[k] for k in before)
    assert sum(seen[-1].values()) > 2, "the writer never got a save in"
