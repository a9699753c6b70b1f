"""Where a slow step spends its rerun: `python -m bench.profile timeline [--doc large] [--runs 10]`.

AppTest runs the page script in its own thread, which a cProfile around `at.run()` does not see.
This wraps the script thread in its own profiler (and the main thread, which turns the page's
messages into AppTest's element tree), and prints the top functions by cumulative time per rerun.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

from streamlit.testing.v1 import local_script_runner

from bench import fixtures, steps


def _browser_document():
    from bench.browser import bench_document  # imports Playwright: only when asked for

    return bench_document()


# "browser": the large document with the 30-box causal tree the browser bench uses.
DOCUMENTS = {
    "large": fixtures.large_postmortem,
    "empty": fixtures.empty_postmortem,
    "browser": _browser_document,
}


def profile_page(
    slug: str, doc: str = "large", runs: int = 10, top: int = 25, sort: str = "cumulative", restrict: str = ""
) -> str:
    page = next(p for p in steps.PAGES if p[0] == slug)
    script_prof, main_prof = cProfile.Profile(), cProfile.Profile()
    original = local_script_runner.LocalScriptRunner._run_script_thread
    active = {"on": False}

    def profiled(self):
        if not active["on"]:
            return original(self)
        script_prof.enable()
        try:
            return original(self)
        finally:
            script_prof.disable()

    local_script_runner.LocalScriptRunner._run_script_thread = profiled
    try:
        with steps.app_settings(), tempfile.TemporaryDirectory(prefix="debrief-bench-profile-") as tmp:
            build = DOCUMENTS[doc]
            path = Path(tmp) / f"{doc}.db"
            doc_id = steps._store(path, build())
            opened = steps.open_page(f"{slug}/{doc}", str(path), doc_id, page[1], page[2])
            for _ in range(2):
                opened.run(record=False)
            active["on"] = True
            main_prof.enable()
            for _ in range(runs):
                opened.run()
            main_prof.disable()
            active["on"] = False
    finally:
        local_script_runner.LocalScriptRunner._run_script_thread = original

    out = io.StringIO()
    out.write(
        f"{slug} with the {doc} document: median rerun {steps.median(opened.samples):.1f} ms over {runs} runs\n"
    )
    if opened.problems:
        out.write("problems: " + "; ".join(opened.problems) + "\n")
    for label, prof in (
        ("script thread (the page itself)", script_prof),
        ("main thread (AppTest building its element tree)", main_prof),
    ):
        stats = pstats.Stats(prof, stream=out)
        out.write(f"\n=== {label}; times are totals over {runs} runs ===\n")
        stats.sort_stats(sort).print_stats(*([restrict] if restrict else []), top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("page", help=f"one of: {', '.join(p[0] for p in steps.PAGES)}")
    parser.add_argument("--doc", choices=tuple(DOCUMENTS), default="large")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime, ...")
    parser.add_argument(
        "--only", default="", help="regex on file:function, e.g. 'work/main' for app code only"
    )
    args = parser.parse_args(argv)
    steps.quiet_streamlit()
    print(profile_page(args.page, args.doc, args.runs, args.top, args.sort, args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
