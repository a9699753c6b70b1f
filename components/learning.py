"""The learning dashboard: headline figures with their definitions, then one chart per question.

Figures come from storage.metrics (projected columns) through postmortem.metrics, cached per
database version: a rerun that changes nothing in the archive (a new quarter range, a reload)
reads the cache, and any save, delete or status change makes a new version.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from components import config, learning_charts, nav, session
from postmortem import metrics
from postmortem.metrics import CANCELLED_TARGET, DONE_TARGETS, Dashboard, Quarter, Rate
from storage import metrics as stored_metrics

KEY = "learning:quarters"

QUARTER_NOTE = (
    "Each post-mortem counts in the quarter of its incident: the trigger time (from the timeline, "
    "else the header), else the earliest key time recorded, else the day the post-mortem was started. "
    "Post-mortems in the bin are left out."
)
HELP = {
    "count": "Post-mortems whose incident falls in the chosen quarters, whatever their status.",
    "on_time": (
        "Post-mortems with a deadline, published by it. Deadlines count business days (weekends and public "
        "holidays of {country} skipped) from the day the incident closed: 5 for Sev0 and Sev1; 7 for Sev2, for "
        "any data loss and for a Sev3 showing a new class of failure. **Published** is the first change to "
        "*published* in the audit trail; a published post-mortem with no such row (an import, say) uses its "
        "incident commander's sign-off time. One not published when its deadline passed counts as not on time; "
        "one whose deadline is still ahead is not counted yet. Target: every one."
    ),
    "done": (
        "Action items marked done within {days} days of the incident closing (its *incident closed* time), out "
        "of the items not cancelled, for incidents that closed at least {days} days ago. Target: {target:.0%} "
        "or more."
    ),
    "cancelled": "Action items cancelled, out of every action item of these post-mortems. Keep it below {target:.0%}.",
    "allspaw": (
        "Signed-off post-mortems (final or published) where the role closest to the trigger answered yes to the "
        "Allspaw test: the document represents their experience fairly. No answer recorded counts as not "
        "passed. Target: every one."
    ),
    "went_well_1": "Signed-off post-mortems (final or published) with at least one thing that went well. Target: every one.",
    "went_well_3": "Signed-off post-mortems (final or published) with three or more things that went well (preferred).",
    "recurrence": (
        "Post-mortems whose failure class came back: another post-mortem with the same failure class (ignoring "
        "case) and at least one shared service had its incident in the 90 days before. Out of the post-mortems "
        "that name a failure class and a service. The aim: falling quarter over quarter."
    ),
    "durations": (
        "Medians over the chosen quarters, from each post-mortem's key times (timeline anchors, else the "
        "header's times), counting only post-mortems that record both ends: time to detect is first signal → "
        "detection, time to mitigate is detection → customer impact ended, time to resolve is detection → full "
        "resolution. Dashed lines: the Sev1 targets (detect under 5 minutes, mitigate under 30)."
    ),
}


def _today() -> date:
    return datetime.now(UTC).date()


@st.cache_data(max_entries=16, show_spinner=False)
def _figures(
    _db, version: tuple, since: date, quarters: tuple[Quarter, ...], today: date, country: str
) -> tuple[Dashboard, dict[str, dict]]:
    """The figures and their charts. `version` (which database, who may see what, and its last change)
    is the cache key with the range and the day; `_db`, the reader's connection, is not hashed."""
    d = metrics.dashboard(stored_metrics.learning_facts(db=_db, since=since), quarters, today, country)
    return d, learning_charts.specs(d)


def _choose_quarters(first_incident: datetime, last_incident: datetime, today: date) -> list[Quarter]:
    default = metrics.last_quarters(today, 4)
    options = metrics.quarters_between(
        min(metrics.quarter_of(first_incident), default[0]),
        max(metrics.quarter_of(last_incident), default[-1]),
    )
    labels = [str(q) for q in options]
    first, last = st.select_slider(
        "Quarters",
        options=labels,
        value=(str(default[0]), str(default[-1])),
        key=KEY,
        help="Drag either end to choose the range; the default is the last four quarters, this one included.",
    )
    return options[labels.index(first) : labels.index(last) + 1]


def _rate_metric(
    column, label: str, rate: Rate, help_text: str, target: float | None = None, below: bool = False
) -> None:
    """One headline figure; against its target the gap is shown in words, in quiet grey when missed."""
    value = "–" if rate.value is None else f"{rate.value:.0%}"
    detail = f"{help_text}\n\nChosen quarters: {rate.hits:,} of {rate.total:,}."
    delta, colour = None, "off"
    if target is not None and rate.value is not None:
        met = rate.value < target if below else rate.value >= target
        gap = round(abs(rate.value - target) * 100)
        side = "under" if rate.value < target else "over"
        delta = f"target {target:.0%} met" if met and not gap else f"{gap} pts {side} {target:.0%}"
        colour = "green" if met else "gray"
    column.metric(label, value, delta, delta_color=colour, delta_arrow="off", help=detail, border=True)


