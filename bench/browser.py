"""`python -m bench browser`: click-to-settled time of an author's typical actions in Chromium.

Debrief runs as a real server (`streamlit run app.py` on a free loopback port, a temp database
holding the large document of `bench/fixtures.py` plus a 30-box causal tree), and so does the
baseline app (`bench/browser_baseline_app.py`, one widget of each kind), started the same way.
Playwright drives Debian's Chromium, headless, one tab per app. Each round times every action
once in Debrief and the action of the same kind once in the baseline, alternating which goes
first, so a busy machine slows both alike. How "settled" is decided: `bench/browser_settle.py`.

Rounds: `$DEBRIEF_BENCH_BROWSER_ROUNDS` (20) after one untimed warm-up round.
"""

from __future__ import annotations

import contextlib
import math
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

import storage
from bench import fixtures
from bench.browser_actions import PAIRS, Action, Target, sample
from bench.browser_settle import WATCH_SOCKET, NotSettled, Wire, phases, runs_started
from bench.coldstart import (  # the cold-start suite's own server helpers
    _healthy,
    free_port,
    stop,
    streamlit_command,
)
from bench.report import Figure, median, percentile, ratio
from postmortem import causal, causal_text

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
MAX_RATIO = 2.0
MAX_P95_MS = 300.0
ROUNDS = int(os.environ.get("DEBRIEF_BENCH_BROWSER_ROUNDS", "20"))
WARMUP_ROUNDS = 1


@dataclass
class Series:
    """The samples of one action in one app, with the machine's load when each was taken."""

    name: str
    samples: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    parts: list[tuple[float, float, float]] = field(default_factory=list)  # browser_settle.phases
    wire: list[tuple[float, float]] = field(default_factory=list)  # server ms and KB received (Wire)
    server_cpu: list[float] = field(default_factory=list)  # the server process's CPU ms during the sample
    runs: list[int] = field(default_factory=list)  # script runs each sample started (browser_settle)
    problems: list[str] = field(default_factory=list)  # every failed attempt, retried or not
    lost: int = 0  # samples that failed twice: the figure is then not ok


def bench_document():
    """The large document with a causal tree of 30 boxes (the outcome, 5 causes, 24 under them)."""
    doc = fixtures.large_postmortem()
    texts = [" ".join(f.text.split())[:80] for f in doc.contributing_factors]
    lines = ["Checkout failed for EU customers for two hours"]
    for branch in range(5):
        lines.append(f"  {texts[branch]}")
        lines += [f"    {texts[5 + branch * 5 + leaf]}" for leaf in range(5 if branch < 4 else 4)]
    return causal.with_tree(doc, causal_text.parse_outline("\n".join(lines)))


def _wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not _healthy(port):
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit on port {port} was not healthy within {timeout:g} s")
        time.sleep(0.1)


@contextlib.contextmanager
def serving(script: str, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`streamlit run script` from the repo root on a free loopback port, as the e2e tests start it;
    yields its URL and process id."""
    port = free_port()
    proc = subprocess.Popen(
        streamlit_command(script, port, "--server.fileWatcherType", "none"),
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_healthy(proc, port)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        stop(proc)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def tab(browser: Browser, served: tuple[str, int], query: str = "", read_doc=None) -> Target:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.add_init_script(WATCH_SOCKET)
    page.set_default_timeout(30_000)
    url, pid = served
    return Target(page, url, query, read_doc, wire=Wire(page), server_pid=pid)


RETRY = 1000  # a retried sample uses round + RETRY for its text, so it cannot repeat an earlier value


def measure(target: Target, action: Action, i: int, series: Series, record: bool = True) -> None:
    """Take one sample into `series`. A failed attempt (noted with its reason; the tab is reloaded) is
    tried once more; if that fails too the sample is lost, and `series.lost` says so."""
    for attempt in (i, i + RETRY):
        load = os.getloadavg()[0]
        try:
            ms = sample(target, action, attempt)
        except (NotSettled, PlaywrightError) as error:
            problem = f"round {i}{' (retry)' if attempt != i else ''}: {str(error).splitlines()[0][:300]}"
            print(f"    {series.name}: {problem}", flush=True)
            if record:
                series.problems.append(problem)
            with contextlib.suppress(PlaywrightError):
                target.page.keyboard.press("Escape")
                target.page.reload()
            continue
        if record:
            series.samples.append(ms)
            series.loads.append(load)
            series.parts.append(phases(target.page))
            series.server_cpu.append(target.last_cpu_ms)
            series.runs.append(runs_started(target.page))
            if target.wire:
                series.wire.append(target.wire.server_ms_and_kb())
        return
    if record:
        series.lost += 1


def rounds(plan: list[tuple[Target, Action, Series]], count: int, warmups: int = WARMUP_ROUNDS) -> None:
    """Run the plan's actions in order, `warmups` + `count` times; odd rounds reverse each pair's order."""
    for i in range(warmups + count):
        print(
            f"  round {i + 1 - warmups} of {count}" if i >= warmups else "  warm-up round",
            f"(load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )
        for n in range(0, len(plan), 2):
            pair = plan[n : n + 2]
            for target, action, series in pair if i % 2 == 0 else pair[::-1]:
                measure(target, action, i, series, record=i >= warmups)


def baseline_series(count: int = 1, warmups: int = 0) -> list[Series]:
    """Only the baseline app's actions (what the unit test runs, so this code cannot rot)."""
    with serving("bench/browser_baseline_app.py", {}) as served, chromium() as browser:
        target = tab(browser, served)
        plan = [(target, theirs, Series(theirs.name)) for _, theirs in PAIRS]
        for i in range(warmups + count):
            for tgt, action, series in plan:
                measure(tgt, action, i, series, record=i >= warmups)
        return [series for _, _, series in plan]


def _debrief_env(tmp: Path) -> tuple[dict[str, str], int]:
    db_path = tmp / "browser.db"
    db = storage.connect(db_path, actor=storage.LOCAL)
    try:
        doc_id = storage.create(db=db, doc=bench_document()).id
    finally:
        db.close()
    # The presence heartbeat reruns a fragment every 15 s; slowed to hourly (as in tests/e2e) so it
    # cannot fall inside a sample. It is a cost of its own, not of the action being timed.
    return {"DEBRIEF_DB": str(db_path), "DEBRIEF_PRESENCE_SECONDS": "3600"}, doc_id


def _reader(db_path: str, doc_id: int):
    def read():
        db = storage.connect(db_path, actor=storage.LOCAL)
        try:
            return storage.get(db=db, doc_id=doc_id).doc
        finally:
            db.close()

    return read


def run(**_: object) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="debrief-bench-browser-") as tmp:
        env, doc_id = _debrief_env(Path(tmp))
        with (
            serving("app.py", env) as app,
            serving("bench/browser_baseline_app.py", {}) as base,
            chromium() as browser,
        ):
            ours = tab(browser, app, f"?doc={doc_id}", _reader(env["DEBRIEF_DB"], doc_id))
            theirs = tab(browser, base)
            plan = []
            for mine, base in PAIRS:
                plan += [(ours, mine, Series(mine.name)), (theirs, base, Series(base.name))]
            print(
                f"  {ROUNDS} rounds of {len(PAIRS)} actions in each app, after {WARMUP_ROUNDS} warm-up",
                flush=True,
            )
            rounds(plan, ROUNDS)
    return [fig for n in range(0, len(plan), 2) for fig in figures(plan[n][2], plan[n + 1][2])]


