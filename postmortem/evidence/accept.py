"""From an upload's bytes and name to what Debrief keeps: checked, cleaned, named and digested."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from postmortem.evidence import documents, images
from postmortem.evidence.errors import AttachmentRefused
from postmortem.evidence.kinds import IMAGES, MediaType, binary_kind, is_markup, sniff_binary
from postmortem.evidence.limits import MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, MAX_FILES_PER_DOCUMENT, MIB
from postmortem.evidence.names import safe_name
from postmortem.models import Attachment


@dataclass(frozen=True)
class Accepted:
    """A file ready to store: `data` is what is kept (re-encoded image, UTF-8 text, the PDF)."""

    data: bytes
    digest: str  # sha-256 of `data`, hex: the blob's key
    media_type: MediaType
    name: str
    width: int | None = None
    height: int | None = None
    notes: tuple[str, ...] = ()  # what changed on the way in, to tell the author

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGES

    def attachment(self, **fields: object) -> Attachment:
        """An attachment naming this file; `fields` say where it sits and what it shows."""
        return Attachment(
            digest=self.digest,
            media_type=self.media_type.value,
            name=self.name,
            size=self.size,
            width=self.width,
            height=self.height,
            **fields,
        )


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _accepted(data: bytes, kind: MediaType, name: str, **extra: object) -> Accepted:
    return Accepted(data, digest_of(data), kind, safe_name(name, kind), **extra)


def accept(data: bytes, name: str) -> Accepted:
    """Check one uploaded file; raise AttachmentRefused with the reason when it cannot be kept."""
    if not data:
        raise AttachmentRefused(f"{safe_name(name, MediaType.TEXT)!r} is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentRefused(
            f"The file is {len(data) / MIB:.1f} MB; the limit is {MAX_FILE_BYTES // MIB} MB per file."
        )
    kind = sniff_binary(data)
    if kind in IMAGES:
        pixels = images.reencode(data, kind)
        return _accepted(
            pixels.data, pixels.media_type, name, width=pixels.width, height=pixels.height, notes=pixels.notes
        )
    if kind is MediaType.PDF:
        return _accepted(documents.check_pdf(data), kind, name)
    if is_markup(data):
        raise AttachmentRefused(
            "HTML, SVG and XML files are not kept: they can carry scripts. "
            "Attach a screenshot (PNG) or a PDF instead."
        )
    what = binary_kind(data)
    try:
        text, kind, notes = documents.check_text(data)
    except AttachmentRefused:
        if what:
            raise AttachmentRefused(
                f"This is {what}; Debrief keeps PNG, JPEG, GIF and WebP images, "
                "PDFs, plain-text logs and CSV files."
            ) from None
        raise
    return _accepted(text, kind, name, notes=notes)


def room_for(current_bytes: int, current_files: int, adding: list[Accepted]) -> None:
    """Raise AttachmentRefused if `adding` would take a document past its limits."""
    total = current_bytes + sum(a.size for a in adding)
    if total > MAX_DOCUMENT_BYTES:
        raise AttachmentRefused(
            f"These files would bring the post-mortem to {total / MIB:.1f} MB of attachments; "
            f"the limit is {MAX_DOCUMENT_BYTES // MIB} MB."
        )
    if current_files + len(adding) > MAX_FILES_PER_DOCUMENT:
        raise AttachmentRefused(f"A post-mortem holds up to {MAX_FILES_PER_DOCUMENT} attachments.")
