"""Evidence on a wizard step: attach screenshots, graphs and logs to what they belong to (an event,
a section, a factor, a causal-tree box), see them as thumbnails, enlarge, caption, reorder, remove.

Removing takes the file out of the current version only: earlier versions still name its blob, so
the history keeps it (storage.blobs never deletes a blob a revision refers to)."""

from __future__ import annotations

from contextlib import closing
from functools import partial

import streamlit as st

import storage
from components import disclosure, findings, session
from components.audited_download import ExportOf
from exports.escape import md_inline
from postmortem.evidence import Accepted, AttachmentRefused, accept, describe_limits, images, room_for
from postmortem.evidence.kinds import MediaType
from postmortem.evidence.placement import for_target, orphaned, removed, reordered
from postmortem.evidence.spreadsheet import for_download
from postmortem.models import AttachedTo, Attachment, PostMortem
from storage import blobs

Place = tuple[AttachedTo, str]
_THUMB_WIDTH = images.THUMBNAIL_SIDE
_CSV_HELP = (
    "Cells that start with =, +, - or @ get a ' in front, so a spreadsheet shows them as text "
    "instead of running them as formulas."
)
_SECTION_TITLES = {
    "summary": "Summary",
    "impact": "Impact",
    "timeline": "Timeline as a whole",
    "went_wrong": "What went wrong",
    "root_cause": "Root cause",
    "appendix": "Appendix",
}


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def places(doc: PostMortem, step: str) -> dict[Place, str]:
    """What a file can be attached to on one step, with the label the author picks it by."""
    found: dict[Place, str] = {}
    if step == "timeline":
        found |= {
            (AttachedTo.EVENT, e.id): f"Event {e.at:%Y-%m-%d %H:%M} UTC · {_short(e.text)}"
            for e in doc.timeline
        }
    if step == "factors":
        found |= {(AttachedTo.FACTOR, f.id): f"Factor · {_short(f.text)}" for f in doc.contributing_factors}
    if step == "root_cause":
        found |= {
            (AttachedTo.CAUSAL_BOX, n.id): f"Box · {_short(n.text)}" for n in doc.root_cause.causal_tree.nodes
        }
    if step in _SECTION_TITLES:
        found[(AttachedTo.SECTION, step)] = f"Section · {_SECTION_TITLES[step]}"
    return found


def _homeless(doc: PostMortem) -> dict[Place, str]:
    """Files whose event, factor or box was deleted: shown on the appendix step, to keep or remove."""
    return {
        (a.target, a.target_id): "No longer beside anything (what it belonged to was deleted)"
        for a in orphaned(doc)
    }


def _key(doc_id: int, *parts: str) -> str:
    # Under the document's widget prefix, so a conflict resolution or reload draws them afresh.
    return session.widget_key(doc_id, "attachments." + ".".join(parts))


def _refusals_key(doc_id: int) -> str:
    return f"debrief:attach-refused:{doc_id}"


def _with_attachment_fields(attachment_id: str, **changes: object):
    def change(doc: PostMortem) -> PostMortem:
        return doc.model_copy(
            update={
                "attachments": [
                    a.model_copy(update=changes) if a.id == attachment_id else a for a in doc.attachments
                ]
            }
        )

    return change


def _attachment(item: Accepted, place: Place, position: int, caption: str, alt: str) -> Attachment:
    return item.attachment(
        target=place[0],
        target_id=place[1],
        position=position,
        caption=caption,
        alt=alt if item.is_image else "",
    )


