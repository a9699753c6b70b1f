"""The archive: a full-text index of every section (SQLite FTS5), filters, and ranked, paged results.

User text reaches MATCH only through `match_expression`, which quotes every word, so FTS syntax
(`OR`, `NEAR(`, `*`, `"`, column filters) typed by a user is searched for as words, never run.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlite_utils import Database

from postmortem.names import data_without_names
from postmortem.searchable import MARK_END, MARK_START, SECTIONS, WEIGHTS, incident_at, section_texts
from storage import access
from storage.tx import write_transaction

SORTS = ("relevance", "newest", "oldest")
MAX_QUERY = 500  # characters; a longer query is cut, not refused
SNIPPET_TOKENS = 18
SUMMARY_CHARS = 240
_SHOWN_ANYWAY = (SECTIONS["title"], SECTIONS["labels"])
Segment = tuple[str, bool]  # (text, is a match)


# --- the index, refreshed on every save -----------------------------------------------------


def index(db: Database, doc_id: int, data: dict) -> None:
    """Refresh one document's filter columns and labels, and queue its text for the index (inside the
    caller's transaction). Indexing a large document's text takes ~20 ms, ten times a whole save, and
    autosave saves on every field change: the text is indexed by the next search instead (`refresh`)."""
    header = data.get("header") or {}
    klass = (header.get("failure_class") or "").strip()
    db.execute(
        "insert into search_docs (id, incident_id, title, severity, status, version, incident_at, failure_class, "
        "class_key, services, author_role, created_by, deleted_at) select id, incident_id, title, severity, status, "
        "version, ?, ?, ?, ?, ?, updated_by, deleted_at from documents where id = ? on conflict (id) do update set "
        "incident_id = excluded.incident_id, title = excluded.title, severity = excluded.severity, "
        "status = excluded.status, version = excluded.version, incident_at = excluded.incident_at, "
        "failure_class = excluded.failure_class, class_key = excluded.class_key, services = excluded.services, "
        "author_role = excluded.author_role, deleted_at = excluded.deleted_at",  # created_by stays the creator
        [
            incident_at(data),
            klass or None,
            klass.lower() or None,
            json.dumps(header.get("services") or []),
            header.get("author_role") or None,
            doc_id,
        ],
    )
    db.execute("delete from doc_labels where doc_id = ?", [doc_id])
    labels = [
        (doc_id, kind, value, value.strip().lower())
        for kind, values in (("service", header.get("services") or []), ("tag", header.get("tags") or []))
        for value in dict.fromkeys(values)
        if value.strip()
    ]
    db.conn.executemany("insert into doc_labels (doc_id, kind, value, key) values (?, ?, ?, ?)", labels)
    db.execute("insert or ignore into search_pending (doc_id) values (?)", [doc_id])


def refresh(db: Database) -> int:
    """Index the text of every document saved since the last search; returns how many were queued.
    Every query of the index calls it first, so a search always sees the latest saves."""
    if not db.execute("select 1 from search_pending limit 1").fetchone():
        return 0  # the usual case: one indexed lookup
    with write_transaction(db):
        pending = [row[0] for row in db.execute("select doc_id from search_pending")]
        for doc_id in pending:
            row = db.execute("select body from documents where id = ?", [doc_id]).fetchone()
            if row:
                # The index holds roles, not names: its snippets reach every role, including those
                # who may not see names (names stay in the contacts table).
                _index_text(db, doc_id, section_texts(data_without_names(json.loads(row[0]))))
        db.execute("delete from search_pending")
    return len(pending)


def _index_text(db: Database, doc_id: int, texts: dict[str, str]) -> None:
    names = list(texts)
    old = db.execute(f"select {', '.join(names)} from search_index where rowid = ?", [doc_id]).fetchone()
    if old and list(old) == list(texts.values()):
        return  # a save that changed no text (a status, a date, a severity)
    db.execute("delete from search_index where rowid = ?", [doc_id])
    db.execute(
        f"insert into search_index (rowid, {', '.join(names)}) values (?{', ?' * len(names)})",
        [doc_id, *texts.values()],
    )


# --- queries --------------------------------------------------------------------------------


def match_expression(text: str) -> str:
    """User text as a safe FTS5 query: each word (or "quoted phrase") in double quotes, all required."""
    # Control characters (NUL ends an FTS5 string early) and our snippet markers become spaces.
    cleaned = "".join(
        " " if c in (MARK_START, MARK_END) or unicodedata.category(c) == "Cc" else c for c in text[:MAX_QUERY]
    )
    return Database.quote_fts(None, cleaned)  # type: ignore[arg-type]  # uses no database state


@dataclass(frozen=True)
class Query:
    text: str = ""
    services: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    failure_classes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    author_role: str = ""  # part of the header's author role, any case
    author: str = ""  # identity that created the document
    since: date | None = None  # incident date, inclusive
    until: date | None = None  # incident date, inclusive
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class DocRef:
    """What a list across post-mortems shows of one: enough to name it and open it."""

    id: int
    incident_id: str
    title: str
    severity: str
    status: str
    incident_at: str | None


@dataclass(frozen=True)
class Hit(DocRef):
    failure_class: str | None
    services: tuple[str, ...]
    section: str = ""  # where the best match is, e.g. "Timeline"
    snippet: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    query: Query = field(default_factory=Query)


def _in(column: str, values: tuple[str, ...]) -> tuple[str, list]:
    return f"{column} in ({', '.join('?' * len(values))})", list(values)


def _label(kind: str, values: tuple[str, ...]) -> tuple[str, list]:
    keys = tuple(v.strip().lower() for v in values)
    sql, params = _in("key", keys)
    return f"d.id in (select doc_id from doc_labels where kind = ? and {sql})", [kind, *params]


def _like_escaped(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(db: Database, q: Query) -> tuple[str, list]:
    """Every filter of `q` (not the text) and the access rule, as one SQL condition on documents `d`."""
    parts: list[tuple[str, list]] = [("d.deleted_at is null", []), access.visible_sql(db, "d.id")]
    if q.services:
        parts.append(_label("service", q.services))
    if q.tags:
        parts.append(_label("tag", q.tags))
    if q.severities:
        parts.append(_in("d.severity", q.severities))
    if q.statuses:
        parts.append(_in("d.status", q.statuses))
    if q.failure_classes:
        sql, params = _in("d.class_key", tuple(c.strip().lower() for c in q.failure_classes))
        parts.append((sql, params))
    if q.author_role.strip():
        parts.append(("d.author_role like ? escape '\\'", [_like_escaped(q.author_role.strip())]))
    if q.author.strip():
        parts.append(("d.created_by = ?", [q.author.strip()]))
    if q.since:
        parts.append(("d.incident_at >= ?", [q.since.isoformat()]))
    if q.until:
        parts.append(("d.incident_at < ?", [(q.until + timedelta(days=1)).isoformat()]))
    return " and ".join(f"({sql})" for sql, _ in parts), [p for _, params in parts for p in params]


_COLUMNS = "d.id, d.incident_id, d.title, d.severity, d.status, d.incident_at, d.failure_class, d.services"
# Newest first walks the (deleted_at, incident_at) index backwards; documents without a date come last.
_BY_DATE = {"newest": "d.incident_at desc, d.id desc", "oldest": "d.incident_at is null, d.incident_at, d.id"}


def _bm25() -> str:
    return "bm25(search_index, " + ", ".join(str(WEIGHTS.get(name, 1.0)) for name in SECTIONS) + ")"


def search(*, db: Database, query: Query) -> Results:
    """One page of documents matching `query`, best first (or by incident date), with snippets."""
    if query.sort not in SORTS:
        raise ValueError(f"Sort by one of: {', '.join(SORTS)}.")
    refresh(db)
    filters, params = _where(db, query)
    phrases = _PHRASE.findall(match_expression(query.text))
    if not phrases:
        order = _BY_DATE["oldest" if query.sort == "oldest" else "newest"]
        rows = db.execute(
            f"select {_COLUMNS} from search_docs d where {filters} order by {order} limit ? offset ?",
            [*params, query.limit, query.offset],
        ).fetchall()
        total = db.execute(f"select count(*) from search_docs d where {filters}", params).fetchone()[0]
        return _results(db, query, rows, total, "")
    found_in = {p: db.execute(f"select count(*) from ({_MATCHING})", [p]).fetchone()[0] for p in phrases}
    if not all(found_in.values()):
        return Results([], 0, query)  # a word found nowhere: nothing can match all of them
    match = " ".join(phrases)
    rows = _matching_page(db, query, filters, params, found_in)
    return _results(db, query, rows, _count(db, query, filters, params, match, found_in), match)


def _matching_page(db: Database, query: Query, filters: str, params: list, found_in: dict[str, int]) -> list:
    documents = db.execute("select count(*) from search_docs").fetchone()[0]
    page = [query.limit, query.offset]
    # BM25 gives a phrase found in more than half of the documents a weight of almost nothing (FTS5
    # floors its IDF at 1e-6): it orders only documents that tie on the other words. A query made only
    # of such words is shown newest first. With others, the whole query is ranked: FTS5 intersects the
    # words' lists itself, faster than checking each ranked match against the common word's list.
    telling = [p for p, n in found_in.items() if n <= documents / 2] if query.sort == "relevance" else []
    common = " ".join(p for p in found_in if p not in telling)
    if telling and _unfiltered(db, query):
        return _ranked_unfiltered(db, query, " ".join(found_in))
    if telling:
        return db.execute(
            f"select {_COLUMNS} from search_index f join search_docs d on d.id = f.rowid "
            f"where search_index match ? and {filters} order by {_bm25()}, d.id limit ? offset ?",
            [" ".join(found_in), *params, *page],
        ).fetchall()
    order = _BY_DATE["oldest" if query.sort == "oldest" else "newest"]
    if min(found_in.values()) > documents * 0.3:  # most match: walk by date, a page is found in a few steps
        return db.execute(
            f"select {_COLUMNS} from search_docs d where {filters} and exists (select 1 from search_index "
            f"where search_index match ? and rowid = d.id) order by {order} limit ? offset ?",
            [*params, common, *page],
        ).fetchall()
    # Fewer match: sort the matches ("+" keeps SQLite from walking the date index past the others).
    return db.execute(
        f"select {_COLUMNS} from search_index f join search_docs d on d.id = f.rowid where search_index match ? "
        f"and {filters} order by {order.replace('d.in', '+d.in')} limit ? offset ?",
        [common, *params, *page],
    ).fetchall()


# Phrases as match_expression writes them: each in double quotes, none containing one.
_PHRASE = re.compile(r'"[^"]*"')
_MATCHING = "select rowid from search_index where search_index match ?"


def _unfiltered(db: Database, query: Query) -> bool:
    """No filter but the words, and the actor sees every document."""
    bare = query == Query(text=query.text, sort=query.sort, limit=query.limit, offset=query.offset)
    return bare and access.visible_sql(db, "d.id") == ("1", [])


def _binned(db: Database, match: str) -> int:
    return db.execute(
        "select count(*) from search_docs d cross join search_index f on f.rowid = d.id "
        "where d.deleted_at is not null and search_index match ?",
        [match],
    ).fetchone()[0]


def _ranked_unfiltered(db: Database, query: Query, match: str) -> list:
    """Rank in FTS5 alone (a third faster than ranking through the join), a few extra for the bin."""
    ids = [
        row[0]
        for row in db.execute(
            f"select rowid from search_index where search_index match ? order by {_bm25()}, rowid limit ?",
            [match, query.offset + query.limit + _binned(db, match)],
        )
    ]
    rows = {
        row[0]: row
        for row in db.execute(
            # "+" keeps SQLite from walking the whole (deleted_at, incident_at) index instead of 20 ids.
            f"select {_COLUMNS} from search_docs d where +d.deleted_at is null and d.id in ({', '.join('?' * len(ids))})",
            ids,
        )
    }
    return [rows[i] for i in ids if i in rows][query.offset : query.offset + query.limit]


def _count(
    db: Database, query: Query, filters: str, params: list, match: str, found_in: dict[str, int]
) -> int:
    """How many documents match. Without filters, FTS5 counts its matches at once (one word's count is
    known already) and the bin is subtracted; with filters, each match is checked against them."""
    if _unfiltered(db, query):
        matches = (
            found_in[match]
            if match in found_in
            else db.execute(f"select count(*) from ({_MATCHING})", [match]).fetchone()[0]
        )
        return matches - _binned(db, match)
    # Each match looked up by id: SQLite would otherwise walk the whole (deleted_at, incident_at) index
    # and test every document against a list of the matches (seven times slower for a common word).
    return db.execute(
        f"select count(*) from search_index f cross join search_docs d on d.id = f.rowid "
        f"where search_index match ? and {filters}",
        [match, *params],
    ).fetchone()[0]


def _results(db: Database, query: Query, rows: list, total: int, match: str) -> Results:
    snippets = _snippets(db, match, [row[0] for row in rows])
    hits = [Hit(*row[:7], tuple(json.loads(row[7] or "[]")), *snippets.get(row[0], ("", ()))) for row in rows]
    return Results(hits, total, query)


def segments(marked: str) -> tuple[Segment, ...]:
    """A snippet with match markers, as (text, is a match) pieces."""
    out: list[Segment] = []
    for n, piece in enumerate(marked.split(MARK_START)):
        inside, _, after = piece.partition(MARK_END) if n else ("", "", piece)
        out += [(inside, True)] if inside else []
        out += [(after, False)] if after else []
    return _joined(out)


def _joined(parts: list[Segment]) -> tuple[Segment, ...]:
    """Matches with only spaces between them as one ("replication lag", not two marks side by side)."""
    out: list[Segment] = []
    for text, hit in parts:
        if hit and len(out) >= 2 and out[-2][1] and not out[-1][1] and not out[-1][0].strip():
            gap = out.pop()[0]
            out[-1] = (out[-1][0] + gap + text, True)
        else:
            out.append((text, hit))
    return tuple(out)


def _snippets(db: Database, match: str, ids: list[int]) -> dict[int, tuple[str, tuple[Segment, ...]]]:
    """Per shown document: the section with the most matches and its snippet (only for the page shown:
    snippets are worked out from the text, far dearer than ranking)."""
    if not ids:
        return {}
    id_list = ", ".join("?" * len(ids))
    if not match:  # filters only: the start of the summary stands in for a snippet
        rows = db.execute(
            f"select rowid, substr(summary, 1, {SUMMARY_CHARS + 1}) from search_index "
            f"where rowid in ({id_list})",
            ids,
        )
        return {rowid: ("Summary", ((_shorten(text), False),) if text else ()) for rowid, text in rows}
    marks = f"'{MARK_START}', '{MARK_END}'"
    columns = ", ".join(
        f"snippet(search_index, {n}, {marks}, '…', {SNIPPET_TOKENS})" for n in range(len(SECTIONS))
    )
    rows = db.execute(
        f"select rowid, {columns} from search_index where search_index match ? and rowid in ({id_list})",
        [match, *ids],
    ).fetchall()
    names = list(SECTIONS.values())
    out = {}
    for rowid, *texts in rows:
        # Title and header labels are shown with every result anyway: quote a section's text if one matched.
        best = max(
            range(len(texts)),
            key=lambda n: (
                names[n] not in _SHOWN_ANYWAY and MARK_START in (texts[n] or ""),
                (texts[n] or "").count(MARK_START),
            ),
        )
        out[rowid] = (names[best], segments(texts[best] or ""))
    return out


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def label_values(*, db: Database, kind: str = "service") -> list[str]:
    """Every service (or tag) used by a document the actor can see, most used first."""
    where, params = access.visible_sql(db, "d.id")
    rows = db.execute(
        "select min(l.value) from doc_labels l join search_docs d on d.id = l.doc_id "
        f"where l.kind = ? and d.deleted_at is null and ({where}) group by l.key order by count(*) desc, l.key",
        [kind, *params],
    ).fetchall()
    return [row[0] for row in rows]


def failure_classes_in_use(*, db: Database) -> list[str]:
    """The failure classes of the documents the actor can see, most used first."""
    where, params = access.visible_sql(db, "d.id")
    rows = db.execute(
        "select min(d.failure_class) from search_docs d where d.class_key is not null "
        f"and d.deleted_at is null and ({where}) group by d.class_key order by count(*) desc, 1",
        params,
    ).fetchall()
    return [row[0] for row in rows]
