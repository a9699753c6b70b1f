"""Many authors at once: 30 simulated authors, each editing its own post-mortem, against one database.

Each author is an AppTest session (the same script runs, session state and element tree a browser
session gets from a real server) on the Summary step, in its own thread. It types a new summary,
reruns (the rerun saves it: a real autosave with a version check), thinks, and repeats. The same
author alone, in the same run, is the baseline. Afterwards every document must hold its author's
last text, at exactly one version per edit, and validate.

Figures: p50 and p95 of a rerun (with the save) under load against alone, the process memory each
open session adds, lost or corrupted saves (target 0), and a capacity estimate for a 2-core machine
(derivation in bench/README.md).
"""

from __future__ import annotations

import gc
import os
import random
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import storage
from bench.report import Figure, percentile, ratio
from bench.steps import DB_ENV, open_page, quiet_streamlit
from components.session import widget_key
from postmortem.models import new_postmortem

FULL_AUTHORS = 30
MAX_P95_RATIO = 2.0
SCRIPT, TITLE = "pages/02_summary.py", "Summary"
# Seconds between one author's saves. Autosave fires when a field is left, so a busy author saves
# every few seconds at most; 1 s is a deliberately heavy load.
THINK_S = float(os.environ.get("DEBRIEF_LOAD_THINK_S", "1.0"))
HEADROOM = 0.5  # plan to use half the CPU: latency stays flat well below saturation
SAVE_EVERY_S = 10.0  # an author actively writing: one autosave (a rerun) per 10 s


@dataclass
class Author:
    n: int
    doc_id: int
    at: object = None
    samples: list[float] = field(default_factory=list)
    last_text: str = ""
    edits: int = 0
    problems: list[str] = field(default_factory=list)

    def edit(self, round_: int) -> None:
        text = f"Author {self.n} edit {round_}: the summary as it stands after this save."
        try:
            box = self.at.text_area(key=widget_key(self.doc_id, "summary"))
        except KeyError:
            self.problems.append(f"author {self.n}: the Summary box is missing before edit {round_}")
            return
        box.input(text)
        start = time.perf_counter()
        self.at.run()
        self.samples.append((time.perf_counter() - start) * 1000)
        self.problems += [f"author {self.n}: {e.message}" for e in self.at.exception]
        self.problems += [f"author {self.n}: {e.value}" for e in self.at.error]
        self.last_text, self.edits = text, self.edits + 1


def share_apptest_runtime() -> None:
    """Let AppTests run in parallel threads. Each run installs a stand-in Runtime as the process-wide
    singleton and clears it when done, so a session finishing would pull it from under one still
    running; keep answering with the last one installed (they are interchangeable). Also pin the
    AppTest config flag, which each run sets and restores around itself."""
    from streamlit import config
    from streamlit.runtime import Runtime

    if getattr(Runtime, "_debrief_shared", False):
        return
    original = Runtime.instance.__func__
    last: list = []

    def instance(cls):
        if cls._instance is not None:
            last[:] = [cls._instance]
            return cls._instance
        return last[0] if last else original(cls)

    Runtime.instance = classmethod(instance)
    Runtime._debrief_shared = True
    config.set_option("global.appTest", True)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _opened_mb(db_path: Path, authors: list[Author]) -> float:
    """Memory the open sessions hold: the larger of the RSS growth (freed arenas hide some of it) and
    the Python objects still allocated once they are open (tracemalloc)."""
    gc.collect()
    rss = _rss_mb()
    tracemalloc.start()
    _open(db_path, authors)
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    return max(_rss_mb() - rss, traced)


def _open(db_path: Path, authors: list[Author]) -> None:
    for author in authors:
        opened = open_page(f"author {author.n}", str(db_path), author.doc_id, SCRIPT, TITLE)
        author.at, author.problems = opened.at, opened.problems


def _drive(author: Author, edits: int, start: threading.Barrier, seed: int) -> None:
    rng = random.Random(seed)
    start.wait()
    time.sleep(rng.uniform(0, THINK_S))  # authors do not all press at the same instant
    for round_ in range(edits):
        author.edit(round_)
        time.sleep(rng.expovariate(1 / THINK_S) if THINK_S > 0 else 0)


