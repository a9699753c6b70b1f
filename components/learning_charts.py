"""The learning dashboard's charts: Altair specs over postmortem.metrics figures (no Streamlit).

Every chart keeps all chosen quarters on its x axis (quarter labels such as "2026 Q1" sort in time
order), writes a short grey note where a quarter has nothing to show (so an empty quarter never reads
as 0 %), and draws targets as quiet dashed lines.

Building and validating an Altair chart takes about a tenth of a second, too slow for nine charts
on every change of the archive. So each chart's shape is built once per process, reading named data
("bars", "notes"), and `specs(d)` only fills in the rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from functools import cache

import altair as alt

from postmortem.metrics import (
    CANCELLED_TARGET,
    DONE_TARGETS,
    LATE,
    MEASURES,
    ON_TIME,
    OVERDUE,
    PENDING,
    SEVERITIES,
    Dashboard,
    Rate,
    on_time_rate,
)
from postmortem.timeline import DURATIONS, format_duration

SEVERITY_COLOURS = ["#7f2704", "#c2410c", "#f08c3c", "#fbc58b", "#9ecae1", "#c7d7e8"]
TARGET_COLOUR = "#6b7280"
NOTE_COLOUR = "#9ca3af"
HEIGHT = 260
BARS, NOTES = alt.Data(name="bars"), alt.Data(name="notes")
DONE_SERIES = {
    f"done within {days} days": colour
    for days, colour in zip(DONE_TARGETS, ("#60a5fa", "#1d4ed8"), strict=False)
}
QUALITY_SERIES = {
    "Allspaw test passed": "#0f766e",
    "1 or more went well": "#34d399",
    "3 or more went well": "#a7f3d0",
}


# --- shared pieces ----------------------------------------------------------------------------------


def _x() -> alt.X:
    return alt.X("quarter:N", title=None, sort="ascending", axis=alt.Axis(labelAngle=0))


def _percent(title: str) -> alt.Y:
    return alt.Y("rate:Q", title=title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))


def _notes() -> alt.Chart:
    """Grey words on the x axis of the quarters that have no bar, saying why."""
    return (
        alt.Chart(NOTES)
        .mark_text(color=NOTE_COLOUR, baseline="bottom", dy=-4, fontSize=12)
        .encode(x=_x(), y=alt.datum(0), text="note:N")
    )


def _target(value: float, label: str) -> alt.LayerChart:
    rule = alt.Data(values=[{"target": value, "label": label}])
    line = (
        alt.Chart(rule)
        .mark_rule(color=TARGET_COLOUR, strokeDash=[5, 4])
        .encode(y="target:Q", tooltip=[alt.Tooltip("label:N", title="Target")])
    )
    text = (
        alt.Chart(rule)
        .mark_text(color=TARGET_COLOUR, align="left", baseline="bottom", dx=4, dy=-2, fontSize=11)
        .encode(y="target:Q", x=alt.value(0), text="label:N")
    )
    return line + text


def _severity_colour() -> alt.Color:
    return alt.Color(
        "severity:N",
        title="Severity",
        sort=SEVERITIES,
        scale=alt.Scale(domain=SEVERITIES, range=SEVERITY_COLOURS),
    )


def _labels(offset: str, sort: list[str]) -> alt.Chart:
    """Each bar's share written above it, so a 0 % bar (no height) is still seen."""
    return (
        alt.Chart(BARS)
        .mark_text(baseline="bottom", dy=-2, fontSize=10, color="#4b5563")
        .encode(
            x=_x(),
            xOffset=alt.XOffset(f"{offset}:N", sort=sort),
            y="rate:Q",
            text=alt.Text("rate:Q", format=".0%"),
        )
    )


def _series(title: str, colours: dict[str, str], what: str) -> alt.LayerChart:
    """Bars per quarter, one per series side by side, each a share with its counts on hover."""
    bars = (
        alt.Chart(BARS)
        .mark_bar()
        .encode(
            x=_x(),
            xOffset=alt.XOffset("series:N", sort=list(colours)),
            y=_percent(title),
            color=alt.Color(
                "series:N",
                title=None,
                sort=list(colours),
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(orient="bottom") if len(colours) > 1 else None,
            ),
            tooltip=[
                alt.Tooltip("quarter:N", title="Quarter"),
                alt.Tooltip("series:N", title="Figure"),
                alt.Tooltip("rate:Q", title="Share", format=".0%"),
                alt.Tooltip("hits:Q", title="Counted"),
                alt.Tooltip("total:Q", title=f"Out of ({what})"),
            ],
        )
    )
    return bars + _labels("series", list(colours))


