"""The learning dashboard's charts (Altair specs built from postmortem.metrics figures; no Streamlit).

Every chart keeps all chosen quarters on its x axis, writes a short grey note where a quarter has
nothing to show (so an empty quarter never reads as 0 %), and draws targets as quiet dashed lines.
"""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd

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
    Median,
    Rate,
    on_time_rate,
)
from postmortem.timeline import DURATIONS, format_duration

SEVERITY_COLOURS = ["#7f2704", "#c2410c", "#f08c3c", "#fbc58b", "#9ecae1", "#c7d7e8"]
TARGET_COLOUR = "#6b7280"
NOTE_COLOUR = "#9ca3af"
HEIGHT = 260


def _x(quarters: list[str]) -> alt.X:
    return alt.X("quarter:N", title=None, sort=quarters, scale=alt.Scale(domain=quarters),
                 axis=alt.Axis(labelAngle=0))


def _percent(title: str) -> alt.Y:
    return alt.Y("rate:Q", title=title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))


def _notes(notes: dict[str, str], quarters: list[str]) -> alt.Chart:
    """Grey words on the x axis of the quarters that have no bar, saying why."""
    rows = pd.DataFrame([{"quarter": q, "note": text} for q, text in notes.items()], columns=["quarter", "note"])
    return alt.Chart(rows).mark_text(color=NOTE_COLOUR, baseline="bottom", dy=-4, fontSize=12).encode(
        x=_x(quarters), y=alt.datum(0), text="note:N")


def _target(value: float, label: str) -> alt.LayerChart:
    rule = pd.DataFrame([{"target": value, "label": label}])
    line = alt.Chart(rule).mark_rule(color=TARGET_COLOUR, strokeDash=[5, 4]).encode(
        y="target:Q", tooltip=[alt.Tooltip("label:N", title="Target")])
    text = alt.Chart(rule).mark_text(color=TARGET_COLOUR, align="left", baseline="bottom", dx=4, dy=-2,
                                     fontSize=11).encode(y="target:Q", x=alt.value(0), text="label:N")
    return line + text


def _severity_colour() -> alt.Color:
    return alt.Color("severity:N", title="Severity", sort=SEVERITIES,
                     scale=alt.Scale(domain=SEVERITIES, range=SEVERITY_COLOURS))


def _quarters(d: Dashboard) -> list[str]:
    return [str(q) for q in d.quarters]


def _rate_row(quarter: str, series: str, rate: Rate) -> dict:
    return {"quarter": quarter, "series": series, "rate": rate.value, "hits": rate.hits, "total": rate.total}


# --- the charts ---------------------------------------------------------------------------------


def severity_chart(d: Dashboard) -> alt.LayerChart:
    """Stacked bars: post-mortems per quarter, by severity."""
    quarters = _quarters(d)
    rows = pd.DataFrame([{"quarter": str(f.quarter), "severity": s, "order": SEVERITIES.index(s), "count": n}
                         for f in d.per_quarter for s, n in f.severities.items()],
                        columns=["quarter", "severity", "order", "count"])
    bars = alt.Chart(rows).mark_bar().encode(
        x=_x(quarters), y=alt.Y("count:Q", title="Post-mortems"), color=_severity_colour(),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("quarter:N", title="Quarter"), alt.Tooltip("severity:N", title="Severity"),
                 alt.Tooltip("count:Q", title="Post-mortems")])
    notes = {str(q): "no post-mortems" for q in d.empty_quarters}
    return (bars + _notes(notes, quarters)).properties(height=HEIGHT)


