"""Rerun time of every wizard step and the Home page, with the large document open vs an empty one.

For each page, two AppTests are opened (one per document, each on its own temp database) and rerun
alternately, so drift on a busy machine hits both equally. $DEBRIEF_DB is switched before every run,
because the app reads it on every rerun.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.testing.v1 import AppTest

import storage
from bench import fixtures
from bench.report import Figure, median, ratio
from components import config
from components.steps import STEPS

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
DB_ENV = "DEBRIEF_DB"
MAX_RATIO = 1.5
MAX_MS = 150.0
TARGET = f"<= {MAX_RATIO:g}x and <= {MAX_MS:g} ms"
# (slug, script, title). Home is the default page: reached by running app.py, with no switch_page.
PAGES: tuple[tuple[str, str | None, str | None], ...] = (
    ("home", None, None),
    *((step.slug, step.script, step.title) for step in STEPS),
)


def point_app_at(db_path: str | Path) -> None:
    """Point the AppTests of this process at `db_path`. The app reads its settings once per server
    (components/config.py), so a changed path means a restart: the settings are read again here, outside
    any timed rerun."""
    if os.environ.get(DB_ENV) != str(db_path):
        os.environ[DB_ENV] = str(db_path)
        config.settings.clear()
        config.settings()


@dataclass
class Opened:
    """One AppTest with one document open on one page."""

    label: str
    db_path: str
    doc_id: int
    at: AppTest
    title: str | None
    samples: list[float] = field(default_factory=list)
    cpu: list[float] = field(
        default_factory=list
    )  # process CPU ms per rerun: less sensitive to a busy machine
    problems: list[str] = field(default_factory=list)

    def run(self, record: bool = True) -> None:
        point_app_at(self.db_path)
        cpu, start = time.process_time(), time.perf_counter()
        self.at.run()
        elapsed, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
        self.check()
        if record:
            self.samples.append(elapsed)
            self.cpu.append(cpu)

    def check(self) -> None:
        """Record (once each) an exception, a missing step title, or a step that shows no document."""
        found = [f"{self.label}: exception {exc.message}" for exc in self.at.exception]
        titles = [t.value for t in self.at.title]
        if self.title is not None and self.title not in titles:
            found.append(f"{self.label}: page title {self.title!r} not shown (titles: {titles})")
        if any("Open a post-mortem first" in i.value for i in self.at.info):
            found.append(f"{self.label}: the document did not open")
        self.problems += [text for text in found if text not in self.problems]


class _NoBareModeWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def quiet_streamlit() -> None:
    """Drop the 'missing ScriptRunContext' warning AppTest triggers from the main thread on each open."""
    from streamlit.logger import get_logger

    logger = get_logger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(isinstance(f, _NoBareModeWarning) for f in logger.filters):
        logger.addFilter(_NoBareModeWarning())


def _store(path: Path, doc) -> int:
    db = storage.connect(path, actor=storage.LOCAL)
    try:
        return storage.create(db=db, doc=doc).id
    finally:
        db.close()


def _version(path: str, doc_id: int) -> int:
    db = storage.connect(path, actor=storage.LOCAL)
    try:
        return storage.get(db=db, doc_id=doc_id).version
    finally:
        db.close()


def modern_pages_only() -> None:
    """AppTest re-enters Streamlit's pages-folder mode before every run; a real server does so only
    for its first request (components/shell.py). Measure the mode every later request uses."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__
    if getattr(original, "_debrief_pinned", False):
        return

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._debrief_pinned = True
    PagesManager.__init__ = init


def open_page(label: str, db_path: str, doc_id: int, script: str | None, title: str | None) -> Opened:
    """An AppTest on `script` with `doc_id` open: run app.py once, then switch to the page (STACK.md §3)."""
    modern_pages_only()
    point_app_at(db_path)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["doc"] = str(doc_id)
    at.run()
    if script is not None:
        at.switch_page(script).run()
    opened = Opened(label, db_path, doc_id, at, title)
    opened.check()
    return opened


def measure_page(
    slug: str,
    script: str | None,
    title: str | None,
    docs: dict[str, tuple[str, int]],
    reruns: int,
    warmups: int,
) -> Figure:
    pages = {
        label: open_page(f"{slug}/{label}", path, doc_id, script, title)
        for label, (path, doc_id) in docs.items()
    }
    versions = {label: _version(path, doc_id) for label, (path, doc_id) in docs.items()}
    for _ in range(warmups):
        for page in pages.values():
            page.run(record=False)
    for _ in range(reruns):
        for page in pages.values():
            page.run()
    problems = [p for page in pages.values() for p in page.problems]
    for label, (path, doc_id) in docs.items():
        after = _version(path, doc_id)
        if after != versions[label]:
            problems.append(
                f"{slug}/{label}: plain reruns saved the document (version {versions[label]} -> {after})"
            )
    large, empty = median(pages["large"].samples), median(pages["empty"].samples)
    r = ratio(large, empty)
    ok = not problems and r is not None and r <= MAX_RATIO and large <= MAX_MS
    print(
        f"  step:{slug:<12} large {large:7.1f} ms (cpu {median(pages['large'].cpu):6.1f})  "
        f"empty {empty:6.1f} ms (cpu {median(pages['empty'].cpu):6.1f})  {r:5.2f}x  {'ok' if ok else 'MISSED'}",
        flush=True,
    )
    return Figure(f"step:{slug}", large, "ms", empty, r, TARGET, ok, "; ".join(problems))


@contextlib.contextmanager
def app_settings() -> Iterator[None]:
    """A bare command line while suites run the app (the app's settings read `--db` from sys.argv, so
    the benchmark's own arguments must stay away from it), and $DEBRIEF_DB put back afterwards: the
    suites point the app at their own databases through it (point_app_at)."""
    saved_env, saved_argv = os.environ.get(DB_ENV), sys.argv
    sys.argv = [sys.argv[0]]
    try:
        yield
    finally:
        sys.argv = saved_argv
        if saved_env is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = saved_env


def run(reruns: int = 15, warmups: int = 2, only: list[str] | None = None, **_: object) -> list[Figure]:
    quiet_streamlit()
    figures = []
    with app_settings(), tempfile.TemporaryDirectory(prefix="debrief-bench-steps-") as tmp:
        docs = {}
        for label, doc in (
            ("large", fixtures.large_postmortem()),
            ("empty", fixtures.empty_postmortem()),
        ):
            path = Path(tmp) / f"{label}.db"
            docs[label] = (str(path), _store(path, doc))
        for slug, script, title in PAGES:
            if only and slug not in only:
                continue
            try:
                figures.append(measure_page(slug, script, title, docs, reruns, warmups))
            except Exception as error:  # a page that cannot open still gets its row
                print(f"  step:{slug:<12} failed: {error!r}", flush=True)
                figures.append(
                    Figure(
                        f"step:{slug}",
                        float("nan"),
                        "ms",
                        None,
                        None,
                        TARGET,
                        False,
                        f"{type(error).__name__}: {error}",
                    )
                )
    return figures