def attach_files(
    doc_id: int, place: Place, files: list[tuple[str, bytes]], caption: str, alt: str
) -> list[str]:
    """Check, store and attach uploaded files (name, bytes); return the refusals, one line per file."""
    refusals, kept = [], []
    for name, data in files:
        try:
            kept.append(accept(data, name))
        except AttachmentRefused as refusal:
            refusals.append(f"{_short(name, 80)}: {refusal}")
    if not kept:
        return refusals
    conn = session.db()
    try:
        room_for(*blobs.document_bytes(db=conn, doc_id=doc_id), kept)
        for item in kept:
            blobs.put(db=conn, item=item, doc_id=doc_id)
    except AttachmentRefused as refusal:
        return [*refusals, f"Nothing attached: {refusal}"]
    except storage.PermissionDenied:
        return [*refusals, "Nothing attached: your role can read this post-mortem but not change it."]

    def change(doc: PostMortem) -> PostMortem:
        start = len(for_target(doc, *place))
        added = [
            _attachment(item, place, start + n, caption.strip(), alt.strip()) for n, item in enumerate(kept)
        ]
        return doc.model_copy(update={"attachments": [*doc.attachments, *added]})

    label = "Attachments"
    if not session.commit(doc_id, label, change):
        refusals += session.errors_for(doc_id, label)
    return refusals


def _upload_open_key(doc_id: int) -> str:
    return _key(doc_id, "upload-open")


def _attach_from_form(doc_id: int, choices: dict[Place, str]) -> None:
    # A submit callback: runs before the page is drawn, so the gallery shows the new files at once.
    state = st.session_state
    files = state.get(_key(doc_id, "files")) or []
    place = state.get(_key(doc_id, "place")) or next(iter(choices))
    if files:
        state[_refusals_key(doc_id)] = attach_files(
            doc_id,
            place,
            [(f.name, f.getvalue()) for f in files],
            state.get(_key(doc_id, "new-caption"), ""),
            state.get(_key(doc_id, "new-alt"), ""),
        )
        if not state[_refusals_key(doc_id)]:
            disclosure.fold(_upload_open_key(doc_id))  # attached: the gallery shows it; fold the form


def _upload(stored: storage.Stored, choices: dict[Place, str]) -> None:
    with st.form(_key(stored.id, "form"), clear_on_submit=True, border=True):
        st.selectbox(
            "Attach to", list(choices), format_func=choices.__getitem__, key=_key(stored.id, "place")
        )
        st.file_uploader(
            "Files",
            accept_multiple_files=True,
            key=_key(stored.id, "files"),
            help=(
                "PNG, JPEG, GIF or WebP images, PDFs, plain-text logs and CSV files. "
                "Images are re-encoded: camera and location metadata are removed."
            ),
        )
        st.caption(describe_limits())
        st.text_input(
            "Caption",
            key=_key(stored.id, "new-caption"),
            help="One line on what the reader should see in it.",
        )
        st.text_input(
            "Alt text (images)",
            key=_key(stored.id, "new-alt"),
            help="What the image shows, for readers who cannot see it.",
        )
        st.form_submit_button(
            "Attach", icon=":material/attach_file:", on_click=_attach_from_form, args=(stored.id, choices)
        )
    for line in st.session_state.get(_refusals_key(stored.id), []):
        st.error(line, icon=":material/block:")


def _blob(doc_id: int, digest: str) -> bytes | None:
    try:
        return blobs.get(db=session.db(), doc_id=doc_id, digest=digest).data
    except storage.NotFoundError:
        return None


def _downloaded(reader: ExportOf, digest: str, media_type: MediaType) -> bytes:
    """The file as handed out, read through a connection acting for the user who drew the button."""
    with closing(reader.connect()) as conn:
        try:
            data = blobs.get(db=conn, doc_id=reader.doc_id, digest=digest).data
        except storage.NotFoundError:
            data = b""
    return for_download(data, media_type)


@st.cache_data(max_entries=1000, show_spinner=False)
def _thumbnail(digest: str, doc_id: int) -> bytes | None:
    """Keyed by digest (content-addressed, so never stale); made once per file, not on every rerun.
    Only digests of a document this user has read reach here, and the blob is read through it."""
    data = _blob(doc_id, digest)
    return images.thumbnail(data) if data is not None else None


