"""The comments panel under each wizard step: the step's threads, each beside a label and the text it
is about, with reply, edit, resolve and reopen; and a form to start a thread. Viewers read only:
the buttons are left out for them, and storage refuses them anyway."""

from __future__ import annotations

import streamlit as st

import storage
from components import comment_actions as act
from components import disclosure, notify_prefs, session
from components.steps import by_slug
from exports.escape import md_block, md_inline
from postmortem import comments as domain
from postmortem import language, notices
from storage import comments


def open_counts(stored: storage.Stored | None) -> dict[str, int]:
    """Open threads per step, for the sidebar (empty when nothing is open or nothing can be read)."""
    if stored is None:
        return {}
    try:
        return comments.open_counts(db=session.db(), doc_id=stored.id)
    except storage.PermissionDenied:
        return {}


def badge(counts: dict[str, int], slug: str) -> str:
    # Words, not a speech-bubble emoji: where no emoji font is installed that draws as an empty box.
    n = counts.get(slug, 0)
    return f" · {n} open thread{'' if n == 1 else 's'}" if n else ""


def _when(at: str | None) -> str:
    return (at or "")[:16].replace("T", " ")


def _suggestions(doc, body: str) -> None:
    for hint in domain.suggestions(body, language.person_names(doc)):
        st.caption(
            f"💡 Suggestion, not required: “{md_inline(hint.text)}”: {md_inline(hint.why)} "
            f"{md_inline(hint.rewrite)}"
        )


def _comment(stored: storage.Stored, slug: str, comment: comments.Comment, writable: bool) -> None:
    edited = f" · edited {_when(comment.edited_at)}" if comment.edited_at else ""
    st.markdown(f"**`{comment.author.replace('`', chr(39))}`** · {_when(comment.created_at)} UTC{edited}")
    st.markdown(md_block(comment.body))
    _suggestions(stored.doc, comment.body)
    if comment.earlier:
        with st.expander(f"Earlier wording ({len(comment.earlier)})"):
            for text in comment.earlier:
                st.markdown(md_block(text))
    if writable and comment.author == session.user():
        with st.popover("Edit my comment"):
            st.text_area("Comment", value=comment.body, key=act.key(stored.id, slug, "edit", comment.id))
            st.button(
                "Save the change",
                key=act.key(stored.id, slug, "edit-save", comment.id),
                on_click=act.edit,
                args=(stored.id, slug, comment.id),
            )


def _anchor(stored: storage.Stored, slug: str, thread: comments.Thread) -> None:
    if not thread.anchor_text:
        return
    st.caption(f"Made on version {thread.anchor_version}, about this text:")
    st.markdown("> " + md_block(thread.anchor_text).replace("\n", "\n> "))
    now = domain.current_text(stored.doc, slug, thread.target)
    if now is None:
        st.caption("That part has since been removed from the post-mortem.")
    elif now != thread.anchor_text:
        st.caption("The text has changed since this comment; it now reads:")
        st.markdown("> " + md_block(now).replace("\n", "\n> "))


THREAD_PARAM = "thread"  # a mention's link names the thread: /summary?doc=3&thread=12
_SCROLLED = "cm:scrolled"


def linked_thread() -> int | None:
    """The thread the address asks for, if it is a number."""
    raw = st.query_params.get(THREAD_PARAM, "")
    return int(raw) if raw.isdigit() else None


def _spotlight(thread_id: int) -> None:
    """Mark the linked thread, and bring it into view once per browser session: later reruns (a reply,
    a resolve) leave the reader where they are. Only our own CSS and script; the id is a number."""
    css = (
        f"<style>.st-key-cm-thread-{thread_id} {{ border: 2px solid #f59e0b !important; "
        "background: rgba(245, 158, 11, 0.08); }</style>"
    )
    st.html(css)
    scrolled = st.session_state.setdefault(_SCROLLED, set())
    if thread_id in scrolled:
        return
    scrolled.add(thread_id)
    # The thread's box may be drawn after this script runs: look for it for up to ten seconds.
    st.html(
        "<script>(() => { let tries = 0; const look = setInterval(() => {"
        f" const box = document.querySelector('.st-key-cm-thread-{thread_id}');"
        " if (box) { box.scrollIntoView({block: 'center'}); }"
        " if (box || ++tries > 50) { clearInterval(look); } }, 200); })();</script>",
        unsafe_allow_javascript=True,
    )


def _elsewhere(stored: storage.Stored, thread_id: int) -> None:
    """A link to a thread of another step of this post-mortem (the step's threads moved, or a hand-made
    address): point to it rather than leave the reader looking for it."""
    found = next((t for t in comments.threads(db=session.db(), doc_id=stored.id) if t.id == thread_id), None)
    if found is None:
        st.caption("The thread your link points to is not in this post-mortem any more.")
        return
    step = by_slug(found.step)
    st.page_link(
        step.script,
        label=f"The thread your link points to is on {step.title}",
        icon=":material/forum:",
        query_params={"doc": str(stored.id), THREAD_PARAM: str(thread_id)},
    )


