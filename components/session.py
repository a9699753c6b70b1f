"""The post-mortem open in this browser session, and how each change reaches the database.

Every widget saves on change (autosave). A save is based on the version this session last saw;
if someone else saved in between, storage refuses it. When the other save left this field alone,
or changed other words of the same text, both changes are merged and saved (postmortem.merge).
Otherwise the change waits here, visible next to theirs, until the author settles it or discards it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from pydantic import ValidationError

import storage
from components import auth, config, toasts
from postmortem import merge
from postmortem.completeness import SectionState, all_sections
from postmortem.edit import get_path, with_value
from postmortem.errors import describe
from postmortem.models import PostMortem
from postmortem.review import is_read_only
from storage import access

DOC_PARAM = "doc"
_DOC = "debrief:doc_id"
_CONFLICT = "debrief:conflict"
_LOADED = "debrief:loaded"
_SAVED = "debrief:saved"  # the Stored this session's last save wrote
_WHOLE_PAGE = "debrief:whole-page"  # a save changed what the page shows outside the fragment that made it
_CAN = "debrief:can"
Change = Callable[[PostMortem], PostMortem]


@dataclass
class PendingChange:
    doc_id: int
    label: str
    change: Change
    shown_value: str
    their_version: int
    saver: Callable = storage.save
    path: str | None = None
    their_value: str = ""
    pieces: list[merge.Piece] | None = None  # a text both changed in the same place, hunk by hunk


_THREAD = threading.local()


def db() -> storage.Database:
    """A connection for this rerun, acting for the signed-in user: storage checks their role on every
    read and write. SQLite connections are bound to the thread that opened them, so the one a script
    thread opened is kept for that thread (per file and user) and dies with it: a rerun asks for a
    connection ten times or so, and opening one (pragmas, migration check) costs a millisecond or more."""
    path, actor = config.db_path(), auth.current_actor()
    cached = getattr(_THREAD, "db", None)
    # One in a transaction is someone's unfinished write: hand out a new one, as before this cache.
    if cached is not None and cached[0] == (path, actor) and not cached[1].conn.in_transaction:
        return cached[1]
    conn = storage.connect(path, actor=actor)
    _THREAD.db = ((path, actor), conn)
    return conn


def user() -> str:
    """The signed-in identity ("local" without sign-in), recorded with every change."""
    return auth.current_actor().identity


def can(permission: access.Permission, doc_id: int | None = None) -> bool:
    """May the signed-in user do this? Asked once per run per document (widgets ask it many times)."""
    answers = st.session_state.setdefault(_CAN, {})
    key = (auth.current_actor(), permission, doc_id)
    if key not in answers:
        answers[key] = access.allowed(db(), permission, doc_id)
    return answers[key]


def read_only(stored: storage.Stored) -> bool:
    """Final and published documents, and every document the user's role may not change."""
    return is_read_only(stored.doc) or not can(access.Permission.EDIT, stored.id)


def read_only_reason(stored: storage.Stored, *also: access.Permission) -> str:
    """Why this user cannot change the document, as help text for a disabled control ("" when they
    can). `also`: other permissions that allow the control (a reviewer records the Allspaw answer)."""
    if is_read_only(stored.doc):
        return f"Read-only: this post-mortem is {stored.doc.header.status.value}. Reopen it on the Review step to change it."
    if can(access.Permission.EDIT, stored.id) or any(can(p, stored.id) for p in also):
        return ""
    role = auth.current_actor().role.value
    return (
        f"Read-only for your role ({role}): only the post-mortem's author, people it is shared with and "
        "admins change it. Ask an admin if you need to."
    )


def widget_key(doc_id: int, path: str) -> str:
    return f"w:{doc_id}:{path}"


def base_key(doc_id: int) -> str:
    return f"debrief:base:{doc_id}"


def _errors_key(doc_id: int) -> str:
    return f"debrief:errors:{doc_id}"


def reset_widgets(doc_id: int) -> None:
    """Forget this document's widget values so they are drawn again from the stored document."""
    prefix = widget_key(doc_id, "")
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def open_doc(doc_id: int) -> None:
    st.session_state[_DOC] = doc_id
    st.session_state.pop(base_key(doc_id), None)
    st.session_state.pop(_CONFLICT, None)
    reset_widgets(doc_id)


def close_doc() -> None:
    st.session_state.pop(_DOC, None)
    st.query_params.pop(DOC_PARAM, None)


def remember_requested_doc() -> None:
    """Read ?doc= before st.navigation runs: opening a page's URL directly reruns without it."""
    raw = st.query_params.get(DOC_PARAM, "")
    if raw.isdigit() and st.session_state.get(_DOC) != int(raw):
        open_doc(int(raw))


def _requested_id() -> int | None:
    return st.session_state.get(_DOC)


