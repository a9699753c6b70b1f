"""`python -m bench.browser_page_size [ROUNDS]`: what page size alone costs in Streamlit's browser side.

The browser bench's baseline app, started three times side by side: as it is, and with inert content
added (static paragraphs on every page, extra pages in the sidebar navigation) to about the size of
Debrief's steps (see bench/README.md for the element counts). The same actions are timed in each,
interleaved as `python -m bench browser` interleaves its pairs. Nothing here runs any logic: the
difference between the servers is what the frontend charges for drawing more elements.
"""

from __future__ import annotations

import contextlib
import io
import sys

from bench import browser
from bench.browser_actions import BASE_LEAVE_FIELD, BASE_SWITCH_PAGE
from bench.report import median, percentile

SIZES = ({}, {"BASELINE_PARAGRAPHS": "80", "BASELINE_EXTRA_PAGES": "22"})


def main(rounds: int) -> None:
    with contextlib.ExitStack() as stack:
        chromium = stack.enter_context(browser.chromium())
        tabs = [
            (
                browser.tab(
                    chromium, stack.enter_context(browser.serving("bench/browser_baseline_app.py", env))
                ),
                env,
            )
            for env in SIZES
        ]
        # Pairs of the same action in both apps, as `rounds` alternates the order within each pair.
        plan = [
            (tab, action, browser.Series(f"{action.name}, {env or 'as it is'}"))
            for action in (BASE_LEAVE_FIELD, BASE_SWITCH_PAGE)
            for tab, env in tabs
        ]
        with contextlib.redirect_stdout(io.StringIO()):
            browser.rounds(plan, rounds)
    for _, _, series in plan:
        print(
            f"{series.name:75s} median {median(series.samples):4.0f} ms"
            f"  p95 {percentile(series.samples, 95):4.0f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
