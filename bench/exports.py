"""Export speed on the large benchmark document: Markdown and Word for the owning team (the longest
documents), with pandoc converting the same Markdown to Word in the same run as the baseline.

pandoc is Debian's package (`apt-get install pandoc`); it is for this benchmark only. Without it the
Word figure has no ratio and its note says so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import fixtures
from bench.report import Figure, median, ratio
from exports.render import AUDIENCES, render

MAX_MD_MS = 50.0
MAX_DOCX_MS = 1000.0


def _time(action: Callable[[], object], runs: int, warmups: int = 1) -> list[float]:
    for _ in range(warmups):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _pandoc(markdown: bytes, runs: int) -> tuple[float | None, str]:
    """Median ms for pandoc to turn the Markdown into a .docx, or None and why not."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None, "pandoc is not installed (apt-get install pandoc), so there is no ratio"
    with tempfile.TemporaryDirectory(prefix="debrief-bench-pandoc-") as tmp:
        source, target = Path(tmp) / "in.md", Path(tmp) / "out.docx"
        source.write_bytes(markdown)
        command = [pandoc, "--from", "gfm", "--to", "docx", "-o", str(target), str(source)]
        samples = _time(lambda: subprocess.run(command, check=True, capture_output=True), runs)
    version = subprocess.run([pandoc, "--version"], check=False, capture_output=True, text=True).stdout
    version = version.split("\n")[0]
    return median(samples), f"baseline: {version} converting the same Markdown (gfm) to docx"


def run(export_runs: int = 15, **_: object) -> list[Figure]:
    doc = fixtures.large_postmortem()
    markdown = render(doc, "team", "md", country="US")
    md = median(_time(lambda: render(doc, "team", "md", country="US"), export_runs))
    docx = median(_time(lambda: render(doc, "team", "docx", country="US"), export_runs))
    others = {
        a: median(_time(lambda a=a: render(doc, a, "docx", country="US"), 5))
        for a in AUDIENCES
        if a != "team"
    }
    pandoc, note = _pandoc(markdown, max(3, export_runs // 3))
    about = f"{fixtures.describe(doc)} document, {len(markdown):,} bytes of Markdown"
    return [
        Figure(
            "exports:markdown median",
            md,
            "ms",
            None,
            None,
            f"<= {MAX_MD_MS:g} ms",
            md <= MAX_MD_MS,
            note=about,
        ),
        Figure(
            "exports:docx median",
            docx,
            "ms",
            pandoc,
            ratio(docx, pandoc),
            f"<= {MAX_DOCX_MS:g} ms",
            docx <= MAX_DOCX_MS,
            note=note,
        ),
        *[
            Figure(f"exports:docx {a} median", ms, "ms", None, None, "report only", True)
            for a, ms in others.items()
        ],
    ]