def current() -> storage.Stored | None:
    """The open document, read fresh from storage; remembered in the URL so a reload keeps it."""
    st.session_state.pop(_LOADED, None)
    st.session_state.pop(_CAN, None)  # roles and shares may have changed since the last run
    doc_id = _requested_id()
    if doc_id is None:
        return None
    try:
        stored = storage.get(db=db(), doc_id=doc_id)
    except storage.NotFoundError:
        close_doc()
        return None
    st.session_state[_DOC] = doc_id
    st.query_params[DOC_PARAM] = str(doc_id)
    base = st.session_state.get(base_key(doc_id))
    if base != stored.version and _CONFLICT not in st.session_state:
        if base is not None:
            # Autosave leaves nothing unsaved here, so taking the newer version loses nothing.
            reset_widgets(doc_id)
            st.toast(f"Loaded version {stored.version}, saved elsewhere.", icon=":material/sync:")
        st.session_state[base_key(doc_id)] = stored.version
    st.session_state[_LOADED] = stored
    return stored


def loaded() -> storage.Stored | None:
    """What `current()` read at the top of this run (app.py calls it once per run, for every page)."""
    return st.session_state.get(_LOADED)


def base_version(doc_id: int) -> int:
    return st.session_state[base_key(doc_id)]


def _refuse_edits_of_read_only(old: PostMortem, new: PostMortem) -> None:
    """Final and published documents change only through the workflow (a status change such as
    reopening with a reason), even from a widget a page leaves enabled."""
    if is_read_only(old) and new.header.status == old.header.status and new != old:
        raise ValueError(
            "This post-mortem is final and read-only: reopen it on the Review step, with a "
            "reason, to change it."
        )


def commit(
    doc_id: int,
    label: str,
    change: Change,
    shown_value: str = "",
    saver: Callable = storage.save,
    path: str | None = None,
) -> bool:
    """Apply `change` and save it (with `saver`, storage.save unless the change has its own rules)
    against the version this session saw; `path` names the one field it sets, so that a conflicting
    save can be merged. True when saved."""
    conn = db()
    errors = st.session_state.setdefault(_errors_key(doc_id), {})
    try:
        old = (_own_save_if_current(doc_id) or storage.get(db=conn, doc_id=doc_id)).doc
        new = change(old)
        _refuse_edits_of_read_only(old, new)
        saved = saver(db=conn, doc_id=doc_id, doc=new, expected_version=base_version(doc_id), by=user())
    except ValidationError as error:
        errors[label] = describe(error)
        return False
    except (ValueError, storage.DuplicateError) as error:
        errors[label] = [str(error)]
        return False
    except storage.PermissionDenied:
        errors[label] = ["Not saved: your role can read this post-mortem but not change it."]
        return False
    except storage.ConflictError as error:
        return _merge_or_hold(
            PendingChange(doc_id, label, change, shown_value, error.actual, saver, path), old, new
        )
    errors.pop(label, None)
    st.session_state[base_key(doc_id)] = saved.version
    st.session_state[_SAVED] = saved
    toasts.show(f"Saved · {label}", icon=":material/check_circle:")
    return True


def _own_save(doc_id: int) -> storage.Stored | None:
    """What this session's last save of `doc_id` wrote, if this session has seen nothing newer since."""
    saved = st.session_state.get(_SAVED)
    if saved is not None and saved.id == doc_id and saved.version == st.session_state.get(base_key(doc_id)):
        return saved
    return None


def latest(doc_id: int) -> storage.Stored | None:
    """The document as this session last knew it: what `current()` read at the top of the run, or what
    this session's own save wrote since (a fragment rerun reads nothing at the top)."""
    shown, saved = loaded(), _own_save(doc_id)
    if saved is not None and (shown is None or shown.id != doc_id or saved.version > shown.version):
        return saved
    return shown


def _own_save_if_current(doc_id: int) -> storage.Stored | None:
    """This session's own last save when it is still the stored version: one version query, no read
    of the body and no parse (a large document takes ~6 ms to parse)."""
    saved = _own_save(doc_id)
    if saved is not None:
        try:
            if storage.current_version(db=db(), doc_id=doc_id) == saved.version:
                return saved
        except storage.NotFoundError:
            pass  # the caller reads it the usual way, which says it is gone
    return None


def fresh(doc_id: int) -> storage.Stored | None:
    """The current document for a fragment rerun: this session's own last save when it is still the
    stored version, else read as `current()` does."""
    return _own_save_if_current(doc_id) or current()


def whole_page_changed(doc_id: int) -> bool:
    """After a save made inside a fragment: must the whole page be drawn again? Yes when a conflict is
    held (its banner is at the top), a merge changed other fields, or a section's completeness mark in
    the sidebar changed; not for the text alone."""
    if st.session_state.pop(_WHOLE_PAGE, False) or _CONFLICT in st.session_state:
        return True
    shown, now = loaded(), latest(doc_id)
    if shown is None or now is None or shown.id != doc_id:
        return True
    if shown.version == now.version:
        return False
    return {k: v.level for k, v in sections(shown).items()} != {k: v.level for k, v in sections(now).items()}


