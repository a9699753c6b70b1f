"""Importing Markdown post-mortems: the sources (uploads or pasted text), one file's mapping as an
editable table with a preview, and creating the draft. The batch table for many files is in
components/md_import_batch.py. Every key starts with "import:".
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

import storage
from components import session
from components.steps import STEPS
from exports.escape import md_inline
from exports.markdown import to_markdown
from postmortem import language
from postmortem.evidence import Accepted, AttachmentRefused, accept
from postmortem.evidence.limits import MAX_DOCUMENT_BYTES
from postmortem.mdimport import TARGETS, ImportResult, import_markdown, with_incident_id
from postmortem.mdimport import report as mdreport
from postmortem.mdimport.bundle import gather
from postmortem.mdimport.with_files import with_local_pictures
from storage.access import require
from storage.imported_files import create_with_files

KEY = "import:"
LABEL_TO_TARGET = {label: key for key, label in TARGETS.items()}
ZONES = [
    "UTC",
    *sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))),
]


@dataclass(frozen=True)
class Source:
    name: str
    digest: str  # identifies the text, so a file's mapping and status survive reruns and reorders
    text: str | None
    error: str = ""
    # The other files of the folder or zip, by path: pictures the text shows from them are attached.
    files: Mapping[str, bytes] = field(default_factory=dict, compare=False, hash=False)


def _source(name: str, data: bytes, files: Mapping[str, bytes] | None = None) -> Source:
    digest = hashlib.sha256(name.encode() + b"\0" + data).hexdigest()[:16]
    try:
        return Source(name, digest, mdreport.decode(data, name), files=files or {})
    except ValueError as error:
        return Source(name, digest, None, str(error))


_PICTURE_TYPES = ["png", "jpg", "jpeg", "gif", "webp"]


def _uploads() -> list[tuple[str, bytes]]:
    files = st.file_uploader(
        "Markdown files",
        type=["md", "markdown", "txt", "zip", *_PICTURE_TYPES],
        accept_multiple_files=True,
        key=KEY + "files",
        max_upload_size=MAX_DOCUMENT_BYTES // 2**20,
        help="One post-mortem per file. Choose many at once to bring in a whole folder, with the "
        "pictures they show (or a zip of the folder): a picture beside the file becomes an attachment "
        "where the text shows it.",
    )
    folder = st.file_uploader(
        "Or a whole folder",
        type=["md", "markdown", "txt", *_PICTURE_TYPES],
        accept_multiple_files="directory",
        key=KEY + "folder",
        max_upload_size=MAX_DOCUMENT_BYTES // 2**20,
        help="Its Markdown files, with the pictures in it and in its subfolders.",
    )
    return [(f.name, f.getvalue()) for f in [*(files or []), *(folder or [])]]


def sources() -> tuple[list[Source], str]:
    """What the author gave: uploaded files (a zip's, a folder's), then pasted text; and the time zone."""
    bundle = gather(_uploads())
    pasted = st.text_area(
        "Or paste a post-mortem in Markdown", key=KEY + "paste", height=140, max_chars=mdreport.MAX_BYTES
    )
    tz = st.selectbox(
        "Time zone of times written without one",
        ZONES,
        key=KEY + "tz",
        help="A time that names its zone (14:05 UTC, 09:00 PT) or sits under a heading such as "
        "'Timeline (all times PT)' keeps that zone. Debrief stores every time in UTC.",
    )
    found = [_source(path, data, bundle.files) for path, data in bundle.documents]
    for problem in bundle.problems:
        st.warning(md_inline(problem), icon="⚠️")
    if pasted.strip():
        found.append(_source("Pasted text", pasted.encode("utf-8")))
    return found, tz


def targets_for(source: Source) -> dict[int, str]:
    """The sections the author chose for this text's headings (kept while the page is open)."""
    return st.session_state.get(KEY + "targets", {}).get(source.digest, {})


@st.cache_data(max_entries=64, show_spinner=False)
def _checked(data: bytes, name: str) -> Accepted:
    """An upload's check of one picture (decode, re-encode), made once, not on every rerun of the page."""
    return accept(data, name)


def run(source: Source, tz: str, targets: dict[int, str] | None = None) -> ImportResult:
    result = import_markdown(source.text or "", tz=tz, targets=targets or {}, name=source.name)
    if not source.files:
        return result
    return with_local_pictures(result, source.text or "", source.name, source.files, _checked)[0]


def _files_of(result: ImportResult, source: Source) -> list[Accepted]:
    """The checked files the draft's attachments name, from the files that came with it."""
    named, found = {a.digest for a in result.doc.attachments}, {}
    for path, data in source.files.items():
        try:
            item = _checked(data, posixpath.basename(path))
        except AttachmentRefused:
            continue
        if item.digest in named:
            found[item.digest] = item
    return list(found.values())


def suggested_id(result: ImportResult, taken_after: int = 0) -> str:
    """The ID written in the document if it is free, else the next free one (`taken_after` more for a batch)."""
    db = session.db()
    if result.source_incident_id:
        try:
            storage.find(db=db, key=result.source_incident_id, include_deleted=True)
        except storage.NotFoundError:
            return result.source_incident_id
    first = storage.next_incident_id(db=db, year=datetime.now(UTC).year)
    prefix, number = first.rsplit("-", 1)
    return f"{prefix}-{int(number) + taken_after:04d}"


# --- One file: mapping, preview, create --------------------------------------------------------