def _thread(
    stored: storage.Stored, slug: str, thread: comments.Thread, writable: bool, who: list[str]
) -> None:
    state = "🟠 open" if thread.is_open else f"✅ resolved by `{thread.closed_by}`"
    with st.container(border=True, key=f"cm-thread-{thread.id}"):
        if thread.id == linked_thread():
            st.caption("↪ The thread your link points to")
        st.markdown(f"**{md_inline(thread.target_label)}** · {state}")
        _anchor(stored, slug, thread)
        for comment in thread.comments:
            _comment(stored, slug, comment, writable)
        if not writable:
            return
        base = act.key(stored.id, slug, thread.id, "reply")
        # A form: the text goes with the button, not on every blur, and nothing reruns while typing.
        with st.form(f"{base}:form", border=False):
            st.text_area(
                "Reply",
                key=f"{base}:text",
                height=68,
                placeholder="Answer, or mention someone who knows with the picker below",
            )
            st.multiselect("Mention", who, key=f"{base}:mentions")
            st.form_submit_button("Reply", on_click=act.reply, args=(stored.id, slug, thread.id))
        if thread.is_open:
            st.button(
                "Resolve", key=f"{base}:resolve", on_click=act.resolve, args=(stored.id, slug, thread.id)
            )
        else:
            st.button("Reopen", key=f"{base}:reopen", on_click=act.reopen, args=(stored.id, slug, thread.id))


def _new_thread(stored: storage.Stored, slug: str, who: list[str], roles: list[str]) -> None:
    targets = {t.ref: t for t in domain.targets_for(stored.doc, slug, by_slug(slug).title)}
    base = act.key(stored.id, slug, "new")
    if not disclosure.unfolded(
        _form_open_key(stored.id, slug),
        "Start a thread",
        ":material/add_comment:",
        help="A question or suggestion about this step or one of its entries, with mentions.",
    ):
        return
    with st.form(f"{base}:form", border=True):
        st.markdown("**Start a thread**")
        st.selectbox("About", list(targets), format_func=lambda ref: targets[ref].label, key=f"{base}:target")
        st.text_area(
            "New comment",
            key=f"{base}:text",
            height=90,
            placeholder="A question or a suggestion; write @ and a name or role to mention them",
        )
        st.multiselect(
            "Mention",
            who,
            key=f"{base}:mentions",
            help="Streamlit has no completion inside a text box: pick people and roles here, or "
            "type @ and their e-mail (or the role, with hyphens) in the text.",
        )
        _reach_hint(stored.doc, roles)
        st.form_submit_button(
            "Post the comment", type="primary", on_click=_post, args=(stored.id, slug, targets)
        )
    disclosure.close_button(_form_open_key(stored.id, slug))


def _form_open_key(doc_id: int, slug: str) -> str:
    return act.key(doc_id, slug, "new", "open")


def _post(doc_id: int, slug: str, targets: dict) -> None:
    if act.start(doc_id, slug, targets):
        disclosure.fold(_form_open_key(doc_id, slug))


def _reach_hint(doc, roles: list[str]) -> None:
    """Who hears of a mention and how, said where the mention is written (by the next notify run)."""
    config = notify_prefs.configured()
    lines = notices.mention_reach(doc, roles, config.smtp is not None, list(config.chat_channels))
    st.caption(
        "**Who a mention reaches.** A signed-in person: by e-mail, or the channel they chose on My "
        "notifications. A role:  \n" + "  \n".join(md_inline(line) for line in lines)
    )


def show(slug: str, stored: storage.Stored) -> None:
    """The panel: this step's threads, open first, and (for those who may comment) a new-thread form."""
    conn = session.db()
    threads = comments.threads(db=conn, doc_id=stored.id, step=slug)
    open_now = sum(t.is_open for t in threads)
    st.subheader(f":material/forum: Comments ({open_now} open)" if threads else ":material/forum: Comments")
    note = act.take_note(stored.id, slug)
    if note:
        (st.error if note[0] else st.success)(md_inline(note[1]))
    writable = comments.may_comment(conn, stored.id)
    if not writable:
        st.caption("You can read comments; your role cannot write them.")
    choices = act.mention_choices(stored.doc) if writable else {}  # one users query per run, not per thread
    who = list(choices)
    linked = next((t for t in threads if t.id == linked_thread()), None)
    if linked is not None:
        _spotlight(linked.id)
    elif linked_thread() is not None:
        _elsewhere(stored, linked_thread())
    for thread in (t for t in threads if t.is_open):
        _thread(stored, slug, thread, writable, who)
    resolved = [t for t in threads if not t.is_open]
    if resolved:  # kept out of the way, one click from view; open when the link points into it
        opened = linked is not None and not linked.is_open
        with st.expander(
            f"Resolved threads ({len(resolved)})",
            expanded=opened,
            key=act.key(stored.id, slug, "resolved", "linked" if opened else "closed"),
        ):
            for thread in resolved:
                _thread(stored, slug, thread, writable, who)
    if writable:
        _new_thread(stored, slug, who, [m.who for m in choices.values() if m.kind == "role"])
