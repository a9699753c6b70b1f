"""Blameless-language findings beside the fields they are in, each dismissable with a reason.

Checks run once per stored version of a document (cached in the session), so a rerun that does not
save costs a dictionary lookup; `show(stored, path)` draws the findings of one field or table.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime

import streamlit as st

import storage
from components import config, icons, session
from exports.escape import md_inline
from postmortem import language
from postmortem.models import DismissedFinding, PostMortem

# A version's findings are the same for every session, so one small cache serves them all.
_CACHE: OrderedDict[tuple[str, int, int], list[language.Finding]] = OrderedDict()
_CACHE_SIZE = 64


def all_findings(stored: storage.Stored) -> list[language.Finding]:
    """Every language finding of this version of the document, checked once per version."""
    key = (str(config.db_path()), stored.id, stored.version)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = language.check(stored.doc)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


def dismissals(doc: PostMortem) -> dict[str, DismissedFinding]:
    return {d.key: d for d in doc.dismissed_findings}


def open_findings(stored: storage.Stored) -> list[language.Finding]:
    dismissed = dismissals(stored.doc)
    return [f for f in all_findings(stored) if f.key not in dismissed]


def _in(path: str, finding: language.Finding, prefix: bool) -> bool:
    return finding.path.startswith(path + ".") if prefix else finding.path == path


def _where(finding: language.Finding, path: str) -> str:
    rest = finding.path[len(path) + 1 :]
    row = rest.split(".")[0]
    return f"row {int(row) + 1} · " if row.isdigit() else ""


def label(finding: language.Finding) -> str:
    """Markdown-safe: the matched words are user text."""
    return f"{language.CATEGORY_TITLES[finding.category]}: “{md_inline(finding.text)}”"


def severity(finding: language.Finding) -> tuple[str, str]:
    """(icon, word): a blocking finding holds back Final; a suggestion is the check being unsure."""
    return (icons.BLOCKS, "Blocks Final") if finding.blocking else (icons.SUGGESTION, "Suggestion")


def _dismiss(doc_id: int, finding: language.Finding, reason_key: str) -> None:
    reason = st.session_state.get(reason_key, "").strip()
    if not reason:
        st.session_state[f"{reason_key}:empty"] = True
        return
    record = DismissedFinding(
        key=finding.key,
        rule=finding.rule,
        text=finding.text[:500],
        reason=reason,
        by=session.user(),
        at=datetime.now(UTC),
    )

    def change(doc: PostMortem) -> PostMortem:
        kept = [d for d in doc.dismissed_findings if d.key != finding.key]
        return doc.model_copy(update={"dismissed_findings": [*kept, record]})

    session.commit(doc_id, "Dismiss finding", change, shown_value=reason)


def _restore(doc_id: int, key: str) -> None:
    session.commit(
        doc_id,
        "Restore finding",
        lambda doc: doc.model_copy(
            update={"dismissed_findings": [d for d in doc.dismissed_findings if d.key != key]}
        ),
    )


INLINE_LIMIT = 3  # beside a field; a long table's findings all appear on Review, and reruns stay quick


def show(stored: storage.Stored, path: str, *, prefix: bool = False) -> None:
    """The open findings of the field at `path` (or of every row under it), each with a rewrite."""
    found = [f for f in all_findings(stored) if _in(path, f, prefix)]
    if not found:
        return
    dismissed = dismissals(stored.doc)
    open_findings = [f for f in found if f.key not in dismissed]
    # Sure findings first: they are the ones that hold back Final.
    open_findings.sort(key=lambda f: not f.blocking)
    for n, finding in enumerate(open_findings[:INLINE_LIMIT]):
        icon, word = severity(finding)
        with st.container(border=True):
            st.markdown(
                f":material/warning: {_where(finding, path)}**{label(finding)}** · {icon} *{word}*  \n{finding.why}  \n"
                f"*Try:* {finding.rewrite}"
            )
            _dismiss_form(stored, finding, f"{path}:{n}")
    if len(open_findings) > INLINE_LIMIT:
        st.caption(f"{len(open_findings) - INLINE_LIMIT} more here: the Review step lists them all.")
    kept = [dismissed[f.key] for f in found if f.key in dismissed]
    if kept:
        st.caption(
            "Kept on purpose: " + "; ".join(f"“{md_inline(d.text)}” ({md_inline(d.reason)})" for d in kept)
        )


def _dismiss_form(stored: storage.Stored, finding: language.Finding, suffix: str) -> None:
    reason_key = session.widget_key(stored.id, f"dismiss:{suffix}:{finding.key}")
    with st.popover("Keep it and say why"):
        st.text_input(
            "Reason (reviewers see it)",
            key=reason_key,
            placeholder="e.g. quoted from the customer's complaint",
        )
        st.button(
            "Dismiss finding",
            key=f"{reason_key}:go",
            on_click=_dismiss,
            args=(stored.id, finding, reason_key),
        )
        if st.session_state.pop(f"{reason_key}:empty", False):
            st.error("Write a reason first: reviewers read it.", icon=icons.BLOCKS)
