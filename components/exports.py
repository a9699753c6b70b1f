"""The Export step's parts: rendered previews (cached per version), downloads, what each audience leaves out."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

import streamlit as st

import storage
from components import audience_texts, config, fields, icons, markdown_view, session
from components.audited_download import ExportOf, audited
from exports.escape import md_inline
from exports.public import INTERNAL_FIELD_CHOICES, missing_public_text
from exports.redact import PUBLIC_DOMAINS_ENV
from exports.regulator import AuditEntry, trail_from_revisions
from exports.render import ABOUT, AUDIENCES, FORMATS, MEDIA_TYPES, file_name, render, render_all
from exports.withheld import withheld
from postmortem.models import PostMortem
from storage import audit, blobs

FORMAT_LABELS = {
    "md": ("Markdown", ":material/description:"),
    "docx": ("Word", ":material/article:"),
    "json": ("JSON", ":material/data_object:"),
}


@st.cache_data(max_entries=64, show_spinner=False)
def _cached(
    db: str,
    doc_id: int,
    version: int,
    audience: str,
    fmt: str,
    _doc: PostMortem,
    _trail: tuple[AuditEntry, ...] = (),
    domains: tuple[str, ...] = (),
    country: str = "",
) -> bytes:
    return render(_doc, audience, fmt, country=country, trail=_trail, public_domains=domains)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_withheld(
    db: str, doc_id: int, version: int, audience: str, _doc: PostMortem, domains: tuple[str, ...] = ()
) -> list[str]:
    return withheld(_doc, audience, domains)


def trail(stored: storage.Stored) -> tuple[AuditEntry, ...]:
    """The saved versions of this post-mortem, for the regulator's audit trail."""
    return tuple(trail_from_revisions(storage.revisions(db=session.db(), doc_id=stored.id)))


def cached_render(stored: storage.Stored, audience: str, fmt: str) -> bytes:
    """render() for one stored version; (database, id, version) identifies the document, so it is not hashed."""
    history = trail(stored) if audience == "regulator" else ()
    return _cached(
        str(config.db_path()),
        stored.id,
        stored.version,
        audience,
        fmt,
        stored.doc,
        history,
        config.public_domains(),
        config.holiday_country(),
    )


def attached_files(doc: PostMortem, export: ExportOf) -> dict[str, bytes]:
    """The attached files' bytes by digest, for the exports (which are pure and read no database).
    Called on the worker thread that makes a download, so it opens its own connection."""
    if not doc.attachments:
        return {}
    with closing(export.connect()) as conn:
        return {
            a.digest: blobs.get(db=conn, doc_id=export.doc_id, digest=a.digest).data for a in doc.attachments
        }


def later(stored: storage.Stored, audience: str, fmt: str) -> Callable[[], bytes]:
    """Bytes made only when the button is pressed (a Word file per audience on every rerun would be
    waste), and the export's audit entry written as they are made."""
    export = ExportOf.current(stored)
    if fmt == "md":  # already rendered for the preview
        preview = cached_render(stored, audience, "md")
        return audited(lambda: preview, export, audience, fmt)
    doc, history, domains, country = (
        stored.doc,
        (trail(stored) if audience == "regulator" else ()),
        config.public_domains(),
        config.holiday_country(),
    )
    return audited(
        lambda: render(
            doc,
            audience,
            fmt,
            country=country,
            trail=history,
            public_domains=domains,
            blobs=attached_files(doc, export),
        ),
        export,
        audience,
        fmt,
    )


def internal_marks(stored: storage.Stored) -> None:
    """What the author keeps out of the public document: whole fields, and names to replace in any text."""
    with st.expander("Keep out of the public document", icon=icons.LOCKED):
        fields.bind(
            st.multiselect,
            stored,
            "internal_fields",
            "Fields to leave out",
            options=list(INTERNAL_FIELD_CHOICES),
            format_func=lambda p: INTERNAL_FIELD_CHOICES.get(p, p),
        )
        fields.tags(
            stored,
            "header.internal_names",
            "Internal names to replace (hosts, services, teams)",
            suggestions=list(stored.doc.header.services),
        )
        st.caption(
            "Names of people, the services list, ticket IDs, e-mail addresses, chat handles, host and "
            "machine names, IP addresses, links and amounts of money are always replaced. Timeline "
            "events are marked internal on the Timeline step."
        )
        domains = config.public_domains()
        st.caption(
            "Links kept: "
            + (
                ", ".join(domains)
                if domains
                else f"none (the admin lists public domains in ${PUBLIC_DOMAINS_ENV})"
            )
            + "."
        )


