"""One entry point for every export: (document, audience, format) -> bytes, shared by the app and the CLI.

Each audience's content is written once as Markdown; the Word document is laid out from that Markdown,
and the JSON is the audience's content as data (for the owning team, the whole document, losslessly).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from exports import evidence, evidence_docx
from exports.docx import TitleBlock, TreeFigure, title_block, to_docx
from exports.executive import executive_facts, executive_markdown
from exports.jsonfmt import to_json
from exports.markdown import owner_roles, to_markdown
from exports.open_questions import OpenQuestion, with_appendix
from exports.public import public_facts, public_markdown, public_title
from exports.redact import redactor_for
from exports.regulator import AuditEntry, regulator_facts, regulator_markdown
from postmortem.evidence.carry import FILES_KEY, encoded
from postmortem.models import ContactKind, PostMortem
from postmortem.names import without_names_in_text

AUDIENCES: dict[str, str] = {
    "team": "Owning team",
    "engineering": "All engineering",
    "exec": "Executives",
    "public": "Public status page",
    "regulator": "Regulator",
}
ABOUT: dict[str, str] = {
    "team": "The full document, names included.",
    "engineering": "The full document; people appear as their roles.",
    "exec": "One page: the summary in business terms, impact in customers, money and minutes, how it was "
    "fixed, the three most important open actions with their owner's role, severity and the deadline; "
    "people named in the text appear as their roles.",
    "public": "For the status page, in text written for customers: when they were affected, what they saw, "
    "what to do, how it was fixed and what is changing. No names, tickets, money, hosts, addresses "
    "or other internal names.",
    "regulator": "A separate report with named accountability, sign-offs, the audit trail and a DORA "
    "final-report section.",
}
FORMATS: tuple[str, ...] = ("md", "docx", "json")
# Who may read people's names written in narrative text; everyone else reads their roles instead.
NAMED_IN_TEXT = ("team", "regulator")
MEDIA_TYPES = {
    "md": "text/markdown",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def markdown_for(
    doc: PostMortem,
    audience: str,
    trail: Sequence[AuditEntry] = (),
    public_domains: Sequence[str] = (),
    *,
    country: str,
) -> str:
    """The audience's document as Markdown: the one place each audience's content is decided. Deadlines
    skip `country`'s public holidays (the app's configured one: no default, so no caller can forget it)."""
    if audience == "team":
        return to_markdown(doc)
    if audience == "engineering":
        return to_markdown(doc, names=False)
    if audience == "exec":
        return executive_markdown(doc, country)
    if audience == "public":
        return public_markdown(doc, public_domains=public_domains)
    return regulator_markdown(doc, trail)


def roles_only(doc: PostMortem) -> PostMortem:
    """The document with every person shown as their role: contacts, owners and sign-offs."""
    roles = owner_roles(doc)
    contacts = [
        c if c.kind is ContactKind.TEAM else c.model_copy(update={"name": c.role or "person", "contact": ""})
        for c in doc.contacts
    ]
    actions = [a.model_copy(update={"owner": roles.get(a.owner, "")}) for a in doc.action_items]
    signs = [s.model_copy(update={"name": s.role.value}) for s in doc.sign_offs]
    # Text kept as written from an imported document may name people: it stays with the owning team.
    return doc.model_copy(
        update={"contacts": contacts, "action_items": actions, "sign_offs": signs, "imported": []}
    )


def _with_files(text: str, doc: PostMortem, blobs: Mapping[str, bytes] | None) -> str:
    """The document's JSON with its attached files beside it (base64), so an import gets them back."""
    if not blobs or not doc.attachments:
        return text
    return json.dumps({**json.loads(text), FILES_KEY: encoded(doc, blobs)}, indent=2, ensure_ascii=False)


def _json(
    doc: PostMortem,
    audience: str,
    trail: Sequence[AuditEntry],
    public_domains: Sequence[str],
    country: str,
    blobs: Mapping[str, bytes] | None = None,
) -> str:
    if audience == "team":
        return _with_files(to_json(doc), doc, blobs)
    if audience == "engineering":
        return _with_files(to_json(roles_only(doc)), doc, blobs)
    facts: dict[str, Any] = {
        "exec": lambda: executive_facts(doc, country),
        "public": lambda: public_facts(doc, public_domains=public_domains),
        "regulator": lambda: regulator_facts(doc, trail),
    }[audience]()
    if doc.attachments:  # the files this audience gets, as named in the zip
        facts["attachments"] = [
            {"file": f"{evidence.FOLDER}/{i.file_name}", "caption": evidence.caption(i)}
            for i in evidence.items(doc, audience)
        ]
    return json.dumps({"audience": audience, **facts}, indent=2, ensure_ascii=False, default=str)


