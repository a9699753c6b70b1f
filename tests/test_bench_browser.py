"""The browser bench's measuring code, run once on its baseline app so it cannot rot (no time limits).

Needs Debian's Chromium (/usr/bin/chromium, which CI installs for tests/e2e); it lives outside tests/e2e
because it tests the bench, not the app.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from bench import browser
from bench.browser_actions import PAIRS
from bench.browser_settle import js_heading_at, js_text_visible

_MEASURE_ONCE = (
    "import dataclasses, json; from bench import browser; "
    "print(json.dumps([dataclasses.asdict(s) for s in browser.baseline_series(count=1)]))"
)


def _baseline_series_in_own_process() -> list[browser.Series]:
    # Playwright's sync API refuses to start inside the event loop pytest-playwright leaves running
    # after the browser tests, so the harness runs in a process of its own, as `python -m bench` does.
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_ONCE],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [browser.Series(**fields) for fields in json.loads(done.stdout.strip().splitlines()[-1])]


def test_each_baseline_action_settles_once_with_a_positive_time():
    series = _baseline_series_in_own_process()
    assert [s.name for s in series] == [base.name for _, base in PAIRS]
    for s in series:
        assert s.lost == 0, (s.name, s.problems)  # a failed attempt is retried once and noted, not lost
        assert len(s.samples) == 1, s.name
        # Settled comes after the input, and well before the 30 s a sample may wait.
        assert 0 < s.samples[0] < 30_000, (s.name, s.samples)
        assert len(s.loads) == 1 and s.loads[0] >= 0
        # The websocket frames were seen: the rerun request went out and the run's messages came back.
        ((server_ms, kb),) = s.wire
        assert 0 < server_ms < 30_000 and kb > 0, (s.name, s.wire)
        assert len(s.server_cpu) == 1 and s.server_cpu[0] >= 0, (s.name, s.server_cpu)
        to_run, runs, after = s.parts[0]
        assert to_run >= 0 and runs >= 0 and after >= 0 and abs(to_run + runs + after - s.samples[0]) < 1


def test_figures_compare_median_and_p95_with_the_baseline():
    ours = browser.Series("add a cause", samples=[100.0, 120.0, 400.0], loads=[0.5, 0.7, 0.6])
    base = browser.Series("send a text input with Enter", samples=[50.0, 60.0, 70.0], loads=[0.5] * 3)
    median, p95 = browser.figures(ours, base)
    assert (median.value, median.baseline, median.ratio) == (120.0, 60.0, 2.0) and median.ok
    assert (p95.value, p95.baseline) == (400.0, 70.0) and not p95.ok  # over 300 ms and over 2x
    assert "load average 0.60" in p95.note


def test_the_note_splits_samples_and_counts_the_script_runs():
    ours = browser.Series(
        "add a cause",
        samples=[100.0, 140.0],
        parts=[(10.0, 80.0, 10.0), (20.0, 100.0, 20.0)],
        wire=[(70.0, 20.0), (90.0, 24.0)],
        server_cpu=[30.0, 50.0],
        runs=[1, 2],
    )
    _, p95 = browser.figures(ours, browser.Series("send a text input with Enter", samples=[50.0, 60.0]))
    assert "runs 90 ms" in p95.note and "22 KB received" in p95.note and "CPU 40 ms" in p95.note
    assert "script runs per action 1–2" in p95.note


def test_an_action_that_never_settled_is_a_failed_figure_with_its_reason():
    ours = browser.Series(
        "add a cause", problems=["round 1: no text field labelled 'Add a cause below it'"], lost=1
    )
    base = browser.Series("send a text input with Enter", samples=[50.0], loads=[0.5])
    median, p95 = browser.figures(ours, base)
    assert not median.ok and not p95.ok and math.isnan(p95.value)
    assert "Add a cause below it" in p95.note


def test_a_failed_attempt_that_succeeded_on_retry_is_noted_but_keeps_the_figure():
    ours = browser.Series(
        "add a cause",
        samples=[100.0, 120.0],
        loads=[0.5, 0.5],
        problems=["round 1: the grid opened no cell editor"],
    )
    base = browser.Series("send a text input with Enter", samples=[60.0, 70.0], loads=[0.5, 0.5])
    median, p95 = browser.figures(ours, base)
    assert median.ok and p95.ok
    assert "1 failed attempts, 0 samples lost: round 1: the grid opened no cell editor" in p95.note


def test_checks_quote_their_text_as_javascript_strings():
    text = 'He said "stop"; </script>'
    assert js_text_visible(text) == 'document.body.textContent.includes("He said \\"stop\\"; </script>")'
    assert '"/impact"' in js_heading_at("/impact", "Impact")


def test_the_bench_document_has_a_causal_tree_of_thirty_boxes():
    doc = browser.bench_document()
    assert len(doc.root_cause.causal_tree.nodes) == 30
    assert len(doc.timeline) == 300


def test_the_baseline_pages_carry_inert_paragraphs_only_when_asked(monkeypatch):
    from streamlit.testing.v1 import AppTest

    def paragraphs(at: AppTest) -> list[str]:
        return [m.value for m in at.markdown if m.value.startswith("Paragraph ")]

    plain = AppTest.from_file("../bench/browser_baseline_app.py", default_timeout=30).run()
    assert not plain.exception and plain.title[0].value == "Note" and paragraphs(plain) == []
    monkeypatch.setenv("BASELINE_PARAGRAPHS", "3")
    padded = AppTest.from_file("../bench/browser_baseline_app.py", default_timeout=30).run()
    assert len(paragraphs(padded)) == 3 and padded.text_area(key="note").value == ""
