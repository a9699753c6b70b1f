"""Attached files carried inside a JSON export (base64, by digest) and taken back in on import
through the same checks as an upload: a file is decoded and re-encoded, never trusted as it comes."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping

from postmortem.evidence.accept import Accepted, accept, room_for
from postmortem.evidence.errors import AttachmentRefused
from postmortem.models import PostMortem

FILES_KEY = "attachment_files"  # beside the document in the team JSON: {digest: base64}


def encoded(doc: PostMortem, blobs: Mapping[str, bytes]) -> dict[str, str]:
    """The document's files as base64, by digest (those the caller passed the bytes of)."""
    return {
        a.digest: base64.b64encode(blobs[a.digest]).decode("ascii")
        for a in doc.attachments
        if a.digest in blobs
    }


def _decoded(files: object) -> dict[str, bytes]:
    if not isinstance(files, dict):
        raise ValueError(f"'{FILES_KEY}' must map each file's digest to its base64 bytes.")
    out = {}
    for digest, text in files.items():
        try:
            out[str(digest)] = base64.b64decode(text if isinstance(text, str) else b"!", validate=True)
        except ValueError as exc:
            raise ValueError(f"The attached file {str(digest)[:12]} is not valid base64.") from exc
    return out


def split(text: str) -> tuple[str, dict[str, bytes]]:
    """A JSON export's document text without its files, and the files by digest (ValueError when bad)."""
    data = json.loads(text)
    if not isinstance(data, dict) or FILES_KEY not in data:
        return text, {}
    files = _decoded(data.pop(FILES_KEY))
    return json.dumps(data), files


def taken_in(doc: PostMortem, files: Mapping[str, bytes]) -> tuple[PostMortem, list[Accepted], list[str]]:
    """The document with each attachment pointing at its file as checked again here (an image
    re-encoded may get a new digest), the files to store, and notes on attachments whose file the
    JSON did not carry (they are left out). Raises AttachmentRefused naming the file that fails."""
    kept, attachments, notes = {}, [], []
    for a in doc.attachments:
        if a.digest not in files:
            notes.append(f"{a.name}: the file is not in the JSON, so the attachment was left out.")
            continue
        try:
            item = kept.get(a.digest) or accept(files[a.digest], a.name)
        except AttachmentRefused as refusal:
            raise AttachmentRefused(f"{a.name}: {refusal}") from None
        kept[a.digest] = item
        attachments.append(
            a.model_copy(
                update={
                    "digest": item.digest,
                    "media_type": item.media_type.value,
                    "size": item.size,
                    "width": item.width,
                    "height": item.height,
                }
            )
        )
    unique = list({i.digest: i for i in kept.values()}.values())
    room_for(0, 0, unique)
    return doc.model_copy(update={"attachments": attachments}), unique, notes
