"""Home at scale: its rerun with the benchmark corpus (20,000 post-mortems at scale 1) against the same
page over three post-mortems, timed alternately in one run; once unfiltered, once with the overdue filter.

Home lists one page of 25 rows, filtered and counted in SQL (storage.doclist), so the two should cost
about the same; before that it listed every document on every rerun (456 ms against 21 ms).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import storage
from bench.corpus import corpus_db
from bench.report import Figure, median, percentile, ratio
from bench.steps import APP, app_settings, modern_pages_only, point_app_at, quiet_streamlit
from postmortem.models import new_postmortem

MAX_MS = 100.0
TARGET = f"<= {MAX_MS:g} ms median"


def _small_db(folder: Path) -> str:
    path = folder / "three.db"
    db = storage.connect(path, actor=storage.LOCAL)
    for n in range(3):
        storage.create(db=db, doc=new_postmortem(f"INC-2026-{n + 1:04d}", f"Small archive {n + 1}"))
    db.close()
    return str(path)


def _home(db_path: str, overdue: bool) -> AppTest:
    modern_pages_only()
    point_app_at(db_path)
    at = AppTest.from_file(APP, default_timeout=120).run()
    if overdue:
        at.toggle(key="overdue").set_value(True).run()
    return at


def _problems(label: str, at: AppTest) -> list[str]:
    found = [f"{label}: exception {e.message}" for e in at.exception]
    if not any("post-mortem" in c.value for c in at.caption):
        found.append(f"{label}: no count of post-mortems shown")
    return found


def _measure(paths: dict[str, str], overdue: bool, reruns: int, warmups: int) -> Figure:
    apps = {label: _home(path, overdue) for label, path in paths.items()}
    samples: dict[str, list[float]] = {label: [] for label in paths}
    for n in range(warmups + reruns):
        for label, at in apps.items():
            point_app_at(paths[label])
            start = time.perf_counter()
            at.run()
            if n >= warmups:
                samples[label].append((time.perf_counter() - start) * 1000)
    problems = [p for label, at in apps.items() for p in _problems(label, at)]
    large, small = median(samples["large"]), median(samples["three"])
    name = "home:20000-overdue" if overdue else "home:20000"
    print(
        f"  {name:<20} large {large:6.1f} ms (p95 {percentile(samples['large'], 95):6.1f})  "
        f"three {small:6.1f} ms  {ratio(large, small):5.2f}x",
        flush=True,
    )
    return Figure(
        name,
        large,
        "ms",
        small,
        ratio(large, small),
        TARGET,
        not problems and large <= MAX_MS,
        "; ".join(problems),
    )


def run(reruns: int = 15, warmups: int = 2, **_: object) -> list[Figure]:
    quiet_streamlit()
    with app_settings(), tempfile.TemporaryDirectory(prefix="debrief-bench-home-") as tmp:
        paths = {"large": str(corpus_db()), "three": _small_db(Path(tmp))}
        return [_measure(paths, overdue, reruns, warmups) for overdue in (False, True)]
