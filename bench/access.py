"""What roles cost: the archive list for a viewer (visible_sql hides restricted documents) against the
same list for an admin (no condition), and a save by a signed-in author (role, owner and names
checked, audit row) against the local user's save, in the same run on the same corpus copy."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import storage
from bench import fixtures
from bench.corpus import corpus_db, scale
from bench.report import Figure, median, ratio
from storage import users
from storage.access import LOCAL, bind

RESTRICTED_EVERY = 50  # 2 % of the archive restricted
LIST_RATIO_MAX = 1.5
SAVE_EXTRA_MS_MAX = 2.0


def _timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _prepare(path: Path) -> tuple[storage.Database, storage.Database, storage.Database]:
    """(admin, viewer, author) connections; the admin restricts every 50th document."""
    admin = storage.connect(path, actor=storage.LOCAL)
    bind(admin, users.sign_in(db=admin, identity="admin@example.com", admins=("admin@example.com",)))
    for doc_id in range(1, admin["documents"].count + 1, RESTRICTED_EVERY):
        users.set_restricted(db=admin, doc_id=doc_id, restricted=True)
    viewer = storage.connect(path, actor=storage.LOCAL)
    bind(viewer, users.sign_in(db=viewer, identity="vic@example.com"))
    author = storage.connect(path, actor=storage.LOCAL)
    users.sign_in(db=author, identity="ann@example.com")
    users.set_role(db=admin, identity="ann@example.com", role="author")
    bind(author, users.actor_for(db=author, identity="ann@example.com"))
    return admin, viewer, author


def _saves(db: storage.Database, doc_id: int, repeat: int) -> list[float]:
    stored, samples = storage.get(db=db, doc_id=doc_id), []
    doc, version = stored.doc, stored.version
    for _ in range(repeat):
        start = time.perf_counter()
        version = storage.save(db=db, doc_id=doc_id, doc=doc, expected_version=version).version
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(repeat: int = 15, saves: int = 40, **_: object) -> list[Figure]:
    docs = max(200, int(20_000 * scale()))
    with tempfile.TemporaryDirectory(prefix="debrief-bench-access-") as tmp:
        path = Path(tmp) / "corpus.db"
        shutil.copy(corpus_db(docs=docs), path)  # restricting documents must not touch the shared cache
        admin, viewer, author = _prepare(path)
        as_admin = median(_timed(lambda: storage.list_documents(db=admin), repeat))
        as_viewer = median(_timed(lambda: storage.list_documents(db=viewer), repeat))
        local = storage.connect(path, actor=LOCAL)
        own = storage.create(db=author, doc=fixtures.large_postmortem("BENCH-AUTHOR")).id
        other = storage.create(db=local, doc=fixtures.large_postmortem("BENCH-LOCAL")).id
        signed_in, unchecked = median(_saves(author, own, saves)), median(_saves(local, other, saves))
        for db in (admin, viewer, author, local):
            db.close()
    list_ratio = ratio(as_viewer, as_admin)
    return [
        Figure(
            "access:list as viewer",
            as_viewer,
            "ms",
            as_admin,
            list_ratio,
            f"<= {LIST_RATIO_MAX:g}x admin",
            list_ratio is not None and list_ratio <= LIST_RATIO_MAX,
            note=f"{docs:,} post-mortems, every {RESTRICTED_EVERY}th restricted; baseline: the admin's list",
        ),
        Figure(
            "access:save as author",
            signed_in,
            "ms",
            unchecked,
            ratio(signed_in, unchecked),
            f"<= local + {SAVE_EXTRA_MS_MAX:g} ms",
            signed_in <= unchecked + SAVE_EXTRA_MS_MAX,
            note="large document; baseline: the same save by the unchecked local user",
        ),
    ]
