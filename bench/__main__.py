"""`python -m bench [suite ...]`: run the benchmark suites, print a table, write bench/results.json.

Run from the repo root with the venv's python, e.g. `.venv/bin/python -m bench steps save coldstart`.
With no suite named, all of them run and results.json is rewritten; with some named, their figures
replace the same-named ones in results.json and the others are kept.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

from bench import SUITES, report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "suites", nargs="*", metavar="suite", help=f"suites to run: {', '.join(SUITES)} (default: all)"
    )
    parser.add_argument(
        "--reruns", type=int, default=15, help="timed AppTest reruns per page and document (15)"
    )
    parser.add_argument("--warmups", type=int, default=2, help="untimed reruns before timing (2)")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="slug",
        dest="only",
        help="steps suite: only these pages (home, header, timeline, ...)",
    )
    parser.add_argument("--saves", type=int, default=100, help="timed saves per document (100)")
    parser.add_argument("--starts", type=int, default=5, help="cold starts per app (5)")
    parser.add_argument("--out", type=Path, default=report.RESULTS, help="where to write the JSON figures")
    parser.add_argument("--no-write", action="store_true", help="print only, do not write the JSON file")
    return parser


def _load(name: str):
    module, _, function = SUITES[name].partition(":")
    return getattr(importlib.import_module(module), function)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        _parser().error(f"unknown suite(s) {', '.join(unknown)}; known: {', '.join(SUITES)}")
    names = args.suites or list(SUITES)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Debrief bench · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"load average {load:.2f} · suites: {', '.join(names)}",
        flush=True,
    )
    if load > (os.cpu_count() or 1):
        print("  warning: the machine is busy; wall-clock figures will be noisy.", flush=True)

    options = vars(args)
    figures: list[report.Figure] = []
    for name in names:
        print(f"\n[{name}]", flush=True)
        start = time.perf_counter()
        try:
            figures += _load(name)(**options)
        except Exception as error:  # one broken suite must not hide the others
            print(f"  suite {name} failed: {error!r}", flush=True)
            figures.append(
                report.Figure(
                    f"{name}:suite",
                    float("nan"),
                    "",
                    None,
                    None,
                    "runs",
                    False,
                    note=f"{type(error).__name__}: {error}",
                )
            )
        print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)

    print()
    report.print_table(figures)
    if not args.no_write:
        path = report.write(figures, args.out, merge=bool(args.suites) or bool(args.only))
        print(f"\nWrote {path}")
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
