"""Widgets bound to one field of the open document: drawn from it, saved to it on every change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import storage
from components import autosave, findings, markdown_view, session, toasts
from postmortem.edit import get_path, with_value


def _identity(value: Any) -> Any:
    return value


def _save_field(doc_id: int, path: str, key: str, label: str, from_widget: Callable[[Any], Any]) -> None:
    value = from_widget(st.session_state[key])
    session.commit(
        doc_id, label, lambda doc: with_value(doc, path, value), shown_value=_shown(value), path=path
    )


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def show_errors(doc_id: int, label: str) -> None:
    for line in session.errors_for(doc_id, label):
        st.error(line, icon=":material/error:")


def bind(
    widget: Callable[..., Any],
    stored: storage.Stored,
    path: str,
    label: str,
    *,
    to_widget: Callable[[Any], Any] = _identity,
    from_widget: Callable[[Any], Any] = _identity,
    **kwargs: Any,
) -> Any:
    """Draw `widget` for the field at `path`; each change is validated and saved at once."""
    key = session.widget_key(stored.id, path)
    if key not in st.session_state:
        st.session_state[key] = to_widget(get_path(stored.doc, path))
    kwargs.setdefault("disabled", session.read_only(stored))  # final, published, or not this user's to change
    value = widget(
        label, key=key, on_change=_save_field, args=(stored.id, path, key, label, from_widget), **kwargs
    )
    show_errors(stored.id, label)
    findings.show(stored, path)
    return value


def text_area(stored: storage.Stored, path: str, label: str, **kwargs: Any) -> str:
    """A narrative field in a fragment of its own: saving it (on leaving it, or a second after the last
    key) redraws the field, its preview and its language findings, not the whole step."""
    return st.fragment(_narrative_fragment)(stored.id, path, label, kwargs)


def _narrative_fragment(doc_id: int, path: str, label: str, kwargs: dict[str, Any]) -> str:
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.fragment_ids_this_run and session.whole_page_changed(doc_id):
        toasts.rerun_whole_page()  # the sidebar's marks or a conflict banner must be drawn again
    stored = session.latest(doc_id)
    if stored is None:
        toasts.rerun_whole_page()
    value = _narrative(stored, path, label, **kwargs)
    toasts.forget()
    return value


def _narrative(stored: storage.Stored, path: str, label: str, **kwargs: Any) -> str:
    value = bind(st.text_area, stored, path, label, to_widget=lambda v: v or "", **kwargs)
    if not kwargs.get("disabled") and not session.read_only(stored):  # narrative text saves while typing
        autosave.watch(
            stored.id,
            stored.version,
            path,
            label,
            session.widget_key(stored.id, path),
            get_path(stored.doc, path) or "",
        )
    return markdown_view.under_field(value, key=session.widget_key(stored.id, path))


def text_input(stored: storage.Stored, path: str, label: str, **kwargs: Any) -> str:
    return bind(st.text_input, stored, path, label, to_widget=lambda v: v or "", **kwargs)


def selectbox(stored: storage.Stored, path: str, label: str, options: list[str], **kwargs: Any) -> str | None:
    return bind(st.selectbox, stored, path, label, options=options, **kwargs)


def tags(
    stored: storage.Stored, path: str, label: str, suggestions: list[str] = (), **kwargs: Any
) -> list[str]:
    """A multiselect that also takes new entries: services, tags, segments, teams."""
    current = get_path(stored.doc, path) or []
    options = sorted(set(suggestions) | set(current))
    return bind(st.multiselect, stored, path, label, options=options, accept_new_options=True, **kwargs)


def _to_local_naive(value: str | None) -> datetime | None:
    # The widget has no time zone; the wizard works in UTC throughout and says so in the label.
    return datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None) if value else None


def _from_widget_utc(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat() if value else None


def utc_datetime(stored: storage.Stored, path: str, label: str, **kwargs: Any) -> datetime | None:
    return bind(
        st.datetime_input,
        stored,
        path,
        f"{label} (UTC)",
        to_widget=_to_local_naive,
        from_widget=_from_widget_utc,
        format="YYYY-MM-DD",
        step=60,
        **kwargs,
    )


def number(stored: storage.Stored, path: str, label: str, **kwargs: Any) -> float | None:
    return bind(st.number_input, stored, path, label, **kwargs)


def checkbox(stored: storage.Stored, path: str, label: str, **kwargs: Any) -> bool:
    return bind(st.checkbox, stored, path, label, **kwargs)
