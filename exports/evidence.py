"""Attached evidence in the exports: which files each audience gets, their file names inside a zip,
figure numbers, the Markdown that refers to them and the base64 copy that keeps a JSON export whole.

Pure: the files' bytes come in as a mapping digest -> bytes that the caller read from storage; a file
missing from it is listed by name only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from exports.escape import md_inline
from postmortem.evidence.spreadsheet import for_download
from postmortem.models import AttachedTo, Attachment, PostMortem

FOLDER = "attachments"
# Who is sent what: an audience not named here gets every attachment of its document.
_SAFE_FOR = {
    "exec": ("safe_for_executives", "the executive brief"),
    "public": ("safe_for_public", "the public"),
}
_SECTIONS = ("summary", "impact", "timeline", "went_wrong", "root_cause", "appendix")
_SECTION_TITLES = {
    "summary": "Summary",
    "impact": "Impact",
    "timeline": "Timeline",
    "went_wrong": "What went wrong",
    "root_cause": "Root cause",
    "appendix": "Appendix",
}


@dataclass(frozen=True)
class Item:
    """One attachment as an export shows it: where it belongs, its file name, its figure number."""

    attachment: Attachment
    place: str
    file_name: str  # unique within the export: attachments/<file_name>
    figure: int | None  # images are numbered Figure 1, 2, … in document order


def _short(text: str, limit: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _places(doc: PostMortem) -> dict[tuple[AttachedTo, str], tuple[int, str]]:
    """(reading order, label) of every place a file can belong to: each section, with the events,
    factors and boxes after the section they appear in."""
    found: list[tuple[tuple[AttachedTo, str], str]] = []
    for section in _SECTIONS:
        found.append(((AttachedTo.SECTION, section), _SECTION_TITLES[section]))
        if section == "timeline":
            found += [
                ((AttachedTo.EVENT, e.id), f"Timeline, {e.at:%Y-%m-%d %H:%M} UTC: {_short(e.text)}")
                for e in sorted(doc.timeline, key=lambda e: e.at)
            ]
        if section == "went_wrong":
            found += [
                ((AttachedTo.FACTOR, f.id), f"Contributing factor {n}: {_short(f.text)}")
                for n, f in enumerate(doc.contributing_factors, 1)
            ]
        if section == "root_cause":
            found += [
                ((AttachedTo.CAUSAL_BOX, b.id), f"Causal tree: {_short(b.text)}")
                for b in doc.root_cause.causal_tree.nodes
            ]
    return {place: (n, label) for n, (place, label) in enumerate(found)}


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, f".{ext}") if dot else (name, "")
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate, n = f"{stem}-{n}{ext}", n + 1
    taken.add(candidate.lower())
    return candidate


def items(doc: PostMortem, audience: str = "team") -> list[Item]:
    """The attachments `audience` gets, in reading order, numbered and named as in every audience's
    export (names are given over all of them, so one zip's attachments/ folder serves every audience)."""
    places = _places(doc)
    unplaced = (len(places), "Other evidence")  # a file whose event was deleted still goes out, last
    ordered = sorted(
        doc.attachments, key=lambda a: (places.get((a.target, a.target_id), unplaced)[0], a.position)
    )
    taken: set[str] = set()
    names = {a.id: _unique(a.name, taken) for a in ordered}
    field = _SAFE_FOR.get(audience, (None,))[0]
    out, figure = [], 0
    for a in ordered:
        if field is not None and not getattr(a, field):
            continue
        figure += a.is_image
        out.append(
            Item(
                a,
                places.get((a.target, a.target_id), unplaced)[1],
                names[a.id],
                figure if a.is_image else None,
            )
        )
    return out


def withheld(doc: PostMortem, audience: str) -> list[str]:
    """One line per attachment `audience` does not get (only exec and public leave any out)."""
    if audience not in _SAFE_FOR:
        return []
    field, whom = _SAFE_FOR[audience]
    return [
        f"Attachment {a.name} (not marked safe for {whom})" for a in doc.attachments if not getattr(a, field)
    ]


def caption(item: Item) -> str:
    text = item.attachment.caption or item.attachment.alt or item.file_name
    return f"Figure {item.figure}: {text}" if item.figure else text


def markdown(listed: Sequence[Item]) -> str:
    """An Evidence section: pictures shown from attachments/<name>, other files linked by name."""
    if not listed:
        return ""
    lines, place = ["## Evidence", ""], None
    for item in listed:
        if item.place != place:
            place = item.place
            lines += [f"### {md_inline(place)}", ""]
        a, target = item.attachment, f"{FOLDER}/{item.file_name}"
        if item.figure:
            lines += [
                f"![{md_inline(a.alt or a.caption or item.file_name)}](<{target}>)",
                "",
                f"*{md_inline(caption(item))}*",
                "",
            ]
        else:
            about = f": {md_inline(a.caption)}" if a.caption else ""
            lines += [
                f"- [{md_inline(item.file_name)}](<{target}>) ({a.media_type}, {_kb(a.size)}){about}",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def _kb(size: int) -> str:
    return f"{max(1, round(size / 1024))} KB"


def zip_entries(listed: Sequence[Item], blobs: Mapping[str, bytes]) -> list[tuple[str, bytes]]:
    """(path in the zip, bytes) for every listed file the caller passed the bytes of; a CSV file
    with its formula-like cells turned into text (postmortem.evidence.spreadsheet)."""
    return [
        (f"{FOLDER}/{i.file_name}", for_download(blobs[i.attachment.digest], i.attachment.media_type))
        for i in listed
        if i.attachment.digest in blobs
    ]
