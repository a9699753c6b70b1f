"""Many authors at once: 30 simulated authors, each editing its own post-mortem, against one database.

Each author is an AppTest session (the same script runs, session state and element tree a browser
session gets from a real server) on the Summary step, in its own thread. It types a new summary,
reruns (the rerun saves it: a real autosave with a version check), thinks, and repeats. The same
author alone, in the same run, is the baseline. Afterwards every document must hold its author's
last text, at exactly one version per edit, and validate.

Two phases on the same sessions: a realistic think time (the target figure) and a saturating 1 s
(report only, so the capacity limit of one process stays visible).

Figures: p50 and p95 of a rerun (with the save) under load against alone, the process memory each
open session adds, lost or corrupted saves (target 0), session crashes (a harness failure, target 0),
and a capacity estimate for a 2-core machine (derivation in bench/README.md).
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
from bench.steps import REPO, app_settings, open_page, quiet_streamlit
from components.session import widget_key
from postmortem.models import new_postmortem

FULL_AUTHORS = 30
MAX_P95_RATIO = 2.0
SCRIPT, TITLE = "pages/02_summary.py", "Summary"
# Mean seconds between one author's saves (exponential). A person writing a post-mortem changes a
# field, then reads and types for a while before leaving the next one (autosave fires on leaving a
# field): one change per 10 s is a busy author (bench/README.md). The target figure uses it.
THINK_S = float(os.environ.get("DEBRIEF_LOAD_THINK_S", "10.0"))
# A change per second from every author: more reruns than one Python process can run (30/s x ~30 ms
# of CPU > 1 core). Report only: it shows where the capacity limit is, not how authors work.
SATURATED_THINK_S = 1.0
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
    problems: list[str] = field(default_factory=list)  # errors the product showed: count as lost saves
    crashes: list[str] = field(default_factory=list)  # the session's script raised: a harness failure

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
        self.crashes += [f"author {self.n}: {e.message}" for e in self.at.exception]
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


def share_script_cache(repo: Path = REPO) -> int:
    """Compile app.py and every page once, sequentially, into one ScriptCache that every AppTest run
    then uses; returns how many scripts. A real server does exactly this: its Runtime holds one
    ScriptCache, so each page is compiled once and every session's rerun reuses the bytecode. AppTest
    instead makes a new cache for each run, so every rerun of every session recompiles (and `ast.parse`s,
    for magic) app.py and its page. Threads doing that at once hit a CPython bug in the AST constructor's
    shared recursion counter: `SystemError: AST constructor recursion depth mismatch` (gh-106905,
    fixed in 3.11.8 and 3.12.2 by GH-113476 / GH-113472; the venv runs 3.11.7)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if getattr(app_test, "_debrief_shared_cache", None) is not None:
        return app_test._debrief_shared_cache[1]
    cache = ScriptCache()
    scripts = [repo / "app.py", *sorted((repo / "pages").glob("*.py"))]
    for script in scripts:
        cache.get_bytecode(str(script))

    def shared() -> ScriptCache:
        return cache

    app_test.ScriptCache = local_script_runner.ScriptCache = shared
    app_test._debrief_shared_cache = (cache, len(scripts))
    return len(scripts)


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


def _drive(author: Author, edits: int, start: threading.Barrier, seed: int, think_s: float) -> None:
    rng = random.Random(seed)
    start.wait()
    time.sleep(rng.uniform(0, think_s))  # authors do not all press at the same instant
    try:
        for round_ in range(edits):
            author.edit(round_)
            time.sleep(rng.expovariate(1 / think_s) if think_s > 0 else 0)
    except Exception as error:
        author.crashes.append(f"author {author.n}: {type(error).__name__}: {error}")


@dataclass
class Phase:
    think_s: float
    samples: list[float]
    wall_s: float
    reruns: int


def _phase(authors: list[Author], edits: int, think_s: float, seed: int) -> Phase:
    for author in authors:
        author.samples.clear()
    barrier = threading.Barrier(len(authors))
    threads = [
        threading.Thread(target=_drive, args=(a, edits, barrier, seed * 1000 + a.n, think_s)) for a in authors
    ]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    samples = [s for a in authors for s in a.samples]
    return Phase(think_s, samples, wall, len(samples))