def deadline_chart(d: Dashboard) -> alt.LayerChart:
    """Bars per quarter and severity: the share published on time, among those due by now."""
    quarters, rows, notes = _quarters(d), [], {}
    for f in d.per_quarter:
        for severity, outcomes in sorted(f.deadlines.items(), key=lambda kv: SEVERITIES.index(kv[0])):
            rate = on_time_rate(outcomes)
            if rate.total:
                rows.append({"quarter": str(f.quarter), "severity": severity, "rate": rate.value,
                             "on_time": outcomes[ON_TIME], "late": outcomes[LATE], "overdue": outcomes[OVERDUE],
                             "pending": outcomes[PENDING]})
        if not f.on_time.total:
            pending = sum(o[PENDING] for o in f.deadlines.values())
            notes[str(f.quarter)] = "deadlines still ahead" if pending else "none with a deadline"
    data = pd.DataFrame(rows, columns=["quarter", "severity", "rate", "on_time", "late", "overdue", "pending"])
    bars = alt.Chart(data).mark_bar().encode(
        x=_x(quarters), xOffset=alt.XOffset("severity:N", sort=SEVERITIES), y=_percent("Published on time"),
        color=_severity_colour(),
        tooltip=[alt.Tooltip("quarter:N", title="Quarter"), alt.Tooltip("severity:N", title="Severity"),
                 alt.Tooltip("rate:Q", title="On time", format=".0%"),
                 alt.Tooltip("on_time:Q", title="Published on time"), alt.Tooltip("late:Q", title="Published late"),
                 alt.Tooltip("overdue:Q", title="Not published, deadline passed"),
                 alt.Tooltip("pending:Q", title="Deadline still ahead (not counted)")])
    return (bars + _target(1.0, "target: every one") + _notes(notes, quarters)).properties(height=HEIGHT)


def _series_chart(rows: list[dict], quarters: list[str], title: str, colours: dict[str, str],
                  what: str) -> alt.Chart:
    data = pd.DataFrame([r for r in rows if r["total"]], columns=["quarter", "series", "rate", "hits", "total"])
    return alt.Chart(data).mark_bar().encode(
        x=_x(quarters), xOffset=alt.XOffset("series:N", sort=list(colours)), y=_percent(title),
        color=alt.Color("series:N", title=None, sort=list(colours),
                        scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                        legend=alt.Legend(orient="bottom") if len(colours) > 1 else None),
        tooltip=[alt.Tooltip("quarter:N", title="Quarter"), alt.Tooltip("series:N", title="Figure"),
                 alt.Tooltip("rate:Q", title="Share", format=".0%"), alt.Tooltip("hits:Q", title="Counted"),
                 alt.Tooltip("total:Q", title=f"Out of ({what})")])


def items_chart(d: Dashboard) -> alt.LayerChart:
    """Bars per quarter: action items done within 30 and 90 days of the close, with both targets."""
    quarters = _quarters(d)
    colours = {f"done within {days} days": colour for days, colour in zip(DONE_TARGETS, ("#60a5fa", "#1d4ed8"))}
    rows, notes = [], {}
    for f in d.per_quarter:
        rows += [_rate_row(str(f.quarter), f"done within {days} days", f.items.done[days]) for days in DONE_TARGETS]
        if not any(f.items.done[days].total for days in DONE_TARGETS):
            notes[str(f.quarter)] = "too early to tell" if f.items.cancelled.total else "no action items"
    chart = _series_chart(rows, quarters, "Action items done", colours, "items not cancelled")
    targets = [_target(share, f"{days} days: {share:.0%}") for days, share in DONE_TARGETS.items()]
    return alt.layer(chart, *targets, _notes(notes, quarters)).properties(height=HEIGHT)


def cancelled_chart(d: Dashboard) -> alt.LayerChart:
    """Bars per quarter: the share of action items cancelled, under its limit."""
    quarters = _quarters(d)
    rows = [_rate_row(str(f.quarter), "cancelled", f.items.cancelled) for f in d.per_quarter]
    notes = {str(f.quarter): "no action items" for f in d.per_quarter if not f.items.cancelled.total}
    chart = _series_chart(rows, quarters, "Action items cancelled", {"cancelled": "#a78bfa"}, "all items")
    return (chart + _target(CANCELLED_TARGET, f"stay below {CANCELLED_TARGET:.0%}") + _notes(notes, quarters)
            ).properties(height=HEIGHT)