def _title(doc: PostMortem, audience: str, public_domains: Sequence[str] = ()) -> TitleBlock:
    h = doc.header
    if audience == "public":
        title = public_title(doc, redactor_for(doc, public_domains))
        return title_block(doc, AUDIENCES[audience], public=True, title=title)
    prefix = {"exec": "Executive brief: ", "regulator": "Regulatory report: "}.get(audience, "")
    return title_block(
        doc, AUDIENCES[audience], public=False, title=f"{prefix}{h.title}", with_facts=audience != "exec"
    )


def render(
    doc: PostMortem,
    audience: str = "team",
    fmt: str = "md",
    *,
    country: str,
    trail: Sequence[AuditEntry] = (),
    public_domains: Sequence[str] = (),
    open_questions: Sequence[OpenQuestion] = (),
    blobs: Mapping[str, bytes] | None = None,
) -> bytes:
    """The document for one audience in one format. `trail` (saved versions) feeds the regulator's audit trail;
    links and hosts on `public_domains` stay in the public document, all others are withheld; `open_questions`
    adds the opt-in appendix of open comment threads, to the owning team's md and docx only; deadlines skip
    `country`'s public holidays."""
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}; choose one of: {', '.join(AUDIENCES)}.")
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    if audience not in NAMED_IN_TEXT:
        doc = without_names_in_text(doc)
    if audience == "public":
        doc = _public_captions(doc, public_domains)
    if fmt == "json":
        return _json(doc, audience, trail, public_domains, country, blobs).encode("utf-8")
    markdown = with_appendix(
        markdown_for(doc, audience, trail, public_domains, country=country), audience, open_questions
    )
    # `blobs`: the attached files' bytes by digest, read by the caller (exports stay pure).
    files = evidence.items(doc, audience)
    if fmt == "md":
        return (markdown.rstrip("\n") + "\n\n" + evidence.markdown(files) if files else markdown).encode(
            "utf-8"
        )
    tree = _tree_figure(doc) if audience in ("team", "engineering") else None
    return to_docx(
        markdown,
        _title(doc, audience, public_domains),
        doc.header.times.started_at,
        tree,
        evidence_docx.section(files, blobs or {}),
    )


def _public_captions(doc: PostMortem, public_domains: Sequence[str]) -> PostMortem:
    """Captions and alt text of the files cleared for the public, through the public report's redaction."""
    if not doc.attachments:
        return doc
    redact = redactor_for(doc, public_domains)
    return doc.model_copy(
        update={
            "attachments": [
                a.model_copy(update={"caption": redact(a.caption), "alt": redact(a.alt)})
                for a in doc.attachments
            ]
        }
    )


def _tree_figure(doc: PostMortem) -> TreeFigure | None:
    """The causal tree's picture and outline for Word, when the document has a tree."""
    tree = getattr(doc.root_cause, "causal_tree", None)
    if tree is None or not getattr(tree, "nodes", None):
        return None
    from exports.tree_image import png  # Pillow is loaded only for documents with a tree
    from postmortem.causal import to_outline

    return TreeFigure(png(tree), to_outline(tree))


def file_name(doc: PostMortem, audience: str, fmt: str) -> str:
    """A safe file name such as INC-2026-0101-public.docx."""
    stem = "".join(c if c.isalnum() or c in "._-" else "-" for c in doc.header.incident_id)
    # ".." reads as a parent folder to some unzip tools and download handlers, even inside a name.
    stem = re.sub(r"\.{2,}", ".", stem).strip("-.")
    return f"{stem or 'postmortem'}-{audience}.{fmt}"


def render_all(
    doc: PostMortem,
    *,
    country: str,
    trail: Sequence[AuditEntry] = (),
    audiences: Sequence[str] = (),
    public_domains: Sequence[str] = (),
    blobs: Mapping[str, bytes] | None = None,
) -> bytes:
    """A zip with every audience (or those given) in every format, and the attached files those
    audiences get in attachments/ beside them (the Markdown refers to them there)."""
    out = io.BytesIO()
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for audience in audiences or AUDIENCES:
            files.update(evidence.zip_entries(evidence.items(doc, audience), blobs or {}))
            for fmt in FORMATS:
                archive.writestr(
                    file_name(doc, audience, fmt),
                    render(
                        doc,
                        audience,
                        fmt,
                        country=country,
                        trail=trail,
                        public_domains=public_domains,
                        blobs=blobs,
                    ),
                )
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
    return out.getvalue()
