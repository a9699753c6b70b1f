"""The archive page's parts: the search box and filters, the saved "my services" filter, and one
page of results, each opening its post-mortem in the wizard.

Only the shown page is read (ids, header columns and snippets), never the documents' bodies.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import storage
from components import config, session
from components.steps import STEPS
from exports.escape import md_inline
from postmortem.models import DocStatus, Severity
from storage import search, vocabulary

PAGE_SIZE = 20
MY_SERVICES = "my services"
K = "archive:"  # every widget key of this page starts with it
SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest incident first",
    "oldest": "Oldest incident first",
}


def highlighted(parts: tuple[search.Segment, ...]) -> str:
    """A snippet as Markdown: every piece of user text escaped first, then the matches marked."""
    out = []
    for text, hit in parts:
        escaped = md_inline(text)  # folds whitespace, edges included: put the edge spaces back
        if not escaped:
            out.append(" " if text else "")
            continue
        lead, trail = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
        out.append(lead + (f":orange-background[**{escaped}**]" if hit else escaped) + trail)
    return "".join(out)


@st.cache_data(ttl=60, show_spinner=False, max_entries=256)
def _choices(db_path: str, identity: str, kind: str) -> list[str]:
    # Counting every label of 20,000 documents takes longer than the rest of a rerun; a list of names
    # up to a minute old is fine (a value already chosen stays among the options either way).
    # The path and identity are the cache key: session.db() opens that file for that user.
    db = session.db()
    return search.failure_classes_in_use(db=db) if kind == "class" else search.label_values(db=db, kind=kind)


def choices(kind: str) -> list[str]:
    """Services ("service"), tags ("tag") or failure classes ("class") in use, most used first."""
    db = session.db()
    return _choices(str(config.db_path()), storage.access.actor_of(db).identity, kind)


def _reset_page() -> None:
    st.session_state[K + "page"] = 0


def _apply_my_services(saved: list[str]) -> None:
    st.session_state[K + "services"] = saved
    _reset_page()


def _save_my_services() -> None:
    chosen = st.session_state.get(K + "services", [])
    vocabulary.save_filter(db=session.db(), name=MY_SERVICES, value={"services": chosen})
    st.toast(
        f"Saved {len(chosen)} service{'s' if len(chosen) != 1 else ''} as your services.",
        icon=":material/star:",
    )


def _with_chosen(options: list[str], key: str) -> list[str]:
    return list(dict.fromkeys([*options, *st.session_state.get(K + key, [])]))


def _date_range(value: object) -> tuple[date | None, date | None]:
    picked = list(value) if isinstance(value, (list, tuple)) else [value] if value else []
    return (picked[0] if picked else None), (picked[1] if len(picked) > 1 else None)


def filters(db: storage.Database) -> search.Query:
    """Draw the search box and filters; return the query they describe (page number included)."""
    saved = (vocabulary.saved_filter(db=db, name=MY_SERVICES) or {}).get("services", [])
    services = list(dict.fromkeys([*choices("service"), *saved, *st.session_state.get(K + "services", [])]))
    text = st.text_input(
        "Search every section",
        key=K + "text",
        on_change=_reset_page,
        placeholder="Words from any section, e.g. connection pool, certificate, rollback",
        help="Every word must appear (any section). Put a phrase in double quotes.",
    )
    a, b, c, d = st.columns(4)
    chosen_services = a.multiselect("Services", services, key=K + "services", on_change=_reset_page)
    severities = b.multiselect(
        "Severity", [s.value for s in Severity], key=K + "severity", on_change=_reset_page
    )
    classes = c.multiselect(
        "Failure class", _with_chosen(choices("class"), "class"), key=K + "class", on_change=_reset_page
    )
    statuses = d.multiselect("Status", [s.value for s in DocStatus], key=K + "status", on_change=_reset_page)
    e, f, g, h = st.columns(4)
    tags = e.multiselect("Tags", _with_chosen(choices("tag"), "tags"), key=K + "tags", on_change=_reset_page)
    author_role = f.text_input("Author (role)", key=K + "author", on_change=_reset_page)
    since, until = _date_range(
        g.date_input(
            "Incident date (from – to)", value=(), key=K + "dates", on_change=_reset_page, format="YYYY-MM-DD"
        )
    )
    sort = h.selectbox(
        "Sort", list(SORT_LABELS), format_func=SORT_LABELS.get, key=K + "sort", on_change=_reset_page
    )
    left, right, mine = st.columns([1, 1, 2])
    left.button(
        "My services" + (f" ({len(saved)})" if saved else ""),
        icon=":material/star:",
        key=K + "mine",
        disabled=not saved,
        on_click=_apply_my_services,
        args=(saved,),
        help="Filter by the services you saved as yours."
        if saved
        else "Pick services above, then save them as yours.",
    )
    right.button(
        "Save these services as mine",
        key=K + "save-mine",
        on_click=_save_my_services,
        disabled=not chosen_services,
        help="Kept for your sign-in, on this server, across restarts.",
    )
    started = mine.toggle("Only post-mortems I started", key=K + "started-by-me", on_change=_reset_page)
    author = storage.access.actor_of(db).identity if started else ""
    return search.Query(
        text=text,
        services=tuple(chosen_services),
        severities=tuple(severities),
        failure_classes=tuple(classes),
        statuses=tuple(statuses),
        tags=tuple(tags),
        author_role=author_role,
        author=author,
        since=since,
        until=until,
        sort=sort,
        limit=PAGE_SIZE,
        offset=PAGE_SIZE * st.session_state.get(K + "page", 0),
    )


def _when(hit: search.Hit) -> str:
    return hit.incident_at[:10] if hit.incident_at else "no incident date"


def result(hit: search.Hit) -> None:
    with st.container(border=True):
        st.page_link(
            STEPS[0].script,
            label=f"**{md_inline(hit.incident_id)}** · {md_inline(hit.title)}",
            icon=":material/description:",
            query_params={"doc": str(hit.id)},
        )
        facts = [
            hit.severity,
            _when(hit),
            ", ".join(hit.services) or "no services",
            hit.failure_class or "",
            hit.status,
        ]
        st.caption(" · ".join(md_inline(f) for f in facts if f))
        if hit.snippet:
            st.markdown(f"*{md_inline(hit.section)}:* {highlighted(hit.snippet)}")


def _turn(delta: int) -> None:
    st.session_state[K + "page"] = max(0, st.session_state.get(K + "page", 0) + delta)


def results(found: search.Results) -> None:
    q = found.query
    if not found.total:
        st.info(
            "Nothing matches. Remove a filter, or try fewer or other words.", icon=":material/search_off:"
        )
        return
    last = min(q.offset + q.limit, found.total)
    st.caption(f"{q.offset + 1}–{last} of {found.total} post-mortem{'s' if found.total != 1 else ''}")
    for hit in found.hits:
        result(hit)
    pages = -(-found.total // q.limit)
    if pages == 1 and q.offset == 0:
        return
    left, mid, right = st.columns([1, 2, 1])
    left.button("← Previous", key=K + "prev", on_click=_turn, args=(-1,), disabled=q.offset == 0)
    mid.caption(f"Page {q.offset // q.limit + 1} of {pages}")
    right.button("Next →", key=K + "next", on_click=_turn, args=(1,), disabled=last >= found.total)
