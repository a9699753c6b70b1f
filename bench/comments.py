"""What comment threads cost a page: the panel's read of one step's threads and the sidebar's open
counts, on a large post-mortem with many threads, against loading the document itself (what every
step does anyway), and a comment search as a viewer against the same search as an admin."""

from __future__ import annotations

import tempfile
from pathlib import Path

import storage
from bench import fixtures
from bench.report import Figure, median_ms, ratio
from postmortem.comments import Target, TargetKind
from storage import comments, users
from storage.access import bind

THREADS, REPLIES, DOCS = 300, 3, 50
STEPS = ("summary", "timeline", "actions", "factors", "root-cause")
# Budgets in milliseconds: a step's rerun takes tens of ms, so the panel and the sidebar counts stay a
# small share of it. storage.get is the baseline printed beside them (it serves a cached parse).
PANEL_MS_MAX, COUNTS_MS_MAX = 10.0, 1.0


def _seed(path: Path) -> tuple[storage.Database, storage.Database, int]:
    admin = storage.connect(path, actor=storage.LOCAL)
    bind(admin, users.sign_in(db=admin, identity="admin@example.com", admins=("admin@example.com",)))
    viewer = storage.connect(path, actor=storage.LOCAL)
    bind(viewer, users.sign_in(db=viewer, identity="vic@example.com"))
    doc_ids = [storage.create(db=admin, doc=fixtures.large_postmortem(f"BENCH-C{n}")).id for n in range(DOCS)]
    for n in range(THREADS * DOCS // 10):
        step, doc_id = STEPS[n % len(STEPS)], doc_ids[n % DOCS]
        thread = comments.start(
            db=admin,
            doc_id=doc_id,
            step=step,
            body=f"Question {n}: where is this from?",
            target=Target(TargetKind.SECTION, step, "The whole step"),
        )
        for r in range(REPLIES):
            comments.reply(db=admin, thread_id=thread, body=f"Answer {r} to question {n}")
    big = doc_ids[0]
    for n in range(THREADS):  # the measured document: THREADS more on it alone
        comments.start(
            db=admin,
            doc_id=big,
            step=STEPS[n % len(STEPS)],
            body=f"Extra question {n}",
            target=Target(TargetKind.SECTION, STEPS[n % len(STEPS)], "The whole step"),
        )
    return admin, viewer, big


def run(repeat: int = 15, **_: object) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="debrief-bench-comments-") as tmp:
        admin, viewer, big = _seed(Path(tmp) / "comments.db")
        on_big = admin.execute("select count(*) from comment_threads where doc_id = ?", [big]).fetchone()[0]
        load = median_ms(lambda: storage.get(db=viewer, doc_id=big), repeat)
        panel = median_ms(lambda: comments.threads(db=viewer, doc_id=big, step="summary"), repeat)
        counts = median_ms(lambda: comments.open_counts(db=viewer, doc_id=big), repeat)
        as_viewer = median_ms(lambda: comments.search(db=viewer, query="question 42"), repeat)
        as_admin = median_ms(lambda: comments.search(db=admin, query="question 42"), repeat)
        total = admin.execute("select count(*) from comments").fetchone()[0]
    return [
        Figure(
            "comments:step panel",
            panel,
            "ms",
            load,
            ratio(panel, load),
            f"<= {PANEL_MS_MAX:g} ms",
            panel <= PANEL_MS_MAX,
            note=f"{on_big} threads on one large post-mortem, one step's share; baseline: storage.get of it",
        ),
        Figure(
            "comments:sidebar counts",
            counts,
            "ms",
            load,
            ratio(counts, load),
            f"<= {COUNTS_MS_MAX:g} ms",
            counts <= COUNTS_MS_MAX,
            note="open threads per step; baseline: storage.get",
        ),
        Figure(
            "comments:search as viewer",
            as_viewer,
            "ms",
            as_admin,
            ratio(as_viewer, as_admin),
            "<= 1.5x admin",
            (ratio(as_viewer, as_admin) or 0) <= 1.5,
            note=f"{total:,} comments; baseline: the admin's search",
        ),
    ]