def _verify(db_path: Path, authors: list[Author]) -> list[str]:
    """Every author's last text is stored, at one version per edit, and the document validates."""
    problems, db = [], storage.connect(db_path)
    try:
        for author in authors:
            stored = storage.get(db=db, doc_id=author.doc_id)  # validates the body (pydantic)
            if stored.doc.summary != author.last_text:
                problems.append(f"author {author.n}: stored summary is not the last one typed")
            if stored.version != 1 + author.edits:
                problems.append(f"author {author.n}: version {stored.version}, expected {1 + author.edits}")
            if len(storage.revisions(db=db, doc_id=author.doc_id)) != stored.version:
                problems.append(f"author {author.n}: revisions missing")
    finally:
        db.close()
    return problems


def _alone(db_path: Path, doc_id: int, edits: int) -> tuple[list[float], float]:
    """The same edits by one author with nobody else: wall ms per rerun, and process CPU ms per rerun."""
    author = Author(0, doc_id)
    _open(db_path, [author])
    for round_ in range(2):  # warm-up
        author.edit(-1 - round_)
    author.samples.clear()
    cpu = time.process_time()
    for round_ in range(edits):
        author.edit(round_)
    return author.samples, (time.process_time() - cpu) * 1000 / edits


def run(**_: object) -> list[Figure]:
    scale = float(os.environ.get("DEBRIEF_BENCH_SCALE", "1.0"))
    count, edits = max(5, round(FULL_AUTHORS * scale)), 10
    quiet_streamlit()
    share_apptest_runtime()
    saved_env = os.environ.get(DB_ENV)
    with tempfile.TemporaryDirectory(prefix="debrief-bench-load-") as tmp:
        db_path = Path(tmp) / "load.db"
        db = storage.connect(db_path)
        ids = [storage.create(db=db, doc=new_postmortem(f"INC-LOAD-{n:04d}", f"Load {n}")).id
               for n in range(count + 1)]
        db.close()
        alone, cpu_ms = _alone(db_path, ids[0], edits)
        authors = [Author(n + 1, doc_id) for n, doc_id in enumerate(ids[1:])]
        per_session_mb = _opened_mb(db_path, authors) / count
        barrier = threading.Barrier(count)
        threads = [threading.Thread(target=_drive, args=(a, edits, barrier, a.n)) for a in authors]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
        problems = [p for a in authors for p in a.problems] + _verify(db_path, authors)
    if saved_env is None:
        os.environ.pop(DB_ENV, None)
    else:
        os.environ[DB_ENV] = saved_env
    loaded = [s for a in authors for s in a.samples]
    return _figures(count, edits, alone, loaded, cpu_ms, per_session_mb, wall, problems)


def capacity(cpu_ms_per_rerun: float, mb_per_session: float, cores: int = 2, ram_gb: float = 4.0) -> tuple[int, int]:
    """(active authors, open sessions) a `cores`-core machine carries; see bench/README.md."""
    # One Streamlit process runs Python under one GIL: at most one core of script time, whatever `cores`.
    usable_cores = min(cores, 1) * HEADROOM
    active = int(usable_cores * 1000 / cpu_ms_per_rerun * SAVE_EVERY_S)
    sessions = int(ram_gb * 1024 * 0.5 / max(mb_per_session, 0.1))  # half the RAM for sessions
    return active, sessions


def _figures(count, edits, alone, loaded, cpu_ms, per_session_mb, wall, problems) -> list[Figure]:
    p50, p95 = percentile(loaded, 50), percentile(loaded, 95)
    a50, a95 = percentile(alone, 50), percentile(alone, 95)
    active, sessions = capacity(cpu_ms, per_session_mb)
    offered = count / THINK_S
    note = (f"{count} authors x {edits} edits, think time {THINK_S:g} s (offered ~{offered:.0f} reruns/s), "
            f"{len(loaded)} reruns in {wall:.1f} s; CPU per rerun alone {cpu_ms:.1f} ms. Capacity on 2 cores: "
            f"~{active} authors saving every {SAVE_EVERY_S:g} s, ~{sessions} open sessions in 2 GB.")
    if problems:
        note += " PROBLEMS: " + "; ".join(problems[:5])
    return [
        Figure(f"load:{count} authors p50", p50, "ms", a50, ratio(p50, a50), "report only", True, note=note),
        Figure(f"load:{count} authors p95", p95, "ms", a95, ratio(p95, a95), f"<= {MAX_P95_RATIO:g}x alone",
               p95 <= MAX_P95_RATIO * a95),
        Figure("load:memory per session", per_session_mb, "MB", None, None, "report only", True),
        Figure("load:lost or corrupted saves", len(problems), "count", None, None, "0", not problems),
        Figure("load:capacity 2 cores (active authors)", active, "authors", None, None, f">= {FULL_AUTHORS}",
               active >= FULL_AUTHORS),
    ]
