"""Regulatory reports as data: one TOML file per regime (postmortem/rules/regimes), its fields filled
from the author's answers or, where a post-mortem value means exactly the same, pre-filled from it.

Nothing is guessed from a field with another meaning: what is neither answered nor pre-filled is missing.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from postmortem.models import ContactKind, PostMortem
from postmortem.timeline import anchored_values, spans

RULES = Path(__file__).parent / "rules" / "regimes"
TYPES = (
    "text",
    "datetime",
    "integer",
    "percent",
    "amount",
    "duration",
    "bool",
    "choice",
    "multichoice",
    "contact",
)


@dataclass(frozen=True)
class RegimeField:
    code: str
    label: str
    type: str
    stage: str
    required: bool
    source: str
    prefill: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Regime:
    key: str
    name: str
    stages: tuple[str, ...]
    fields: tuple[RegimeField, ...]

    def required_for(self, stage: str) -> list[RegimeField]:
        """Required fields of the general part and of every stage up to `stage`."""
        upto = self.stages[: self.stages.index(stage) + 1] if stage in self.stages else self.stages[:1]
        return [f for f in self.fields if f.required and (f.stage == "general" or f.stage in upto)]


@functools.cache
def regimes() -> dict[str, Regime]:
    """Every regime Debrief knows, by key, read once from its TOML file."""
    found = {}
    for path in sorted(RULES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        fields = tuple(RegimeField(**{**f, "choices": tuple(f.get("choices", ()))}) for f in data["fields"])
        found[data["regime"]["key"]] = Regime(
            data["regime"]["key"], data["regime"]["name"], tuple(data["regime"]["stages"]), fields
        )
    return found


def _dhm(value: timedelta | None) -> str | None:
    """A duration as DD:HH:MM, the template's format."""
    if value is None:
        return None
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 1440:02d}:{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _iso(value: object) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else None


def _data_losses(doc: PostMortem) -> str | None:
    return {False: "No data was lost.", True: None, None: None}[doc.impact.data_lost]


# Post-mortem values with exactly the meaning of a regime field: (what the author sees as the source, value).
PREFILL: dict[str, tuple[str, Callable[[PostMortem], Any]]] = {
    "submission_type": ("the stage chosen above", lambda d: d.impact.regulatory.stage or None),
    "incident_id": ("Header › Incident ID", lambda d: d.header.incident_id),
    "detected_at": ("Key times › Detected", lambda d: _iso(anchored_values(d).get("detected_at"))),
    "started_at": (
        "Key times › Incident began (trigger)",
        lambda d: _iso(anchored_values(d).get("started_at")),
    ),
    "impact_ended_at": (
        "Key times › Customer impact ended",
        lambda d: _iso(anchored_values(d).get("impact_ended_at")),
    ),
    "resolved_at": ("Key times › Fully resolved", lambda d: _iso(anchored_values(d).get("resolved_at"))),
    "summary": ("Summary", lambda d: d.summary or None),
    "customers_affected": ("Impact › Customers affected", lambda d: d.impact.customers_affected),
    "incident_duration": ("Key times: incident began to fully resolved", lambda d: _dhm(spans(d).incident)),
    "downtime": ("Key times: service fully unavailable from/to", lambda d: _dhm(spans(d).downtime)),
    "data_losses": ("Impact › Was any data lost? (answered no)", _data_losses),
    "root_cause": ("Root cause › Statement", lambda d: d.root_cause.statement or None),
    "resolution": ("Summary › Resolution", lambda d: d.resolution or None),
}


@dataclass(frozen=True)
class Filled:
    field: RegimeField
    value: Any  # as the JSON carries it: str, int, float, bool, list, ISO time, DD:HH:MM; None when missing
    origin: str  # "answered", "pre-filled from …" or "" when missing
    problem: str = ""  # why an answer could not be read as the field's type


def fill(doc: PostMortem, regime: Regime) -> list[Filled]:
    """Every field of the regime with its value: the author's answer first, else the same-meaning pre-fill."""
    answers = doc.impact.regulatory.answers
    out = []
    for f in regime.fields:
        if f.code in answers and answers[f.code] not in ("", []):
            try:
                out.append(Filled(f, typed(f, answers[f.code], doc), "answered"))
            except ValueError as error:
                out.append(Filled(f, None, "answered", str(error)))
            continue
        label, get = PREFILL.get(f.prefill, ("", lambda d: None))
        value = get(doc)
        out.append(Filled(f, value, f"pre-filled from {label}" if value is not None else ""))
    return out


def typed(f: RegimeField, raw: Any, doc: PostMortem) -> Any:
    """An answer as the field's type, or ValueError with what to write instead."""
    if f.type in ("bool",):
        return bool(raw)
    if f.type == "multichoice":
        return list(raw) if isinstance(raw, list) else [s.strip() for s in str(raw).split(";") if s.strip()]
    text = str(raw).strip()
    if f.type == "integer":
        if not re.fullmatch(r"\d[\d,]*", text):
            raise ValueError(f"{f.code} {f.label}: write a whole number, such as 1200.")
        return int(text.replace(",", ""))
    if f.type in ("percent", "amount"):
        try:
            return float(Decimal(text.replace(",", "")))
        except InvalidOperation:
            raise ValueError(f"{f.code} {f.label}: write a number, such as 12.5.") from None
    if f.type == "datetime":
        try:
            return _iso(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            raise ValueError(f"{f.code} {f.label}: write a UTC time such as 2026-03-10T14:02Z.") from None
    if f.type == "duration" and not re.fullmatch(r"\d{2,}:\d{2}:\d{2}", text):
        raise ValueError(f"{f.code} {f.label}: write DD:HH:MM, such as 00:02:57.")
    if f.type == "choice" and f.choices and text not in f.choices:
        raise ValueError(f"{f.code} {f.label}: choose one of {', '.join(f.choices)}.")
    if f.type == "contact":
        return _contact_name(doc, text)
    return text


def _contact_name(doc: PostMortem, contact_id: str) -> str:
    for c in doc.contacts:
        if c.id == contact_id and c.kind is ContactKind.PERSON:
            return c.name
    raise ValueError("The contact chosen is no longer in the contacts table: choose another.")


def missing_required(doc: PostMortem, regime: Regime, stage: str | None = None) -> list[RegimeField]:
    """Required fields of the stage (the document's own stage unless given) that are still empty or unreadable."""
    stage = stage or doc.impact.regulatory.stage
    stage = stage if stage in regime.stages else regime.stages[-1]
    required = {f.code for f in regime.required_for(stage)}
    return [x.field for x in fill(doc, regime) if x.field.code in required and (x.value is None or x.problem)]


def chosen(doc: PostMortem) -> Regime | None:
    """The regime the author picked for this post-mortem's regulatory report, if it is reportable."""
    reg = doc.impact.regulatory
    return regimes().get(reg.regime) if reg.reportable and reg.regime else None