@st.cache_data(max_entries=200, show_spinner=False)
def _thumbnails(digests: tuple[str, ...], doc_id: int) -> dict[str, bytes]:
    """A step's thumbnails in one cached call: each cache lookup costs hashing and copying, and a
    step with 50 screenshots made 50 of them on every rerun."""
    return {d: small for d in dict.fromkeys(digests) if (small := _thumbnail(d, doc_id)) is not None}


@st.dialog("Attachment", width="large")
def _enlarged(doc_id: int, digest: str, caption: str) -> None:
    data = _blob(doc_id, digest)
    if data is None:
        st.warning("The file is missing from the database.")
    else:
        st.image(data, caption=caption, width="stretch")


def _move(doc_id: int, place: Place, ids: list[str], index: int, step: int) -> None:
    order = list(ids)
    order[index], order[index + step] = order[index + step], order[index]
    session.commit(doc_id, "Attachment order", lambda doc: reordered(doc, *place, order))


def _save_text(doc_id: int, attachment_id: str, field: str, key: str) -> None:
    session.commit(
        doc_id,
        "Attachment " + field,
        _with_attachment_fields(attachment_id, **{field: st.session_state[key]}),
    )


def _text(stored: storage.Stored, a: Attachment, field: str, label: str, disabled: bool) -> None:
    key = _key(stored.id, a.id, field)
    st.session_state.setdefault(key, getattr(a, field))
    widget = st.checkbox if isinstance(getattr(a, field), bool) else st.text_input
    widget(label, key=key, disabled=disabled, on_change=_save_text, args=(stored.id, a.id, field, key))


def _one(
    stored: storage.Stored, place: Place, a: Attachment, ids: list[str], index: int, disabled: bool
) -> None:
    picture, details = st.columns([1, 3])
    with picture:
        small = _thumbnail(a.digest, stored.id) if a.is_image else None
        if small is not None:
            st.image(small, width=_THUMB_WIDTH, caption=a.alt or None, output_format=images.THUMBNAIL_FORMAT)
            # The full picture is read and drawn only when asked for, in a dialog.
            if st.button("Enlarge", key=_key(stored.id, a.id, "enlarge"), icon=":material/zoom_in:"):
                _enlarged(stored.id, a.digest, a.caption or a.name)
        elif a.is_image:
            st.warning("The file is missing from the database.")
        else:
            st.markdown(f":material/description: {a.media_type}")
    with details:
        st.markdown(f"**{index + 1}.** `{a.name}` · {a.size / 1024:.0f} KB")
        at = f"attachments.{stored.doc.attachments.index(a)}"
        _text(stored, a, "caption", "Caption", disabled)
        findings.show(stored, f"{at}.caption")  # captions read as narrative: same checks, as suggestions
        if a.is_image:
            _text(stored, a, "alt", "Alt text", disabled)
            findings.show(stored, f"{at}.alt")
            if not a.alt:
                st.caption(":material/warning: No alt text yet: the review asks for it.")
        _text(stored, a, "safe_for_public", "Safe for the public report", disabled)
        _text(stored, a, "safe_for_executives", "Safe for the executive brief", disabled)
        buttons = st.columns(4)
        # Bytes read only when the button is pressed: 50 files on every rerun would be slow.
        reader = ExportOf.current(stored)  # the bytes are read on a worker thread with no session
        buttons[0].download_button(
            "Download",
            partial(_downloaded, reader, a.digest, a.media_type),
            file_name=a.name,
            mime=a.media_type,
            key=_key(stored.id, a.id, "download"),
            icon=":material/download:",
            help=_CSV_HELP if a.media_type == MediaType.CSV else None,
        )
        if not disabled:
            buttons[1].button(
                "Up",
                key=_key(stored.id, a.id, "up"),
                disabled=index == 0,
                on_click=_move,
                args=(stored.id, place, ids, index, -1),
            )
            buttons[2].button(
                "Down",
                key=_key(stored.id, a.id, "down"),
                disabled=index == len(ids) - 1,
                on_click=_move,
                args=(stored.id, place, ids, index, 1),
            )
            buttons[3].button(
                "Remove",
                key=_key(stored.id, a.id, "remove"),
                icon=":material/delete:",
                help="Takes it out of this version; earlier versions in the history keep it.",
                on_click=session.commit,
                args=(stored.id, "Remove attachment", lambda doc, aid=a.id: removed(doc, aid)),
            )


