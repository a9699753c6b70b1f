"""Pictures an imported post-mortem shows from files beside it (`![graph](images/graph.png)` with
images/graph.png in the same folder or zip): each becomes an attachment of the event or section
whose text shows it, through the same checks as an upload (decoded, re-encoded, metadata dropped).
A picture whose file did not come along, or that the checks refuse, is listed for the author; its
address stays a link as before. Nothing is fetched: web addresses stay links."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from postmortem import language
from postmortem.evidence import Accepted, AttachmentRefused, accept, room_for
from postmortem.mdimport import references
from postmortem.mdimport.bundle import normalised
from postmortem.mdimport.pictures import found_pictures
from postmortem.models import AttachedTo, Attachment, PostMortem

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Sections a picture can sit beside (as the wizard and the exports show them); the rest go to the appendix.
_SECTIONS = {"summary": "summary", "impact": "impact", "went_wrong": "went_wrong", "root_cause": "root_cause"}
_ALT_CHARS = 500


@dataclass(frozen=True)
class LocalPictures:
    doc: PostMortem  # with the pictures attached and their links dropped
    files: list[Accepted]  # to store before the document (each blob once)
    report: list[str]  # one line per picture attached, missing or refused
    left_out: list[str]  # the lines of the report on pictures missing or refused


def _is_local(url: str) -> bool:
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "#"))


def _file_for(url: str, beside: str, files: Mapping[str, bytes]) -> str | None:
    """The path in `files` a relative address names, read from the Markdown file's own folder."""
    address = unquote(url.split("#", 1)[0].split("?", 1)[0])
    for candidate in (posixpath.join(beside, address), address):
        path = normalised(candidate)
        if path in files:
            return path
    # A folder chosen file by file arrives without its subfolders: a unique file name still matches.
    same_name = [p for p in files if posixpath.basename(p) == posixpath.basename(address)]
    return same_name[0] if len(same_name) == 1 else None


def _place(doc: PostMortem, url: str) -> tuple[AttachedTo, str]:
    """The event, factor or section whose text shows the picture (the appendix when none does)."""
    for path, _, text in language.narrative_fields(doc):
        if url not in text:
            continue
        head, _, rest = path.partition(".")
        index = rest.split(".")[0]
        if head == "timeline" and index.isdigit():
            return AttachedTo.EVENT, doc.timeline[int(index)].id
        if head == "contributing_factors" and index.isdigit():
            return AttachedTo.FACTOR, doc.contributing_factors[int(index)].id
        return AttachedTo.SECTION, _SECTIONS.get(head, "appendix")
    return AttachedTo.SECTION, "appendix"


def _attachment(item: Accepted, alt: str, place: tuple[AttachedTo, str], position: int) -> Attachment:
    return item.attachment(
        alt=" ".join(alt.split())[:_ALT_CHARS] if item.is_image else "",
        target=place[0],
        target_id=place[1],
        position=position,
    )


def attach_local_pictures(
    doc: PostMortem,
    text: str,
    markdown_path: str,
    files: Mapping[str, bytes],
    check: Callable[[bytes, str], Accepted] = accept,
) -> LocalPictures:
    """`doc` (imported from `text`, found at `markdown_path` in the folder or zip) with each picture
    it shows from a file in `files` attached where the text shows it. `check` is the upload's check
    (the app passes one that remembers files it has already checked)."""
    beside = posixpath.dirname(normalised(markdown_path) or "")
    kept: dict[str, Accepted] = {}
    attachments, report, left_out, seen, attached = list(doc.attachments), [], [], set(), set()
    for url, alt in found_pictures(references.inline_references(text)):
        if not _is_local(url) or url in seen:
            continue
        seen.add(url)
        path = _file_for(url, beside, files)
        if path is None:
            left_out.append(f"Picture {url}: not attached, the file was not in the upload (it stays a link).")
            continue
        try:
            item = kept.get(path) or _checked(check, files[path], path, kept)
        except AttachmentRefused as refusal:
            left_out.append(f"Picture {url}: not attached. {refusal}")
            continue
        kept[path] = item
        place = _place(doc, url)
        position = sum(1 for a in attachments if (a.target, a.target_id) == place)
        attachments.append(_attachment(item, alt, place, position))
        attached.add(url)
        report.append(f"Picture {url}: attached as {item.name}.")
    links = [link for link in doc.links if link.url not in attached]
    doc = doc.model_copy(update={"attachments": attachments, "links": links})
    unique = list({i.digest: i for i in kept.values()}.values())
    return LocalPictures(doc, unique, report + left_out, left_out)


def _checked(
    check: Callable[[bytes, str], Accepted], data: bytes, path: str, kept: Mapping[str, Accepted]
) -> Accepted:
    """The file as an upload is checked, within the room one post-mortem has for attachments."""
    item = check(data, posixpath.basename(path))
    room_for(sum(k.size for k in kept.values()), len(kept), [item])
    return item
