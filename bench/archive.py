"""Archive search on the benchmark corpus (20,000 post-mortems at scale 1): full-text search through
the FTS5 index against a naive `body LIKE '%word%'` scan over the stored bodies, and the archive
page's rerun time in AppTest with a query typed in.

Query words are drawn (seeded) from the corpus itself: titles, timeline text and factors of random
documents, so they range from rare to present in almost every document.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import storage
from bench.corpus import corpus_db
from bench.report import Figure, median, percentile, ratio
from bench.steps import APP, app_settings, modern_pages_only, point_app_at, quiet_streamlit
from storage import search

SEARCH_MS = 30.0
PAGE_MS = 300.0
SCRIPT = "pages/20_archive.py"
_WORD = re.compile(r"[a-z]{4,}")
_SKIP = {"with", "that", "after", "from", "near", "ticket", "their", "about", "minutes", "responders"}


def query_words(db: storage.Database, count: int, seed: int = 7) -> list[str]:
    """`count` distinct words from random documents' titles, timeline and factors."""
    rng = random.Random(seed)
    rows = db.execute("select title, timeline, factors from search_index order by rowid").fetchall()
    words: list[str] = []
    while len(words) < count and rows:
        text = " ".join(rng.choice(rows)).lower()
        candidates = [w for w in _WORD.findall(text) if w not in _SKIP and w not in words]
        if candidates:
            words.append(rng.choice(candidates))
    return words


def _naive(db: storage.Database, word: str) -> int:
    """What a search without an index does: scan every body for the word, newest first, one page."""
    pattern = f"%{word}%"
    db.execute(
        "select id, incident_id, title from documents where deleted_at is null and body like ? "
        "order by updated_at desc limit 20",
        [pattern],
    ).fetchall()
    return db.execute(
        "select count(*) from documents where deleted_at is null and body like ?", [pattern]
    ).fetchone()[0]


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure_search(
    db: storage.Database, words: list[str], rounds: int
) -> tuple[list[float], list[float], str]:
    queries = [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]
    fts, naive, counts = [], [], []
    for _ in range(rounds):
        for q in queries:  # interleaved, so machine noise hits both alike
            fts.append(
                _timed(lambda q=q: counts.append(search.search(db=db, query=search.Query(text=q)).total))
            )
            naive.append(_timed(lambda q=q: _naive(db, q.split()[0])))
    note = f"{len(queries)} queries x {rounds}: {', '.join(queries[:6])}…; matches per query {min(counts)}–{max(counts)}"
    return fts, naive, note


def measure_page(path: Path, word: str, reruns: int, warmups: int) -> tuple[list[float], list[str]]:
    modern_pages_only()
    point_app_at(str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(SCRIPT).run()
    at.text_input(key="archive:text").input(word).run()
    problems = [f"exception {e.message}" for e in at.exception]
    if not any("post-mortem" in c.value for c in at.caption):
        problems.append("no result count shown")
    samples = []
    for n in range(warmups + reruns):
        elapsed = _timed(at.run)
        if n >= warmups:
            samples.append(elapsed)
    return samples, problems


def run(rounds: int = 5, words: int = 8, reruns: int = 15, warmups: int = 2, **_: object) -> list[Figure]:
    quiet_streamlit()
    with app_settings():
        path = corpus_db()
        db = storage.connect(path, actor=storage.LOCAL)
        search.refresh(db)  # index the corpus's text once (saves only queue it), before anything is timed
        total = db.execute("select count(*) from documents").fetchone()[0]
        chosen = query_words(db, words)
        fts, naive, note = measure_search(db, chosen, rounds)
        db.close()
        page, problems = measure_page(path, chosen[0], reruns, warmups)
    p95, base95 = percentile(fts, 95), percentile(naive, 95)
    med, base = median(fts), median(naive)
    page_med = median(page)
    print(
        f"  archive: {total} documents; search p95 {p95:.1f} ms (naive {base95:.1f}); page {page_med:.0f} ms",
        flush=True,
    )
    return [
        Figure(
            "archive:search p95",
            p95,
            "ms",
            base95,
            ratio(p95, base95),
            f"<= {SEARCH_MS:g} ms",
            p95 <= SEARCH_MS,
            note=f"{total} documents; {note}",
        ),
        Figure("archive:search median", med, "ms", base, ratio(med, base), "report only", True),
        Figure(
            "archive:page rerun",
            page_med,
            "ms",
            None,
            None,
            f"<= {PAGE_MS:g} ms",
            page_med <= PAGE_MS and not problems,
            note=f"{total} documents, query {chosen[0]!r}; p95 {percentile(page, 95):.0f} ms"
            + ("; " + "; ".join(problems) if problems else ""),
        ),
    ]
