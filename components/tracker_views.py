"""The tracker's three views (all items, weekly review, needs attention), its counts and its CSV download."""

from __future__ import annotations

import math
from contextlib import closing
from dataclasses import replace

import pandas as pd
import streamlit as st

import storage
from components import tracker_table
from components.audited_download import Acting
from exports import tracker_csv
from storage import tracker

VIEWS = ("All items", "Weekly review", "Needs attention")
_PAGE = "tracker:page"
_SIGNATURE = "tracker:signature"


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def counts(conn: storage.Database, filters: tracker.Filters) -> int:
    """Draw the counts of the filtered items; returns how many there are."""
    c = tracker.counts(db=conn, filters=filters)
    cells = st.columns(5)
    cells[0].metric("Shown", f"{c.total:,}")
    cells[1].metric("Open", f"{c.open:,}")
    cells[2].metric("Overdue", f"{c.overdue:,}", help="Open and past the due date.")
    cells[3].metric(
        "Done within 30 days",
        _percent(c.done_30_rate),
        help="Of the items added at least 30 days ago (cancelled ones left out), the share done "
        "within 30 days of being added. Target: 70 % or more.",
    )
    cells[4].metric(
        "Done within 90 days", _percent(c.done_90_rate), help="The same at 90 days. Target: 90 % or more."
    )
    return c.total


def all_items(conn: storage.Database, filters: tracker.Filters, sort: str, total: int | None = None) -> None:
    # A new filter or sort starts again at page 1 (set before the page widget is drawn).
    signature = (filters, sort)
    if st.session_state.get(_SIGNATURE) != signature:
        st.session_state[_SIGNATURE] = signature
        st.session_state[_PAGE] = 1
    number = st.session_state.get(_PAGE, 1)
    found = tracker.page(
        db=conn, filters=filters, sort=sort, offset=(number - 1) * tracker.PAGE_SIZE, total=total
    )
    if not found.total:
        st.info("No action items match these filters.")
        return
    tracker_table.show(found.items)
    pages = max(1, math.ceil(found.total / tracker.PAGE_SIZE))
    left, right = st.columns([1, 6], vertical_alignment="bottom")
    left.number_input("Page", min_value=1, max_value=pages, step=1, key=_PAGE)
    first = found.offset + 1
    right.caption(
        f"Items {first:,}–{found.offset + len(found.items):,} of {found.total:,} · page {number} of "
        f"{pages:,}. Only the Status column can be changed here; open the post-mortem for the rest."
    )


def _listing(title: str, result: tracker.Page, empty: str) -> None:
    st.markdown(f"**{title}** ({result.total:,})")
    if not result.items:
        st.caption(empty)
        return
    st.dataframe(
        tracker_table.frame(result.items),
        hide_index=True,
        width="stretch",
        column_config=tracker_table.READ_ONLY_COLUMNS,
        height=tracker_table.height(len(result.items)),
        placeholder="",
    )
    if result.total > len(result.items):
        st.caption(f"The first {len(result.items)} of {result.total:,}; the All items view lists them all.")


def weekly_review(conn: storage.Database, filters: tracker.Filters) -> None:
    review = tracker.weekly_review(db=conn, filters=filters)
    st.caption("What a weekly action-item review walks through, for the items the filters leave in.")
    _listing("Due in the next 7 days", review.due_soon, "Nothing falls due in the next 7 days.")
    _listing("Overdue", review.overdue, "Nothing is overdue.")
    _listing("Closed in the last 7 days", review.closed_this_week, "Nothing was closed in the last 7 days.")
    _listing(
        "Open and unchanged for 30 days", review.untouched, "Every open item changed in the last 30 days."
    )


def needs_attention(conn: storage.Database, filters: tracker.Filters) -> None:
    st.caption("Where action-item trackers tend to drift, for the items the filters leave in.")
    old = tracker.page(
        db=conn, filters=replace(filters, open_longer_than_days=90), sort="longest open", limit=20
    )
    _listing("Open for more than 90 days", old, "No item has been open for more than 90 days.")
    quiet = tracker.quiet_owners(db=conn, filters=filters)
    st.markdown(f"**Owners whose items have not changed in 60 days** ({len(quiet)})")
    if quiet:
        st.caption("Check that each still owns these items: people change teams and roles.")
        st.dataframe(
            pd.DataFrame(
                {
                    "Owner": [q.owner for q in quiet],
                    "Open items": [q.open_items for q in quiet],
                    "Last change": [q.last_change[:10] if q.last_change else "–" for q in quiet],
                }
            ),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
    else:
        st.caption("Every owner of an open item changed one in the last 60 days.")
    repeated = tracker.repeated_items(db=conn, filters=filters)
    st.markdown(f"**The same action in several post-mortems** ({len(repeated)})")
    if repeated:
        st.caption(
            "An action written again after a later incident may not have been built, or may not have "
            "been enough."
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Action": [r.title for r in repeated],
                    "Post-mortems": [r.post_mortems for r in repeated],
                    "Incidents": [r.incident_ids for r in repeated],
                }
            ),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
    else:
        st.caption("No action appears in more than one post-mortem.")


def csv_download(filters: tracker.Filters, sort: str) -> None:
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    flavour = left.segmented_control("CSV for", ["Jira", "Linear"], default="Jira", key="tracker:csv-flavour")
    flavour = (flavour or "Jira").lower()

    acting = Acting.current()  # build() runs on a worker thread, without the session

    def build() -> bytes:  # run only when the button is clicked: exporting reads every item's document
        with closing(acting.connect()) as conn:
            items = tracker.items(db=conn, filters=filters, sort=sort, criteria=True)
        return tracker_csv.render(items, flavour, criteria=lambda item: item.criteria)

    right.download_button(
        f"Download the shown items as CSV for {flavour.capitalize()}",
        data=build,
        file_name=tracker_csv.file_name(flavour, filters.today),
        mime="text/csv",
        icon=":material/download:",
        key="tracker:csv",
        on_click="ignore",
    )
