"""The Learning dashboard on the bench corpus (bench/corpus.py: 20,000 post-mortems, 100,000 action items).

Figures:
- `learning:rerun`: median AppTest rerun of the page (the figures come from the cache: nothing changed).
- `learning:first render`: median rerun with the cache emptied first, as after any save: one query over
  the projected columns, the figures, the nine charts.
- `learning:naive, parse every body`: the same figures computed the way the page would without the
  m008 columns: read and validate every body, derive its facts, look up its audit trail. Measured on
  a random subsample (300 documents) and extrapolated to the documents in range; the baseline of
  the two figures above. The subsample's figures must equal the fast path's (a correctness check).
- `learning:load` / `learning:compute` / `learning:charts`: where the first render's time goes (median of
  three, in a warm process: the first visit to a server also imports the holiday calendars and builds
  the chart shapes once).
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

import storage
from bench.corpus import corpus_db
from bench.report import Figure, median, ratio
from bench.steps import APP, app_settings, modern_pages_only, point_app_at, quiet_streamlit
from components import learning, learning_charts
from postmortem import metrics
from postmortem.learning_facts import facts_from_doc
from postmortem.models import PostMortem
from storage import metrics as stored_metrics

PAGE = "pages/22_learning.py"
TARGET_MS = 1000.0
TARGET = f"<= {TARGET_MS:g} ms"
CHARTS = 9


def _chart_count(at: AppTest) -> int:
    count, stack = 0, list(at.main.children.values())
    while stack:
        element = stack.pop()
        count += getattr(element, "type", None) == "vega_lite_chart"
        stack += list(getattr(element, "children", {}).values())
    return count


def _problems(at: AppTest, expected_count: int) -> list[str]:
    found = [f"exception: {e.message}" for e in at.exception]
    if _chart_count(at) != CHARTS:
        found.append(f"{_chart_count(at)} charts drawn, not {CHARTS}")
    shown = next((m.value for m in at.metric if m.label == "Post-mortems"), None)
    if shown != f"{expected_count:,}":
        found.append(f"the page counts {shown} post-mortems, the fast path {expected_count:,}")
    return found


def _timed_runs(at: AppTest, runs: int, cold: bool) -> list[float]:
    samples = []
    for _ in range(runs):
        if cold:
            learning._figures.clear()
        start = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _naive_facts(db, doc_id: int) -> metrics.DocFacts:
    """One document's facts the slow way: its whole body validated, its trail read."""
    body, created_at = db.execute("select body, created_at from documents where id = ?", [doc_id]).fetchone()
    doc = PostMortem.model_validate_json(body)
    facts = facts_from_doc(doc)
    trail = db.execute(
        "select min(at) from audit where doc_id = ? and action = 'status' and to_status = 'published'",
        [doc_id],
    ).fetchone()[0]
    h = doc.header
    row = (
        doc_id,
        h.severity.value,
        h.status.value,
        h.trigger.value,
        h.novel_failure_class,
        facts["incident_at"] or created_at,
        facts["incident_closed_at"],
        trail,
        facts["signed_off_at"],
        facts["allspaw_fair"],
        facts["went_well_count"],
        facts["detect_min"],
        facts["mitigate_min"],
        facts["resolve_min"],
        h.failure_class,
        json.dumps(h.services),
        facts["items_total"],
        facts["items_cancelled"],
        facts["items_done_undated"],
        facts["items_done_30d"],
        facts["items_done_90d"],
    )
    return stored_metrics.to_facts(row)