# --- the charts' shapes -----------------------------------------------------------------------------


def severity_chart() -> alt.LayerChart:
    """Stacked bars: post-mortems per quarter, by severity."""
    bars = (
        alt.Chart(BARS)
        .mark_bar()
        .encode(
            x=_x(),
            y=alt.Y("count:Q", title="Post-mortems"),
            color=_severity_colour(),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("quarter:N", title="Quarter"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("count:Q", title="Post-mortems"),
            ],
        )
    )
    return (bars + _notes()).properties(height=HEIGHT)


def deadline_chart() -> alt.LayerChart:
    """Bars per quarter and severity: the share published on time, among those due by now."""
    bars = (
        alt.Chart(BARS)
        .mark_bar()
        .encode(
            x=_x(),
            xOffset=alt.XOffset("severity:N", sort=SEVERITIES),
            y=_percent("Published on time"),
            color=_severity_colour(),
            tooltip=[
                alt.Tooltip("quarter:N", title="Quarter"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("rate:Q", title="On time", format=".0%"),
                alt.Tooltip("on_time:Q", title="Published on time"),
                alt.Tooltip("late:Q", title="Published late"),
                alt.Tooltip("overdue:Q", title="Not published, deadline passed"),
                alt.Tooltip("pending:Q", title="Deadline still ahead (not counted)"),
            ],
        )
    )
    return (bars + _labels("severity", SEVERITIES) + _target(1.0, "target: every one") + _notes()).properties(
        height=HEIGHT
    )


def items_chart() -> alt.LayerChart:
    """Bars per quarter: action items done within 30 and 90 days of the close, with both targets."""
    targets = [_target(share, f"{days} days: {share:.0%}") for days, share in DONE_TARGETS.items()]
    return alt.layer(
        _series("Action items done", DONE_SERIES, "items not cancelled"), *targets, _notes()
    ).properties(height=HEIGHT)


def cancelled_chart() -> alt.LayerChart:
    """Bars per quarter: the share of action items cancelled, under its limit."""
    return (
        _series("Action items cancelled", {"cancelled": "#a78bfa"}, "all items")
        + _target(CANCELLED_TARGET, f"stay below {CANCELLED_TARGET:.0%}")
        + _notes()
    ).properties(height=HEIGHT)


def quality_chart() -> alt.LayerChart:
    """Bars per quarter: Allspaw test passed, at least one and at least three things that went well."""
    return (
        _series("Signed-off post-mortems", QUALITY_SERIES, "signed off")
        + _target(1.0, "target: every one")
        + _notes()
    ).properties(height=HEIGHT)


def recurrence_chart() -> alt.LayerChart:
    """Bars per quarter: the share of post-mortems whose failure class came back within 90 days."""
    return (
        _series("Recurring within 90 days", {"recurring": "#f59e0b"}, "with a failure class and a service")
        + _notes()
    ).properties(height=HEIGHT)


def duration_chart(measure: str) -> alt.Chart | alt.LayerChart:
    """Bars per severity: the median of one duration over the chosen quarters, with its Sev1 target."""
    name = MEASURES[measure]
    bars = (
        alt.Chart(BARS)
        .mark_bar()
        .encode(
            x=alt.X(
                "severity:N", title=None, sort=SEVERITIES, axis=alt.Axis(labelAngle=-40, labelOverlap=False)
            ),
            y=alt.Y("minutes:Q", title="Median minutes"),
            color=_severity_colour().legend(None),
            tooltip=[
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("label:N", title=f"Median {name.lower()}"),
                alt.Tooltip("count:Q", title="Post-mortems with both key times"),
            ],
        )
    )
    target = next(t.target for t in DURATIONS if t.name == name)
    chart = bars if target is None else bars + _target(target.total_seconds() / 60, "Sev1 target")
    return chart.properties(height=200, title=name)


SHAPES: dict[str, Callable[[], alt.TopLevelMixin]] = {
    "severity": severity_chart,
    "deadline": deadline_chart,
    "items": items_chart,
    "cancelled": cancelled_chart,
    "quality": quality_chart,
    "recurrence": recurrence_chart,
    **{measure: (lambda m=measure: duration_chart(m)) for measure in MEASURES},
}


@cache
def _shape(name: str) -> str:
    # Kept as JSON text so every use parses a fresh copy to fill in.
    spec = SHAPES[name]().to_dict(validate=False)  # tests validate every shape against the schema
    spec.pop("config", None)  # the size defaults of Altair's theme: Streamlit sizes charts itself
    return json.dumps(spec)


# --- the rows -----------------------------------------------------------------------------------------

Rows = tuple[list[dict], list[dict]]  # (bars, notes)


def _rate_row(quarter: str, series: str, rate: Rate) -> dict:
    return {"quarter": quarter, "series": series, "rate": rate.value, "hits": rate.hits, "total": rate.total}


def _notes_rows(notes: dict[str, str]) -> list[dict]:
    return [{"quarter": quarter, "note": text} for quarter, text in notes.items()]


def severity_rows(d: Dashboard) -> Rows:
    bars = [
        {"quarter": str(f.quarter), "severity": s, "order": SEVERITIES.index(s), "count": n}
        for f in d.per_quarter
        for s, n in f.severities.items()
    ]
    return bars, _notes_rows({str(q): "no post-mortems" for q in d.empty_quarters})


def deadline_rows(d: Dashboard) -> Rows:
    bars, notes = [], {}
    for f in d.per_quarter:
        for severity, outcomes in f.deadlines.items():
            rate = on_time_rate(outcomes)
            if rate.total:
                bars.append(
                    {
                        "quarter": str(f.quarter),
                        "severity": severity,
                        "rate": rate.value,
                        "on_time": outcomes[ON_TIME],
                        "late": outcomes[LATE],
                        "overdue": outcomes[OVERDUE],
                        "pending": outcomes[PENDING],
                    }
                )
        if not f.on_time.total:
            pending = sum(o[PENDING] for o in f.deadlines.values())
            notes[str(f.quarter)] = "deadlines still ahead" if pending else "none with a deadline"
    return bars, _notes_rows(notes)


def items_rows(d: Dashboard) -> Rows:
    bars, notes = [], {}
    for f in d.per_quarter:
        bars += [
            _rate_row(str(f.quarter), series, f.items.done[days])
            for series, days in zip(DONE_SERIES, DONE_TARGETS, strict=True)
            if f.items.done[days].total
        ]
        if not any(f.items.done[days].total for days in DONE_TARGETS):
            notes[str(f.quarter)] = "too early to tell" if f.items.cancelled.total else "no action items"
    return bars, _notes_rows(notes)


def cancelled_rows(d: Dashboard) -> Rows:
    bars = [
        _rate_row(str(f.quarter), "cancelled", f.items.cancelled)
        for f in d.per_quarter
        if f.items.cancelled.total
    ]
    return bars, _notes_rows(
        {str(f.quarter): "no items" for f in d.per_quarter if not f.items.cancelled.total}
    )


def quality_rows(d: Dashboard) -> Rows:
    bars, notes = [], {}
    for f in d.per_quarter:
        q = f.quality
        if q.allspaw.total:  # one denominator for all three: the signed-off post-mortems
            bars += [
                _rate_row(str(f.quarter), name, rate)
                for name, rate in zip(QUALITY_SERIES, (q.allspaw, q.went_well_1, q.went_well_3), strict=True)
            ]
        else:
            notes[str(f.quarter)] = "none signed off yet" if f.count else "no post-mortems"
    return bars, _notes_rows(notes)


def recurrence_rows(d: Dashboard) -> Rows:
    bars = [_rate_row(str(f.quarter), "recurring", f.recurrence) for f in d.per_quarter if f.recurrence.total]
    notes = {
        str(f.quarter): "no failure class named" if f.count else "no post-mortems"
        for f in d.per_quarter
        if not f.recurrence.total
    }
    return bars, _notes_rows(notes)


def duration_rows(d: Dashboard, measure: str) -> Rows:
    bars = [
        {
            "severity": s,
            "minutes": m.minutes,
            "count": m.count,
            "label": format_duration(timedelta(minutes=m.minutes)),
        }
        for (s, key), m in d.medians.items()
        if key == measure
    ]
    return bars, []


ROWS: dict[str, Callable[[Dashboard], Rows]] = {
    "severity": severity_rows,
    "deadline": deadline_rows,
    "items": items_rows,
    "cancelled": cancelled_rows,
    "quality": quality_rows,
    "recurrence": recurrence_rows,
    **{measure: (lambda d, m=measure: duration_rows(d, m)) for measure in MEASURES},
}


def specs(d: Dashboard) -> dict[str, dict]:
    """Every chart as a Vega-Lite spec holding this dashboard's rows."""
    found = {}
    for name, rows in ROWS.items():
        spec = json.loads(_shape(name))
        bars, notes = rows(d)
        spec["datasets"] = {
            **spec.get("datasets", {}),
            "bars": bars,
            "notes": notes,
        }  # beside the target lines
        found[name] = spec
    return found