def _load_note(series: Series) -> str:
    if not series.loads:
        return "no load recorded"
    return (
        f"load average {sum(series.loads) / len(series.loads):.2f} "
        f"({min(series.loads):.2f}–{max(series.loads):.2f})"
    )


def _parts_note(series: Series) -> str:
    """Median of each part of the samples: where the time goes."""
    if not series.parts:
        return ""
    to_run, runs, after = (
        median([p[n] for p in series.parts if not math.isnan(p[n])] or [math.nan]) for n in range(3)
    )
    server, kb = (median([w[n] for w in series.wire if not math.isnan(w[n])] or [math.nan]) for n in range(2))
    cpu = median([c for c in series.server_cpu if not math.isnan(c)] or [math.nan])
    counts = f"{min(series.runs)}–{max(series.runs)}" if series.runs else "?"
    return (
        f"medians: input to run {to_run:.0f} ms, runs {runs:.0f} ms, run end to settled {after:.0f} ms; "
        f"server (request sent to last frame received) {server:.0f} ms, {kb:.0f} KB received; "
        f"server process CPU {cpu:.0f} ms; script runs per action {counts}"
    )


def _sorted(series: Series) -> str:
    return ", ".join(f"{s:.0f}" for s in sorted(series.samples)) or "none"


def figures(ours: Series, base: Series) -> list[Figure]:
    """The median and p95 figures of one action against its baseline."""
    note = (
        f"{len(ours.samples)} samples, {_load_note(ours)}; ms sorted: {_sorted(ours)} "
        f"({_parts_note(ours)}); baseline '{base.name}': {_sorted(base)} ({_parts_note(base)})"
    )
    problems = ours.problems + [f"baseline: {p}" for p in base.problems]
    if problems:
        note += f"; {len(problems)} failed attempts, {ours.lost + base.lost} samples lost: " + " | ".join(
            problems[:3]
        )
    measured = bool(ours.samples and base.samples)
    nan = float("nan")
    p95, base_p95 = (percentile(ours.samples, 95), percentile(base.samples, 95)) if measured else (nan, nan)
    mid, base_mid = (median(ours.samples), median(base.samples)) if measured else (nan, nan)
    p95_ratio, mid_ratio = ratio(p95, base_p95), ratio(mid, base_mid)
    clean = measured and not (ours.lost or base.lost)
    return [
        Figure(
            f"browser:{ours.name} median",
            mid,
            "ms",
            base_mid,
            mid_ratio,
            f"<= {MAX_RATIO:g}x baseline",
            clean and mid_ratio is not None and mid_ratio <= MAX_RATIO,
        ),
        Figure(
            f"browser:{ours.name} p95",
            p95,
            "ms",
            base_p95,
            p95_ratio,
            f"<= {MAX_RATIO:g}x and <= {MAX_P95_MS:g} ms",
            clean
            and p95_ratio is not None
            and p95_ratio <= MAX_RATIO
            and p95 <= MAX_P95_MS
            and not math.isnan(p95),
            note=note,
        ),
    ]