def _headline(d: Dashboard, country: str) -> None:
    q = [f.quality for f in d.per_quarter]
    items = [f.items for f in d.per_quarter]
    top = st.columns(5)
    top[0].metric("Post-mortems", f"{d.count:,}", help=f"{HELP['count']} {QUARTER_NOTE}", border=True)
    _rate_metric(
        top[1],
        "Published on time",
        metrics.total(f.on_time for f in d.per_quarter),
        HELP["on_time"].format(country=country),
        1.0,
    )
    for column, days in zip(top[2:4], DONE_TARGETS, strict=True):
        _rate_metric(
            column,
            f"Done in {days} days",
            metrics.total(i.done[days] for i in items),
            HELP["done"].format(days=days, target=DONE_TARGETS[days]),
            DONE_TARGETS[days],
        )
    _rate_metric(
        top[4],
        "Cancelled",
        metrics.total(i.cancelled for i in items),
        HELP["cancelled"].format(target=CANCELLED_TARGET),
        CANCELLED_TARGET,
        below=True,
    )
    bottom = st.columns(5)
    _rate_metric(bottom[0], "Allspaw passed", metrics.total(x.allspaw for x in q), HELP["allspaw"], 1.0)
    _rate_metric(
        bottom[1], "Went well ≥ 1", metrics.total(x.went_well_1 for x in q), HELP["went_well_1"], 1.0
    )
    _rate_metric(bottom[2], "Went well ≥ 3", metrics.total(x.went_well_3 for x in q), HELP["went_well_3"])
    _rate_metric(
        bottom[3], "Recurring", metrics.total(f.recurrence for f in d.per_quarter), HELP["recurrence"]
    )
    _trend_metric(bottom[4], d)


def _trend_metric(column, d: Dashboard) -> None:
    """Recurrence in the last quarter with data against the one before: falling is the aim."""
    known = [f for f in d.per_quarter if f.recurrence.value is not None]
    if len(known) < 2:
        column.metric(
            "Recurrence trend", "–", help="Needs two quarters with failure classes named.", border=True
        )
        return
    before, last = known[-2], known[-1]
    change = round((last.recurrence.value - before.recurrence.value) * 100)
    column.metric(
        "Recurrence trend",
        f"{change:+d} pts",
        f"{before.quarter} → {last.quarter}",
        delta_color="green" if change < 0 else "gray",
        delta_arrow="off",
        border=True,
        help="The change in the share of post-mortems whose failure class recurred, from one quarter "
        "to the next (the last two chosen quarters with any), in percentage points. The aim: falling.",
    )


def _chart(spec: dict, definition: str) -> None:
    st.vega_lite_chart(spec, width="stretch")
    st.caption(definition)


def _item_notes(d: Dashboard) -> list[str]:
    """What the action-item chart cannot show: windows not over yet, items done with no date."""
    notes = []
    for days in DONE_TARGETS:
        early = [
            str(f.quarter) for f in d.per_quarter if f.items.cancelled.total and not f.items.done[days].total
        ]
        if early:
            notes.append(f"Too early for the {days}-day figure: {', '.join(early)}.")
    undated = sum(f.items.undated for f in d.per_quarter)
    if undated:
        notes.append(f"{undated:,} items marked done have no closing time and are left out.")
    return notes


def _sections(d: Dashboard, charts: dict[str, dict], country: str) -> None:
    st.subheader("Post-mortems by severity")
    _chart(charts["severity"], f"{HELP['count']} {QUARTER_NOTE} Hover a bar for its count.")

    st.subheader("Published within the deadline")
    sources = ", ".join(f"{n:,} from the {source}" for source, n in sorted(d.published_from.items()))
    _chart(
        charts["deadline"],
        HELP["on_time"].format(country=country) + (f" Publication dates here: {sources}." if sources else ""),
    )

    st.subheader("Action items done")
    left, right = st.columns([2, 1])
    with left:
        _chart(
            charts["items"],
            " ".join(
                [HELP["done"].format(days=days, target=target) for days, target in DONE_TARGETS.items()]
                + _item_notes(d)
            ),
        )
    with right:
        _chart(charts["cancelled"], HELP["cancelled"].format(target=CANCELLED_TARGET))

    st.subheader("Fair and balanced")
    _chart(charts["quality"], f"{HELP['allspaw']} {HELP['went_well_1']} {HELP['went_well_3']}")

    st.subheader("Failure classes coming back")
    left, right = st.columns([2, 1])
    with left:
        _chart(charts["recurrence"], HELP["recurrence"])
    with right:
        if d.recurring_classes:
            st.dataframe(
                {
                    "Failure class": list(d.recurring_classes),
                    "Recurrences": list(d.recurring_classes.values()),
                },
                hide_index=True,
                width="stretch",
                height="auto" if len(d.recurring_classes) < 8 else 300,
                column_config={
                    "Failure class": st.column_config.TextColumn(width="medium"),
                    "Recurrences": st.column_config.NumberColumn(width="small"),
                },
                placeholder="",
            )
        else:
            st.caption("No failure class came back within 90 days in these quarters.")

    st.subheader("Detection, mitigation and resolution times")
    for column, measure in zip(st.columns(3), metrics.MEASURES, strict=True):
        with column:
            st.vega_lite_chart(charts[measure], width="stretch")
    st.caption(HELP["durations"])


def show() -> None:
    st.title("Learning")
    st.caption(
        "Are post-mortems written on time, fair and balanced, and do their action items get built? "
        "Does the same failure come back? Hover any figure for how it is counted."
    )
    db = session.db()
    span = stored_metrics.span(db=db)
    if span is None:
        st.info("No post-mortems yet: the figures appear here once there are some to count.")
        st.page_link(nav.page("home"), label="Go to the list of post-mortems", icon=":material/home:")
        return
    today, country = _today(), config.holiday_country()
    quarters = _choose_quarters(*span, today)
    with st.spinner("Adding up the archive…"):
        version = (str(config.db_path()), *stored_metrics.version(db=db))
        d, charts = _figures(db, version, metrics.lookback_start(quarters), tuple(quarters), today, country)
    if d.empty_quarters:
        st.caption("No post-mortems in " + ", ".join(str(q) for q in d.empty_quarters) + ".")
    _headline(d, country)
    _sections(d, charts, country)