def _naive(db, fast: list[metrics.DocFacts], quarters, today, sample: int) -> tuple[float, float, str]:
    """(extrapolated ms, ms per document, problems) of parsing every body in range."""
    rng = random.Random(20261125)
    picked = rng.sample(fast, min(sample, len(fast)))
    start = time.perf_counter()
    slow = [_naive_facts(db, f.id) for f in picked]
    per_doc = (time.perf_counter() - start) * 1000 / max(1, len(picked))
    start = time.perf_counter()
    metrics.dashboard(fast, quarters, today, country="US")
    compute = (time.perf_counter() - start) * 1000
    same = slow == picked and metrics.dashboard(slow, quarters, today, country="US") == metrics.dashboard(
        picked, quarters, today, country="US"
    )
    return (
        per_doc * len(fast) + compute,
        per_doc,
        "" if same else "the naive figures differ from the fast ones",
    )


def _stages(db, quarters, today) -> tuple[float, float, float, list[metrics.DocFacts]]:
    start = time.perf_counter()
    facts = stored_metrics.learning_facts(db=db, since=metrics.lookback_start(quarters))
    loaded = time.perf_counter()
    d = metrics.dashboard(facts, quarters, today, country="US")
    computed = time.perf_counter()
    learning_charts.specs(d)
    charted = time.perf_counter()
    return (loaded - start) * 1000, (computed - loaded) * 1000, (charted - computed) * 1000, facts


def run(reruns: int = 15, warmups: int = 2, naive_docs: int = 300, **_: object) -> list[Figure]:
    quiet_streamlit()
    modern_pages_only()
    with app_settings():
        path = corpus_db()
        db = storage.connect(path, actor=storage.LOCAL)
        total = db.execute("select count(*) from documents where deleted_at is null").fetchone()[0]
        today = datetime.now(UTC).date()
        quarters = metrics.last_quarters(today, 4)
        *_, facts = _stages(db, quarters, today)  # also loads what a server loads on its first visit
        in_range = metrics.dashboard(facts, quarters, today, country="US").count
        print(
            f"  corpus {path.name}: {total:,} post-mortems, {in_range:,} in {quarters[0]}–{quarters[-1]}, "
            f"{len(facts):,} read with the 90-day look-back",
            flush=True,
        )

        point_app_at(str(path))
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.switch_page(PAGE).run()
        _timed_runs(at, warmups, cold=False)
        cold = _timed_runs(at, max(3, reruns // 3), cold=True)
        warm = _timed_runs(at, reruns, cold=False)
        problems = _problems(at, in_range)

        stages = [_stages(db, quarters, today)[:3] for _ in range(3)]
        load, compute, charts = (median([stage[n] for stage in stages]) for n in range(3))
        naive, per_doc, naive_problem = _naive(db, facts, quarters, today, naive_docs)
        problems += [naive_problem] if naive_problem else []
        note = "; ".join(problems)
        sample = min(naive_docs, len(facts))
        print(
            f"  rerun {median(warm):.0f} ms · first render {median(cold):.0f} ms · naive {naive:,.0f} ms "
            f"({per_doc:.2f} ms a body × {len(facts):,}, from {sample})",
            flush=True,
        )
        label = f"learning:naive, parse every body (extrapolated from {sample})"
        return [
            Figure(
                "learning:rerun",
                median(warm),
                "ms",
                naive,
                ratio(median(warm), naive),
                TARGET,
                not problems and median(warm) <= TARGET_MS,
                note,
            ),
            Figure(
                "learning:first render",
                median(cold),
                "ms",
                naive,
                ratio(median(cold), naive),
                TARGET,
                not problems and median(cold) <= TARGET_MS,
            ),
            Figure(
                label,
                naive,
                "ms",
                target="baseline, reported only",
                ok=not naive_problem,
                note=f"{per_doc:.2f} ms per body × {len(facts):,} post-mortems read, plus the figures",
            ),
            Figure(
                "learning:load",
                load,
                "ms",
                target="reported only",
                note=f"{len(facts):,} rows of projected columns",
            ),
            Figure("learning:compute", compute, "ms", target="reported only"),
            Figure(
                "learning:charts",
                charts,
                "ms",
                target="reported only",
                note="nine Altair charts to Vega-Lite",
            ),
        ]