def mapping_editor(source: Source, tz: str) -> ImportResult:
    """The mapping as a table whose Section column the author can change; returns the import with it."""
    auto = run(source, tz)
    rows = mdreport.mapping_rows(auto)
    frame = pd.DataFrame(
        {
            "Line": [r["line"] for r in rows],
            "Heading": [r["heading"] for r in rows],
            "Lines": [r["lines"] for r in rows],
            "Section": [r["section"] for r in rows],
            "Sure": [r["confidence"] for r in rows],
            "Why": [r["reason"] for r in rows],
        }
    )
    edited = st.data_editor(
        frame,
        key=f"{KEY}map:{source.digest}:{tz}",
        hide_index=True,
        width="stretch",
        disabled=["Line", "Heading", "Lines", "Sure", "Why"],
        column_config={
            "Section": st.column_config.SelectboxColumn(
                "Goes to",
                options=list(LABEL_TO_TARGET),
                required=True,
                help="Pick where this heading's text belongs. Nothing is dropped: the appendix keeps text "
                "as written.",
            ),
            "Sure": st.column_config.ProgressColumn("Match", min_value=0.0, max_value=1.0, format="percent"),
            "Lines": st.column_config.NumberColumn("Lines", help="Non-blank lines under the heading."),
        },
        placeholder="",
    )
    chosen = {
        row["index"]: LABEL_TO_TARGET[label]
        for row, label in zip(rows, edited["Section"], strict=True)
        if label in LABEL_TO_TARGET and LABEL_TO_TARGET[label] != row["target"]
    }
    st.session_state.setdefault(KEY + "targets", {})[source.digest] = chosen
    return run(source, tz, chosen) if chosen else auto


def preview(result: ImportResult, incident_id: str = "") -> None:
    counts = result.counts()
    cols = st.columns(5)
    for col, (label, key) in zip(
        cols,
        [
            ("Timeline events", "timeline events"),
            ("Action items", "action items"),
            ("Lessons", "lessons"),
            ("Went well / wrong", None),
            ("Unmapped headings", "unmapped headings"),
        ],
        strict=True,
    ):
        value = counts[key] if key else f"{counts['went well']} / {counts['went wrong']}"
        col.metric(label, value)
    times_found(result)
    for warning in result.warnings:
        if not warning.startswith("A name in the narrative"):  # the findings table below lists those
            st.warning(md_inline(warning), icon=":material/warning:")
    if result.findings:
        st.caption(
            f"Blameless-language findings: {len(result.findings)}. Fix them in the wizard after creating."
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Where": f.path,
                        "Words": f.text,
                        "Kind": language.CATEGORY_TITLES[f.category],
                        "Why": f.why,
                        "Try instead": f.rewrite,
                    }
                    for f in result.findings
                ]
            ),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
    doc = result.doc
    if incident_id:
        try:
            doc = with_incident_id(doc, incident_id)
        except ValueError:
            pass  # the form below says what is wrong with the ID
    if doc.attachments:
        names = ", ".join(md_inline(a.name) for a in doc.attachments)
        st.caption(f"Pictures beside the file, attached where the text shows them: {names}")
    with st.expander("Preview of the draft"), st.container(height=600, border=False):
        st.markdown(to_markdown(doc))  # every user text in it is escaped by the export


def times_found(result: ImportResult) -> None:
    """The header times read from sentences, each beside the sentence it came from, to check."""
    rows = mdreport.time_rows(result)
    if not rows:
        return
    st.caption(
        "Header times read from the text. Check each against its sentence; change them on the "
        "Header step after creating."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Time": r["label"],
                    "When (UTC)": r["at"].replace("T", " ")[:16],
                    "From the sentence": r["sentence"],
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"From the sentence": st.column_config.TextColumn(width="large")},
        placeholder="",
    )


def create(result: ImportResult, incident_id: str, source: Source) -> storage.Stored | str:
    """Store the draft under `incident_id`, with the pictures attached to it; the stored document,
    or one line saying why not."""
    try:
        doc = with_incident_id(result.doc, incident_id)
        db = session.db()
        require(db, storage.Permission.EDIT)
        return create_with_files(
            db=db, doc=doc, files=_files_of(result, source), by=session.user(), source="Markdown upload"
        )
    except storage.DuplicateError as error:  # before ValueError, which it may extend
        return f"{error} Choose another incident ID."
    except (ValueError, storage.PermissionDenied) as error:
        return str(error)


def single(source: Source, tz: str) -> None:
    st.subheader(source.name)
    if source.text is None:
        st.error(source.error)
        return
    st.caption(
        "Each heading of the document and the section it goes to. Change a section and the preview follows."
    )
    result = mapping_editor(source, tz)
    suggested = suggested_id(result)
    preview(result, st.session_state.get(f"{KEY}id:{source.digest}") or suggested)
    with st.form(f"{KEY}create:{source.digest}", border=False):
        incident_id = st.text_input(
            "Incident ID",
            value=suggested,
            key=f"{KEY}id:{source.digest}",
            help="Letters, digits, dots, dashes. The ID written in the document is "
            "suggested when it is free.",
        )
        if st.form_submit_button("Create post-mortem", type="primary"):
            stored = create(result, incident_id, source)
            if isinstance(stored, str):
                st.error(md_inline(stored))
                return
            session.open_doc(stored.id)
            st.switch_page(STEPS[0].script, query_params={"doc": str(stored.id)})
