"""Attached evidence in a Word document: each picture at the text's width with "Figure N: caption"
under it, and every other file listed by name (Word cannot show a log or a PDF inline)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docx.image.image import Image as WordImage
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Emu
from lxml import etree

from exports.evidence import Item, caption
from exports.wordml import Format, paragraph, run

_TWIPS_TO_EMU = 635
_WORD_READS = ("image/png", "image/jpeg", "image/gif")  # python-docx embeds these as they are


def _word_picture(data: bytes, media_type: str) -> bytes:
    """WebP is not a Word picture format: it goes in as PNG (Pillow only where needed)."""
    if media_type in _WORD_READS:
        return data
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(data)).save(out, "PNG")
    return out.getvalue()


def _width(item: Item, page_width: int) -> int:
    """The text's width in EMU, narrower only when that would make the picture taller than most of a page."""
    a = item.attachment
    wide, high = a.width or 4, a.height or 3
    page = page_width * _TWIPS_TO_EMU
    return int(min(page, 1.05 * page * wide / high))  # A4 text is about 1.5 times as tall as it is wide


class _Pictures:
    """The export's picture parts, one per digest. python-docx's own add_picture looks for an equal
    picture by hashing every picture already added, each time: with 50 screenshots that was 1,275
    SHA-1 runs over megabytes (2.6 s of a 3 s export). Attachments are content-addressed already,
    so their digest says which ones are the same."""

    # Drawing ids only need to be unique in the document; the body is built as a string, so
    # python-docx's next_id cannot see the pictures placed before (it would give them all one id).
    FIRST_SHAPE_ID = 10_000

    def __init__(self, document, media: dict[str, bytes]) -> None:
        self._part = document.part
        self._added: dict[str, tuple[str, WordImage]] = {}
        self._shapes = 0
        self._media = media

    def inline(self, digest: str, data: bytes, media_type: str, width: int):
        if digest not in self._added:
            image = WordImage.from_blob(_word_picture(data, media_type))
            n = len(self._added) + 1
            partname = PackURI(f"/word/media/evidence{n}.{image.ext}")
            # The part goes into python-docx's package empty and its bytes into the zip afterwards
            # (docx._stable): python-docx deflates every part, and deflating 50 screenshots that are
            # compressed already took most of the export's time for nothing.
            part = ImagePart(partname, image.content_type, b"", image)
            self._media[partname.membername] = image.blob
            self._part.package.image_parts.append(part)
            self._added[digest] = (self._part.relate_to(part, RELATIONSHIP_TYPE.IMAGE), image)
        rid, image = self._added[digest]
        self._shapes += 1
        cx, cy = image.scaled_dimensions(Emu(width), None)
        return CT_Inline.new_pic_inline(self.FIRST_SHAPE_ID + self._shapes, rid, image.filename, cx, cy)


@dataclass
class Section:
    """What docx.to_docx appends: called with (python-docx Document, text width in twips) it gives
    the body XML; `media` then holds the pictures' bytes by their path in the package."""

    listed: Sequence[Item]
    blobs: Mapping[str, bytes]
    media: dict[str, bytes] = field(default_factory=dict)

    def __call__(self, document, page_width: int) -> str:
        parts, place = [paragraph(run("Evidence"), "Heading1", keep_next=True)], None
        pictures = _Pictures(document, self.media)
        for item in self.listed:
            if item.place != place:
                place = item.place
                parts.append(paragraph(run(place), "Heading2", keep_next=True))
            a = item.attachment
            data = self.blobs.get(a.digest)
            if item.figure and data is not None:
                inline = pictures.inline(a.digest, data, a.media_type, _width(item, page_width))
                drawing = etree.tostring(inline, encoding="unicode")
                parts.append(
                    f'<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr>'
                    f"<w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>"
                )
                parts.append(paragraph(run(caption(item)), "Caption"))
            else:
                about = f": {a.caption}" if a.caption else ""
                missing = "" if data is not None or not item.figure else " (picture not included)"
                parts.append(paragraph(run(item.file_name, Format(bold=True)) + run(f"{about}{missing}")))
        return "".join(parts)


def section(listed: Sequence[Item], blobs: Mapping[str, bytes]) -> Section | None:
    """The Evidence section docx.to_docx appends, or None when the audience gets no files."""
    return Section(listed, blobs) if listed else None