def quality_chart(d: Dashboard) -> alt.LayerChart:
    """Bars per quarter: Allspaw test passed, at least one and at least three things that went well."""
    quarters = _quarters(d)
    colours = {"Allspaw test passed": "#0f766e", "1 or more went well": "#34d399", "3 or more went well": "#a7f3d0"}
    rows, notes = [], {}
    for f in d.per_quarter:
        q = f.quality
        rows += [_rate_row(str(f.quarter), name, rate)
                 for name, rate in zip(colours, (q.allspaw, q.went_well_1, q.went_well_3), strict=True)]
        if not q.allspaw.total:
            notes[str(f.quarter)] = "none signed off yet" if f.count else "no post-mortems"
    chart = _series_chart(rows, quarters, "Signed-off post-mortems", colours, "signed off")
    return (chart + _target(1.0, "target: every one") + _notes(notes, quarters)).properties(height=HEIGHT)


def recurrence_chart(d: Dashboard) -> alt.LayerChart:
    """Bars per quarter: the share of post-mortems whose failure class came back within 90 days."""
    quarters = _quarters(d)
    rows = [_rate_row(str(f.quarter), "recurring", f.recurrence) for f in d.per_quarter]
    notes = {str(f.quarter): "no failure class named" if f.count else "no post-mortems"
             for f in d.per_quarter if not f.recurrence.total}
    chart = _series_chart(rows, quarters, "Recurring within 90 days", {"recurring": "#f59e0b"},
                          "with a failure class and a service")
    return (chart + _notes(notes, quarters)).properties(height=HEIGHT)


def duration_chart(d: Dashboard, measure: str) -> alt.LayerChart:
    """Bars per severity: the median of one duration over the chosen quarters, with its Sev1 target."""
    name = MEASURES[measure]
    medians: dict[str, Median] = {s: m for (s, key), m in d.medians.items() if key == measure}
    rows = pd.DataFrame([{"severity": s, "minutes": m.minutes, "count": m.count, "label": format_duration(timedelta(minutes=m.minutes))}
                         for s, m in medians.items()], columns=["severity", "minutes", "count", "label"])
    bars = alt.Chart(rows).mark_bar().encode(
        x=alt.X("severity:N", title=None, sort=SEVERITIES, axis=alt.Axis(labelAngle=-40, labelOverlap=False)),
        y=alt.Y("minutes:Q", title="Median minutes"), color=_severity_colour().legend(None),
        tooltip=[alt.Tooltip("severity:N", title="Severity"), alt.Tooltip("label:N", title=f"Median {name.lower()}"),
                 alt.Tooltip("count:Q", title="Post-mortems with both key times")])
    target = next(t.target for t in DURATIONS if t.name == name)
    chart = bars if target is None else bars + _target(target.total_seconds() / 60, "Sev1 target")
    return chart.properties(height=200, title=name)



def specs(d: Dashboard) -> dict[str, dict]:
    """Every chart as a Vega-Lite spec, built once per archive version (see components/learning.py):
    building and validating nine Altair charts takes about a second, far too long for every rerun."""
    charts = {"severity": severity_chart(d), "deadline": deadline_chart(d), "items": items_chart(d),
              "cancelled": cancelled_chart(d), "quality": quality_chart(d), "recurrence": recurrence_chart(d),
              **{measure: duration_chart(d, measure) for measure in MEASURES}}
    return {name: spec(chart) for name, chart in charts.items()}


def spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite dict, without the size defaults of Altair's theme (Streamlit sizes charts).
    Tests validate every spec against the schema; at run time validation is skipped for speed."""
    data = chart.to_dict(validate=False)
    data.pop("config", None)
    return data
