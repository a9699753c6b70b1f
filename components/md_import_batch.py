"""Many Markdown post-mortems at once (a repository's folder): one row per file with what was found
and its status, a file's mapping on demand, and one button that creates every confirmed draft."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import md_import
from components.md_import import KEY, Source
from components.steps import STEPS
from exports.escape import md_inline
from postmortem.mdimport import ImportResult

_DONE = KEY + "done"  # digest → (stored id, incident ID) of files already created


def _results(found: list[Source], tz: str) -> dict[str, ImportResult]:
    return {s.digest: md_import.run(s, tz, md_import.targets_for(s)) for s in found if s.text is not None}


def _status(source: Source, done: dict) -> str:
    if source.text is None:
        return f"cannot be read: {source.error}"
    if source.digest in done:
        return f"created as {done[source.digest][1]}"
    return "ready"


def _table(found: list[Source], results: dict[str, ImportResult], tz: str) -> pd.DataFrame:
    done = st.session_state.setdefault(_DONE, {})
    rows, pending = [], 0
    for source in found:
        result = results.get(source.digest)
        counts = result.counts() if result else {}
        suggested = ""
        if result and source.digest not in done:
            suggested = md_import.suggested_id(
                result, taken_after=0 if result.source_incident_id else pending
            )
            pending += 0 if result.source_incident_id else 1
        rows.append(
            {
                "Import": bool(result) and source.digest not in done,
                "File": source.name,
                "Status": _status(source, done),
                "Incident ID": done[source.digest][1] if source.digest in done else suggested,
                "Title": result.doc.header.title if result else "",
                "Events": counts.get("timeline events", 0),
                "Actions": counts.get("action items", 0),
                "Unmapped": counts.get("unmapped headings", 0),
                "Notes": len(result.warnings) if result else 0,
            }
        )
    frame = pd.DataFrame(rows)
    key = f"{KEY}batch:{tz}:{'-'.join(s.digest for s in found)}:{len(done)}"
    return st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=[c for c in frame.columns if c not in ("Import", "Incident ID")],
        column_config={
            "Import": st.column_config.CheckboxColumn("Import", help="Create this one"),
            "Incident ID": st.column_config.TextColumn("Incident ID", required=True),
            "Events": st.column_config.NumberColumn("Events", help="Timeline events found"),
            "Actions": st.column_config.NumberColumn("Actions", help="Action items found"),
            "Unmapped": st.column_config.NumberColumn(
                "Unmapped", help="Headings kept as written in the appendix"
            ),
            "Notes": st.column_config.NumberColumn(
                "Notes", help="Things to check; choose the file below to read them"
            ),
        },
        placeholder="",
    )


def _create_all(found: list[Source], results: dict[str, ImportResult], table: pd.DataFrame) -> None:
    done = st.session_state.setdefault(_DONE, {})
    problems = {}
    for source, row in zip(found, table.to_dict("records"), strict=True):
        result = results.get(source.digest)
        if not row["Import"] or result is None or source.digest in done:
            continue
        stored = md_import.create(result, str(row["Incident ID"] or ""), source)
        if isinstance(stored, str):
            problems[source.name] = stored
        else:
            done[source.digest] = (stored.id, stored.doc.header.incident_id)
    st.session_state[KEY + "problems"] = problems


def _report(found: list[Source]) -> None:
    done = st.session_state.get(_DONE, {})
    for name, problem in st.session_state.get(KEY + "problems", {}).items():
        st.error(f"{md_inline(name)}: {md_inline(problem)}")
    created = [(s, done[s.digest]) for s in found if s.digest in done]
    if created:
        st.success(
            f"Created {len(created)} post-mortem{'s' if len(created) != 1 else ''}. Open one to go on:"
        )
        for source, (doc_id, incident_id) in created:
            st.page_link(
                STEPS[0].script,
                label=f"{incident_id} · {source.name}",
                icon=":material/description:",
                query_params={"doc": str(doc_id)},
            )


def many(found: list[Source], tz: str) -> None:
    st.subheader(f"{len(found)} documents")
    st.caption(
        "One row per file. Untick a file to leave it out, change its incident ID if you like, and "
        "open a file below to check how its headings were mapped."
    )
    # The file under review is drawn first (below the table on screen), so a mapping changed there
    # already counts in the table of this same run.
    table_area, review_area = st.container(), st.container()
    with review_area:
        _review(found, tz)
    with table_area:
        results = _results(found, tz)
        table = _table(found, results, tz)
        ready = sum(
            1
            for source, tick in zip(found, table["Import"], strict=True)
            if tick and source.digest in results and source.digest not in st.session_state.get(_DONE, {})
        )
        if st.button(
            f"Create {ready} post-mortem{'s' if ready != 1 else ''}",
            type="primary",
            disabled=not ready,
            key=KEY + "create-all",
        ):
            _create_all(found, results, table)
            st.rerun()
        _report(found)


def _review(found: list[Source], tz: str) -> None:
    readable = [s for s in found if s.text is not None]
    if not readable:
        return
    names = {s.digest: s.name for s in readable}
    chosen = st.selectbox("Check the mapping of", list(names), format_func=names.get, key=KEY + "review")
    source = next(s for s in readable if s.digest == chosen)
    with st.container(border=True):
        md_import.preview(md_import.mapping_editor(source, tz))
