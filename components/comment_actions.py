"""What the comment panel's buttons do: each callback reads its form's keys, asks storage (which checks
the role) and leaves a message for the next run. Kept apart from the drawing in components/comments.py."""

from __future__ import annotations

import streamlit as st

import storage
from components import session
from postmortem import comments as domain
from postmortem.comments import CommentError, Mention
from storage import comments

COMMANDER = "incident commander"


def key(doc_id: int, slug: str, *parts: object) -> str:
    return ":".join(["cm", str(doc_id), slug, *map(str, parts)])


def mention_choices(doc) -> dict[str, Mention]:
    """Who can be mentioned beside the text: signed-in users, then the document's roles."""
    roles = {
        r
        for r in [
            doc.header.author_role,
            *doc.header.reviewer_roles,
            *(c.role for c in doc.contacts),
            COMMANDER,
        ]
        if r.strip()
    }
    choices = {f"@{i}": Mention("user", i) for i in comments.known_identities(db=session.db())}
    choices |= {f"@{domain.role_handle(r)} (role)": Mention("role", r) for r in sorted(roles)}
    return choices


def _mentions(doc, text: str, picked: list[str]) -> list[Mention]:
    choices = mention_choices(doc)
    users = [m.who for m in choices.values() if m.kind == "user"]
    roles = [m.who for m in choices.values() if m.kind == "role"]
    return domain.merge_mentions(
        [choices[p] for p in picked if p in choices], domain.mentions_in(text, users, roles)
    )


def _note(doc_id: int, slug: str, text: str, error: bool = False) -> None:
    st.session_state[key(doc_id, slug, "note")] = (error, text)


def _run(doc_id: int, slug: str, done: str, action) -> bool:
    try:
        action()
    except (CommentError, ValueError, storage.NotFoundError) as problem:
        _note(doc_id, slug, str(problem), error=True)
        return False
    except storage.PermissionDenied as problem:
        _note(doc_id, slug, f"Not saved: {problem}", error=True)
        return False
    _note(doc_id, slug, done)
    return True


def start(doc_id: int, slug: str, targets: dict[str, domain.Target]) -> bool:
    base, doc = key(doc_id, slug, "new"), storage.get(db=session.db(), doc_id=doc_id).doc
    text, target = st.session_state.get(f"{base}:text", ""), targets[st.session_state[f"{base}:target"]]
    mentions = _mentions(doc, text, st.session_state.get(f"{base}:mentions", []))
    if _run(
        doc_id,
        slug,
        "Comment posted.",
        lambda: comments.start(
            db=session.db(), doc_id=doc_id, step=slug, target=target, body=text, mentions=mentions
        ),
    ):
        st.session_state[f"{base}:text"], st.session_state[f"{base}:mentions"] = "", []
        return True
    return False


def reply(doc_id: int, slug: str, thread_id: int) -> None:
    base, doc = key(doc_id, slug, thread_id, "reply"), storage.get(db=session.db(), doc_id=doc_id).doc
    text = st.session_state.get(f"{base}:text", "")
    mentions = _mentions(doc, text, st.session_state.get(f"{base}:mentions", []))
    if _run(
        doc_id,
        slug,
        "Reply posted.",
        lambda: comments.reply(db=session.db(), thread_id=thread_id, body=text, mentions=mentions),
    ):
        st.session_state[f"{base}:text"], st.session_state[f"{base}:mentions"] = "", []


def edit(doc_id: int, slug: str, comment_id: int) -> None:
    doc = storage.get(db=session.db(), doc_id=doc_id).doc
    text = st.session_state.get(key(doc_id, slug, "edit", comment_id), "")
    _run(
        doc_id,
        slug,
        "Comment changed; the earlier wording is kept.",
        lambda: comments.edit(
            db=session.db(), comment_id=comment_id, body=text, mentions=_mentions(doc, text, [])
        ),
    )


def resolve(doc_id: int, slug: str, thread_id: int) -> None:
    _run(doc_id, slug, "Thread resolved.", lambda: comments.resolve(db=session.db(), thread_id=thread_id))


def reopen(doc_id: int, slug: str, thread_id: int) -> None:
    _run(doc_id, slug, "Thread reopened.", lambda: comments.reopen(db=session.db(), thread_id=thread_id))


def take_note(doc_id: int, slug: str) -> tuple[bool, str] | None:
    return st.session_state.pop(key(doc_id, slug, "note"), None)