def _allowed(stored: storage.Stored) -> list[str]:
    conn = session.db()
    return [a for a in AUDIENCES if audit.may_export(db=conn, doc_id=stored.id, audience=a)]


def _public_draft_key(stored: storage.Stored) -> str:
    return f"export:{stored.id}:public:draft"


def download_all(stored: storage.Stored) -> None:
    audiences = _allowed(stored)
    held_back = (
        "public" in audiences
        and missing_public_text(stored.doc)
        and not st.session_state.get(_public_draft_key(stored), False)
    )
    if held_back:  # the same gate as the public tab's own downloads
        audiences = [a for a in audiences if a != "public"]
    doc, history = stored.doc, (trail(stored) if "regulator" in audiences else ())
    domains, country, export = config.public_domains(), config.holiday_country(), ExportOf.current(stored)
    st.download_button(
        "Download all (zip)",
        audited(
            lambda: render_all(
                doc,
                country=country,
                trail=history,
                audiences=audiences,
                public_domains=domains,
                blobs=attached_files(doc, export),
            ),
            export,
            "regulator" if "regulator" in audiences else "all",
            "zip",
        ),
        file_name=file_name(doc, "all", "zip"),
        mime="application/zip",
        icon=icons.DOWNLOAD_ALL,
        type="primary",
        key=f"export:{stored.id}:all",
        on_click="ignore",  # see components/audited_download.py
    )
    if "regulator" not in audiences:
        st.caption(
            "The zip leaves out the regulator's document: it names people, which your role does not see."
        )
    if held_back:
        st.caption(
            "The zip leaves out the public report until its text for customers is written (or you tick "
            '"Download the draft anyway" on its tab).'
        )


def audience_tab(stored: storage.Stored, audience: str) -> None:
    """One audience: its preview beside what it leaves out and its three downloads."""
    st.caption(ABOUT[audience])
    if not audit.may_export(db=session.db(), doc_id=stored.id, audience=audience):
        st.info(
            "This document names the people accountable, so it is for reviewers, admins and the "
            "post-mortem's owner. Ask one of them for it.",
            icon=icons.LOCKED,
        )
        return
    unlocked = True
    if audience == "public" and not audience_texts.public_gate(stored):
        unlocked = st.checkbox(
            "Download the draft anyway, with the missing parts marked", key=_public_draft_key(stored)
        )
    preview, side = st.columns([3, 1])
    with preview, st.container(border=True, height=600):
        markdown_view.show(cached_render(stored, audience, "md").decode("utf-8"))
    with side:
        for fmt in FORMATS:
            label, icon = FORMAT_LABELS[fmt]
            st.download_button(
                label,
                later(stored, audience, fmt),
                file_name=file_name(stored.doc, audience, fmt),
                mime=MEDIA_TYPES[fmt],
                icon=icon,
                width="stretch",
                key=f"export:{stored.id}:{audience}:{fmt}",
                disabled=not unlocked,
                on_click="ignore",  # see components/audited_download.py
            )
        st.markdown("**Left out of this document**")
        left_out = _cached_withheld(
            str(config.db_path()), stored.id, stored.version, audience, stored.doc, config.public_domains()
        )
        st.markdown(
            "\n".join(f"- {md_inline(item)}" for item in left_out) or "Nothing: this is the full document."
        )


def audience_tabs(stored: storage.Stored) -> None:
    for tab, audience in zip(st.tabs(list(AUDIENCES.values())), AUDIENCES, strict=True):
        with tab:
            audience_tab(stored, audience)