def _strip(here: list[Attachment], thumbs: dict[str, bytes]) -> None:
    """One place's files at a glance: every thumbnail in one element, other files by name."""
    pictures = [
        (thumbs[a.digest], f"{n}. {a.caption or a.name}")
        for n, a in enumerate(here, 1)
        if a.is_image and a.digest in thumbs
    ]
    if pictures:
        st.image(
            [p for p, _ in pictures],
            width=_THUMB_WIDTH,
            caption=[c for _, c in pictures],
            output_format=images.THUMBNAIL_FORMAT,
        )
    others = [
        f"{n}. :material/description: `{a.name}`" + (f": {md_inline(a.caption)}" if a.caption else "")
        for n, a in enumerate(here, 1)
        if not a.is_image
    ]
    if others:
        st.markdown("  \n".join(others))


def _gallery(stored: storage.Stored, choices: dict[Place, str], disabled: bool) -> None:
    """Thumbnails per place, then the controls of the one file chosen: a step with 50 screenshots
    draws 50 thumbnails and one set of fields, not 500 widgets."""
    placed = [
        (place, label, here) for place, label in choices.items() if (here := for_target(stored.doc, *place))
    ]
    digests = tuple(a.digest for _, _, here in placed for a in here if a.is_image)
    thumbs = _thumbnails(digests, stored.id) if digests else {}
    listed: dict[str, tuple[Place, Attachment, list[str], int, str]] = {}
    for place, label, here in placed:
        st.markdown(f"**{md_inline(label)}**")
        _strip(here, thumbs)
        ids = [a.id for a in here]
        for index, a in enumerate(here):
            listed[a.id] = (place, a, ids, index, f"{label} · {index + 1}. {a.name}")
    if not listed:
        st.caption("No files attached on this step yet.")
        return
    key = _key(stored.id, "selected")
    if st.session_state.get(key) not in listed:
        st.session_state.pop(key, None)
    # No file chosen at first: the fields of one file are a dozen widgets, drawn only when asked for.
    chosen = st.selectbox(
        "Caption, order and sharing of",
        list(listed),
        index=None,
        key=key,
        format_func=lambda i: listed[i][4] if i in listed else i,
        placeholder="Choose a file to change its caption, alt text, order or sharing",
    )
    if chosen is None:
        return
    place, a, ids, index, _ = listed[chosen]
    with st.container(border=True):
        _one(stored, place, a, ids, index, disabled)


def panel(stored: storage.Stored, step: str) -> None:
    """The step's evidence: what is attached to each of its places, and (for editors) the uploader."""
    choices = places(stored.doc, step)
    shown = choices | (_homeless(stored.doc) if step == "appendix" else {})
    st.subheader(
        "Evidence", help="Screenshots, graphs, log excerpts and other files, beside what they support."
    )
    disabled = session.read_only(stored)
    _gallery(stored, shown, disabled)
    if not disabled and disclosure.unfolded(
        _upload_open_key(stored.id),
        "Attach files",
        ":material/attach_file:",
        help="Screenshots, graphs, log excerpts: attach them here, to this step or one of its entries.",
    ):
        _upload(stored, choices)
        disclosure.close_button(_upload_open_key(stored.id))
    for line in session.errors_for(stored.id, "Attachments"):
        st.error(line, icon=":material/error:")
