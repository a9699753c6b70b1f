"""Images decoded and written again by Pillow: only pixels survive (no EXIF, GPS, comments, colour
profiles or bytes appended after the image), at a bounded size."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from postmortem.evidence.errors import AttachmentRefused
from postmortem.evidence.kinds import PILLOW_FORMAT, MediaType
from postmortem.evidence.limits import JPEG_QUALITY, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE


@dataclass(frozen=True)
class Pixels:
    data: bytes
    media_type: MediaType
    width: int
    height: int
    notes: tuple[str, ...] = ()


def _too_many_pixels(width: int, height: int) -> AttachmentRefused:
    return AttachmentRefused(
        f"The image says it is {width:,} × {height:,} pixels; Debrief takes images of up "
        f"to {MAX_IMAGE_PIXELS // 1_000_000} million pixels."
    )


def _open(data: bytes, kind: MediaType) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMAT[kind]])
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # Pillow's own guard (far above ours) fired while reading the header.
        raise AttachmentRefused(
            f"The image says it has more than {MAX_IMAGE_PIXELS // 1_000_000} million "
            "pixels; Debrief does not decode it."
        ) from exc
    except Exception as exc:
        raise AttachmentRefused(
            f"This file starts like a {kind.name} image but is not a readable one."
        ) from exc
    # Checked from the header, before a single pixel is decoded.
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(image.width, image.height)
    return image


def _first_frame(image: Image.Image) -> tuple[Image.Image, tuple[str, ...]]:
    # An animation is kept as its first frame: exports (Word, PDF) show one still, and every
    # further frame would multiply the decoding work an attacker can ask for.
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
        return image, ("The animation was kept as its first frame.",)
    return image, ()


def _pixels_only(image: Image.Image) -> Image.Image:
    """A fresh image holding only the pixels, turned upright as the camera's EXIF said."""
    image = ImageOps.exif_transpose(image)  # reads the orientation, then the tag goes with the rest
    if image.mode.startswith("I"):
        # 16-bit grey (some graphing tools write it): scaled to 8 bits; a plain convert would clip to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _bounded(image: Image.Image) -> Image.Image:
    if max(image.size) > MAX_IMAGE_SIDE:
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    return image


def _encode(image: Image.Image, kind: MediaType) -> tuple[bytes, MediaType]:
    out = io.BytesIO()
    if kind is MediaType.JPEG:
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif kind is MediaType.WEBP:
        image.save(out, "WEBP", quality=JPEG_QUALITY)
    else:  # PNG, and GIF as PNG: lossless, one frame, and every export reads it
        image.save(out, "PNG", optimize=False)
        kind = MediaType.PNG
    return out.getvalue(), kind


def reencode(data: bytes, kind: MediaType) -> Pixels:
    """The image's pixels in a new file of the same kind (a GIF becomes a PNG)."""
    image = _open(data, kind)
    large = max(image.size) > MAX_IMAGE_SIDE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image, animated = _first_frame(image)
            if kind is MediaType.JPEG and max(image.size) > MAX_IMAGE_SIDE:
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale (still at least the bound): less time and memory.
                image.draft(image.mode, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            image.load()
            image = _bounded(_pixels_only(image))
    except Exception as exc:
        # files (found by the hypothesis tests); whatever a hostile file trips, the author gets a sentence.
        raise AttachmentRefused(
            f"The {kind.name} image is damaged or cut short and could not be read."
        ) from exc
    encoded, out_kind = _encode(image, kind)
    scaled = (f"Scaled down to {image.width} × {image.height} pixels.",) if large else ()
    return Pixels(encoded, out_kind, image.width, image.height, animated + scaled)


# The gallery's width. Streamlit's st.image re-encodes on every rerun any picture that is wider than
# the width asked for, or not in the output format asked for: a thumbnail made at this width, as a
# JPEG, and drawn with output_format=THUMBNAIL_FORMAT goes out as it is.
THUMBNAIL_SIDE = 160
THUMBNAIL_FORMAT = "JPEG"
_THUMBNAIL_BACKGROUND = (255, 255, 255)  # transparent parts of a screenshot show as the page does


def thumbnail(data: bytes) -> bytes:
    """A small JPEG of a stored (already checked) image, for the gallery: drawing 50 full-size
    screenshots on every rerun of a step costs seconds, their thumbnails milliseconds."""
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # a JPEG decodes at 1/8 scale: 8x less work
        small = image.convert("RGBA")
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    flat = Image.new("RGB", small.size, _THUMBNAIL_BACKGROUND)
    flat.paste(small, mask=small.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, THUMBNAIL_FORMAT, quality=85)
    return out.getvalue()