def _merge_or_hold(pending: PendingChange, old: PostMortem, new: PostMortem) -> bool:
    """Someone saved in between: save both changes when they do not meet, else hold this one for the author."""
    if pending.path is not None:
        base = get_path(
            storage.get_revision(db=db(), doc_id=pending.doc_id, version=base_version(pending.doc_id)),
            pending.path,
        )
        theirs, mine = get_path(old, pending.path), get_path(new, pending.path)
        merged = _merged(base, mine, theirs)
        if merged is not None:
            return _save_merged(pending, merged)
        pending.their_value = _as_text(theirs)
        if all(isinstance(v, str | None) for v in (base, mine, theirs)):
            pending.pieces = merge.merge(base or "", mine or "", theirs or "")
    st.session_state[_CONFLICT] = pending
    toasts.show("Not saved: someone else changed this post-mortem.", icon=":material/warning:")
    return False


def _merged(base, mine, theirs):
    """The field's value holding both changes, or None when they meet: they left it alone (take mine), or
    changed other words of the same text (merge both)."""
    if theirs in (base, mine):
        return mine
    if all(isinstance(v, str | None) for v in (base, mine, theirs)):
        return merge.merged_text(base or "", mine or "", theirs or "")
    if all(isinstance(v, list | None) for v in (base, mine, theirs)):  # a table: rows merge by id
        return merge.merge_rows(base or [], mine or [], theirs or [])
    return None


def _save_merged(pending: PendingChange, value) -> bool:
    st.session_state[base_key(pending.doc_id)] = storage.get(db=db(), doc_id=pending.doc_id).version
    saved = commit(
        pending.doc_id,
        pending.label,
        lambda doc: with_value(doc, pending.path, value),
        _as_text(value),
        pending.saver,
        pending.path,
    )
    if saved:
        reset_widgets(pending.doc_id)  # the field now shows both changes, and the other fields theirs
        st.session_state[_WHOLE_PAGE] = True
        toasts.show(f"Merged with a change saved elsewhere · {pending.label}", icon=":material/merge:")
    return saved


def _as_text(value) -> str:
    """A field's value as the conflict banner shows it: a table as one line per row (its first text)."""
    if isinstance(value, list):
        return "\n".join(
            next((str(v) for k, v in row.items() if k != "id" and isinstance(v, str) and v), "")
            if isinstance(row, dict)
            else str(row)
            for row in value
        )
    return "" if value is None else str(value)


def resolve_pending(choices: list[merge.Choice]) -> None:
    """Save the text the author settled hunk by hunk, on top of the latest version."""
    pending: PendingChange = st.session_state.pop(_CONFLICT)
    text = merge.resolve(pending.pieces or [], choices)
    _save_merged(pending, text)


def restore_draft(doc_id: int, label: str, path: str, *, version: int, value: str) -> None:
    """Save a draft a reload brought back (typed over the field's text at `version`), merged into the field's
    text as saved now."""
    try:
        base = get_path(storage.get_revision(db=db(), doc_id=doc_id, version=version), path) or ""
    except storage.NotFoundError:
        base = ""  # a version this document never had: treat the draft as typed over nothing
    latest = storage.get(db=db(), doc_id=doc_id)
    current = get_path(latest.doc, path) or ""
    merged = _merged(base, value, current)
    pending = PendingChange(
        doc_id,
        label,
        lambda doc: with_value(doc, path, value),
        value,
        latest.version,
        storage.save,
        path,
        current,
    )
    if merged is None:
        pending.pieces = merge.merge(base, value, current)
        st.session_state[_CONFLICT] = pending
    elif merged != current:
        _save_merged(pending, merged)
        toasts.show(
            f"Restored the text you were typing before the reload · {label}", icon=":material/restore:"
        )


def errors_for(doc_id: int, label: str) -> list[str]:
    return st.session_state.get(_errors_key(doc_id), {}).get(label, [])


def pending_conflict() -> PendingChange | None:
    return st.session_state.get(_CONFLICT)


def apply_pending_on_latest() -> None:
    pending: PendingChange = st.session_state.pop(_CONFLICT)
    latest = storage.get(db=db(), doc_id=pending.doc_id)
    st.session_state[base_key(pending.doc_id)] = latest.version
    if commit(
        pending.doc_id, pending.label, pending.change, pending.shown_value, pending.saver, pending.path
    ):
        reset_widgets(pending.doc_id)


def discard_pending() -> None:
    pending: PendingChange = st.session_state.pop(_CONFLICT)
    st.session_state.pop(base_key(pending.doc_id), None)
    reset_widgets(pending.doc_id)


def sections(stored: storage.Stored) -> dict[str, SectionState]:
    """Each section's completeness, worked out once per stored version: the sidebar, the stepper
    and the Review step all show it in the same rerun."""
    cached = st.session_state.get("debrief:sections")
    if cached and cached[0] == (stored.id, stored.version):
        return cached[1]
    states = all_sections(stored.doc)
    st.session_state["debrief:sections"] = ((stored.id, stored.version), states)
    return states