def _verify(db_path: Path, authors: list[Author]) -> list[str]:
    """Every author's last text is stored, at one version per edit, and the document validates. After
    a session crash the edits it completed are unknown, so only validity and revisions are checked."""
    problems, db = [], storage.connect(db_path, actor=storage.LOCAL)
    try:
        for author in authors:
            stored = storage.get(db=db, doc_id=author.doc_id)  # validates the body (pydantic)
            if not author.crashes:
                if stored.doc.summary != author.last_text:
                    problems.append(f"author {author.n}: stored summary is not the last one typed")
                if stored.version != 1 + author.edits:
                    problems.append(
                        f"author {author.n}: version {stored.version}, expected {1 + author.edits}"
                    )
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
    compiled = share_script_cache()
    with app_settings(), tempfile.TemporaryDirectory(prefix="debrief-bench-load-") as tmp:
        db_path = Path(tmp) / "load.db"
        db = storage.connect(db_path, actor=storage.LOCAL)
        ids = [
            storage.create(db=db, doc=new_postmortem(f"INC-LOAD-{n:04d}", f"Load {n}")).id
            for n in range(count + 1)
        ]
        db.close()
        alone, cpu_ms = _alone(db_path, ids[0], edits)
        authors = [Author(n + 1, doc_id) for n, doc_id in enumerate(ids[1:])]
        per_session_mb = _opened_mb(db_path, authors) / count
        print(f"  {count} authors x {edits} edits, think {THINK_S:g} s", flush=True)
        realistic = _phase(authors, edits, THINK_S, 1)
        print(f"  {count} authors x {edits} edits, think {SATURATED_THINK_S:g} s (saturated)", flush=True)
        saturated = _phase(authors, edits, SATURATED_THINK_S, 2)
        lost = [p for a in authors for p in a.problems] + _verify(db_path, authors)
        crashes = [c for a in authors for c in a.crashes]
    return _figures(
        count, edits, alone, cpu_ms, per_session_mb, realistic, saturated, lost, crashes, compiled
    )


def capacity(
    cpu_ms_per_rerun: float, mb_per_session: float, cores: int = 2, ram_gb: float = 4.0
) -> tuple[int, int]:
    """(active authors, open sessions) a `cores`-core machine carries; see bench/README.md."""
    # One Streamlit process runs Python under one GIL: at most one core of script time, whatever `cores`.
    usable_cores = min(cores, 1) * HEADROOM
    active = int(usable_cores * 1000 / cpu_ms_per_rerun * SAVE_EVERY_S)
    sessions = int(ram_gb * 1024 * 0.5 / max(mb_per_session, 0.1))  # half the RAM for sessions
    return active, sessions


def _phase_note(count: int, edits: int, phase: Phase) -> str:
    return (
        f"{count} authors x {edits} edits, think time {phase.think_s:g} s (offered ~{count / phase.think_s:.1f} "
        f"reruns/s), {phase.reruns} reruns in {phase.wall_s:.1f} s ({phase.reruns / phase.wall_s:.1f}/s)"
    )


def _figures(count, edits, alone, cpu_ms, per_session_mb, realistic, saturated, lost, crashes, compiled):
    p50, p95 = percentile(realistic.samples, 50), percentile(realistic.samples, 95)
    s95 = percentile(saturated.samples, 95)
    a50, a95 = percentile(alone, 50), percentile(alone, 95)
    active, sessions = capacity(cpu_ms, per_session_mb)
    note = (
        _phase_note(count, edits, realistic) + f"; CPU per rerun alone {cpu_ms:.1f} ms; {compiled} scripts "
        f"compiled once before the threads. Capacity on 2 cores: ~{active} authors saving every "
        f"{SAVE_EVERY_S:g} s, ~{sessions} open sessions in 2 GB."
    )
    sat_note = (
        _phase_note(count, edits, saturated) + f"; p50 {percentile(saturated.samples, 50):.1f} ms. "
        f"Offered CPU ~{count / saturated.think_s * cpu_ms / 1000:.1f} cores of script time for one "
        f"process (at most 1): queueing, not a defect"
    )
    think = f"think {THINK_S:g} s"
    return [
        Figure(
            f"load:{count} authors p50 ({think})",
            p50,
            "ms",
            a50,
            ratio(p50, a50),
            "report only",
            True,
            note=note,
        ),
        Figure(
            f"load:{count} authors p95 ({think})",
            p95,
            "ms",
            a95,
            ratio(p95, a95),
            f"<= {MAX_P95_RATIO:g}x alone",
            p95 <= MAX_P95_RATIO * a95,
        ),
        Figure(
            f"load:{count} authors p95 saturated (think {SATURATED_THINK_S:g} s)",
            s95,
            "ms",
            a95,
            ratio(s95, a95),
            "report only",
            True,
            note=sat_note,
        ),
        Figure("load:memory per session", per_session_mb, "MB", None, None, "report only", True),
        Figure(
            "load:lost or corrupted saves",
            len(lost),
            "count",
            None,
            None,
            "0",
            not lost,
            note="; ".join(lost[:5]),
        ),
        Figure(
            "load:session crashes (harness failure)",
            len(crashes),
            "count",
            None,
            None,
            "0",
            not crashes,
            note="; ".join(crashes[:5]),
        ),
        Figure(
            "load:capacity 2 cores (active authors)",
            active,
            "authors",
            None,
            None,
            f">= {FULL_AUTHORS}",
            active >= FULL_AUTHORS,
        ),
    ]
