"""The action-item tracker on the benchmark corpus (20,000 post-mortems × 5 items = 100,000 items).

- `tracker:page rerun`: AppTest rerun of the Action items page (filter bar, counts, one page of 50
  rows) on the corpus; baseline: the same page on an empty database, rerun alternately with it.
- `tracker:overdue query`: the overdue filter's counts and first page (what one rerun asks storage
  for); baseline: the naive way, every document body read and filtered in Python. The
  naive time is measured on a subsample of bodies and extrapolated to the whole corpus (labelled so).
- `tracker:weekly review` and `tracker:needs attention`: the queries of those two views, report only.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

import storage
from bench import corpus
from bench.report import Figure, median, median_ms, ratio
from bench.steps import APP, modern_pages_only, point_app_at, quiet_streamlit
from storage import tracker

PAGE = "pages/21_tracker.py"
MAX_RERUN_MS = 500.0
MAX_QUERY_MS = 150.0
NAIVE_SAMPLE = 1000


def _open(db_path: Path) -> AppTest:
    point_app_at(str(db_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    return at


def _rerun(at: AppTest, db_path: Path) -> float:
    point_app_at(str(db_path))
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(f"the tracker page raised: {at.exception[0].message}")
    return elapsed


def _rerun_figure(db_path: Path, reruns: int, warmups: int) -> Figure:
    modern_pages_only()
    quiet_streamlit()
    with tempfile.TemporaryDirectory(prefix="debrief-bench-tracker-") as tmp:
        empty = Path(tmp) / "empty.db"
        storage.connect(empty, actor=storage.LOCAL).close()
        pages = {"corpus": (_open(db_path), db_path), "empty": (_open(empty), empty)}
        samples: dict[str, list[float]] = {"corpus": [], "empty": []}
        for n in range(warmups + reruns):
            for label, (at, path) in pages.items():  # alternate, so machine noise hits both alike
                elapsed = _rerun(at, path)
                if n >= warmups:
                    samples[label].append(elapsed)
        shown = [m.value for m in pages["corpus"][0].metric if m.label == "Shown"]
    value, base = median(samples["corpus"]), median(samples["empty"])
    return Figure(
        "tracker:page rerun",
        value,
        "ms",
        base,
        ratio(value, base),
        f"<= {MAX_RERUN_MS:g} ms",
        value <= MAX_RERUN_MS,
        note=f"{shown[0] if shown else '?'} items shown; baseline: the same page "
        f"on an empty database; {reruns} reruns",
    )


def _naive_overdue(db: storage.Database, doc_ids: list[int], today: str) -> list:
    """Read each body and filter its items in Python: what the tracker would do without projections."""
    found = []
    for doc_id in doc_ids:
        doc = storage.get(db=db, doc_id=doc_id).doc
        found += [
            item
            for item in doc.action_items
            if not item.status.is_closed and item.due is not None and item.due.isoformat() < today
        ]
    return sorted(found, key=lambda item: item.due)[: tracker.PAGE_SIZE]


def _query_figures(db_path: Path, repeats: int) -> list[Figure]:
    db = storage.connect(db_path, actor=storage.LOCAL)
    try:
        filters = tracker.Filters(today=datetime.now(UTC).date())
        overdue = replace(filters, overdue=True)

        def one_rerun() -> None:  # what the page asks storage for (owner and service lists are cached)
            total = tracker.counts(db=db, filters=overdue).total
            tracker.page(db=db, filters=overdue, total=total)

        value = median_ms(one_rerun, repeats)
        ids = storage.list_documents(db=db)
        all_ids = [row.id for row in ids]
        sample = all_ids[:NAIVE_SAMPLE]
        naive_sample = median_ms(lambda: _naive_overdue(db, sample, filters.today.isoformat()), 1)
        naive = naive_sample * len(all_ids) / max(len(sample), 1)
        weekly = median_ms(lambda: tracker.weekly_review(db=db, filters=filters), repeats)

        def attention() -> None:
            tracker.page(
                db=db, filters=replace(filters, open_longer_than_days=90), sort="longest open", limit=20
            )
            tracker.quiet_owners(db=db, filters=filters)
            tracker.repeated_items(db=db, filters=filters)

        needs = median_ms(attention, repeats)
    finally:
        db.close()
    return [
        Figure(
            "tracker:overdue query",
            value,
            "ms",
            naive,
            ratio(value, naive),
            f"<= {MAX_QUERY_MS:g} ms",
            value <= MAX_QUERY_MS,
            note=f"counts + first page, as one rerun of the page asks; baseline: naive, every body read "
            f"and filtered in Python, measured on {len(sample):,} of {len(all_ids):,} documents and "
            f"extrapolated ({naive_sample:,.0f} ms for the sample)",
        ),
        Figure("tracker:weekly review", weekly, "ms", target="report only"),
        Figure("tracker:needs attention", needs, "ms", target="report only"),
    ]


def run(reruns: int = 15, warmups: int = 2, **_: object) -> list[Figure]:
    db_path = corpus.corpus_db()
    return [_rerun_figure(db_path, reruns, warmups), *_query_figures(db_path, repeats=max(5, reruns // 3))]
