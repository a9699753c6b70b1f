"""The Regulatory report step: the chosen regime's fields, each the author's answer or a pre-fill of the
same meaning (shown with its source, and overridden by typing an answer), and the required ones still empty."""

from __future__ import annotations

from typing import Any

import streamlit as st

import storage
from components import fields, session
from postmortem.models import ContactKind, PostMortem
from postmortem.regimes import Filled, Regime, chosen, fill, missing_required, regimes

_STAGE_LABELS = {
    "initial_notification": "Initial notification",
    "intermediate_report": "Intermediate report",
    "final_report": "Final report",
}
_SECTIONS = {
    "general": "About the entity",
    "initial_notification": "Initial notification",
    "intermediate_report": "Intermediate report",
    "final_report": "Final report",
}
_YES_NO = {"": None, "yes": True, "no": False}


_LONG_WORDS = (
    "Description",
    "Information",
    "information",
    "Contextual",
    "Threats",
    "Indicators",
    "Assessment",
    "Other relevant",
)


def _is_long(label: str) -> bool:
    """Fields that ask for an account, not a name, code or address, get a text area."""
    return any(word in label for word in _LONG_WORDS)


def _with_answer(doc: PostMortem, code: str, value: Any) -> PostMortem:
    reg = doc.impact.regulatory
    answers = {k: v for k, v in reg.answers.items() if k != code}
    if value not in (None, "", []):
        answers[code] = value
    regulatory = reg.model_copy(update={"answers": answers})
    return doc.model_copy(update={"impact": doc.impact.model_copy(update={"regulatory": regulatory})})


def _save(doc_id: int, code: str, key: str, convert) -> None:
    value = convert(st.session_state[key])
    session.commit(doc_id, f"Regulatory {code}", lambda doc: _with_answer(doc, code, value))


def _stage_label(stage: str) -> str:
    return _STAGE_LABELS.get(stage, stage.replace("_", " ").capitalize())


def _choose(stored: storage.Stored) -> None:
    options = [""] + list(regimes())
    fields.selectbox(
        stored,
        "impact.regulatory.regime",
        "Regime",
        options=options,
        format_func=lambda k: regimes()[k].name if k else "Choose a regime",
    )
    regime = chosen(stored.doc)
    if regime is not None:
        stages = [""] + [s for s in regime.stages]
        if stored.doc.impact.regulatory.stage not in stages:  # a stage of the regime chosen before
            stages.append(stored.doc.impact.regulatory.stage)
        fields.selectbox(
            stored,
            "impact.regulatory.stage",
            "Report",
            options=stages,
            format_func=lambda k: _stage_label(k) if k else "Choose which report",
        )


def _widget(stored: storage.Stored, item: Filled, disabled: bool) -> None:
    f, answers = item.field, stored.doc.impact.regulatory.answers
    key = session.widget_key(stored.id, f"regulatory:{f.code}")
    label = f"{f.code} {f.label}" + (" (required)" if f.required else "")
    shown = answers.get(f.code, item.value if item.value is not None else "")
    args = dict(key=key, disabled=disabled, help=f.help or None)
    if f.type == "bool":
        st.session_state.setdefault(key, {True: "yes", False: "no"}.get(shown, ""))
        st.selectbox(
            label, list(_YES_NO), on_change=_save, args=(stored.id, f.code, key, _YES_NO.get), **args
        )
    elif f.type == "multichoice":
        st.session_state.setdefault(key, [c for c in (shown or []) if c in f.choices])
        st.multiselect(label, list(f.choices), on_change=_save, args=(stored.id, f.code, key, list), **args)
    elif f.type in ("choice", "contact"):
        options = [""] + (
            list(f.choices)
            if f.type == "choice"
            else [c.id for c in stored.doc.contacts if c.kind is ContactKind.PERSON]
        )
        names = {c.id: f"{c.name} ({c.role})" for c in stored.doc.contacts}
        st.session_state.setdefault(key, shown if shown in options else "")
        st.selectbox(
            label,
            options,
            format_func=lambda o: names.get(o, o) or "–",
            on_change=_save,
            args=(stored.id, f.code, key, str),
            **args,
        )
    else:
        st.session_state.setdefault(key, str(shown))
        widget = st.text_area if f.type == "text" and _is_long(f.label) else st.text_input
        widget(label, on_change=_save, args=(stored.id, f.code, key, str.strip), **args)
    if item.origin.startswith("pre-filled"):
        st.caption(
            f":material/link: {item.origin[:1].upper()}{item.origin[1:]}. Type an answer to replace it."
        )
    if item.problem:
        st.error(item.problem, icon=":material/error:")
    fields.show_errors(stored.id, f"Regulatory {f.code}")


def _form(stored: storage.Stored, regime: Regime) -> None:
    disabled = session.read_only(stored)
    by_section: dict[str, list[Filled]] = {}
    for item in fill(stored.doc, regime):
        by_section.setdefault(item.field.stage, []).append(item)
    for section, items in by_section.items():
        with st.expander(_SECTIONS.get(section, section), expanded=section == "general"):
            for item in items:
                _widget(stored, item, disabled)


def show(stored: storage.Stored) -> None:
    reg = stored.doc.impact.regulatory
    if not reg.reportable:
        st.info(
            "This post-mortem is not marked reportable to a regulator. Mark it on the Impact step to fill "
            "a regulatory report here.",
            icon=":material/info:",
        )
        return
    _choose(stored)
    regime = chosen(stored.doc)
    if regime is None:
        return
    stage = reg.stage if reg.stage in regime.stages else regime.stages[-1]
    missing = missing_required(stored.doc, regime, stage)
    if missing:
        st.warning(
            f"Required for the {_stage_label(stage).lower()} and still empty: "
            + ", ".join(f.code for f in missing)
            + ".",
            icon=":material/checklist:",
        )
    else:
        st.success("Every required field of this report is filled.", icon=":material/check_circle:")
    _form(stored, regime)
