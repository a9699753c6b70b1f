"""The limits an upload meets, as named numbers the uploader can state to the author."""

from __future__ import annotations

MIB = 1024 * 1024

# One file as uploaded, before re-encoding: a full-screen retina screenshot or a long log fits.
MAX_FILE_BYTES = 20 * MIB
# Everything one document refers to, after re-encoding (what the database holds for it).
MAX_DOCUMENT_BYTES = 200 * MIB
MAX_FILES_PER_DOCUMENT = 200

# Images: wider or taller ones are scaled down to this side; more pixels than this are refused
# before decoding (a decompression bomb: a few KiB of PNG that decodes to gigabytes).
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 85  # screenshots and graphs stay legible; photos of whiteboards shrink

MAX_NAME_CHARS = 120


def describe() -> str:
    """The limits in one sentence, for the uploader's help text."""
    return (
        f"Up to {MAX_FILE_BYTES // MIB} MB per file and {MAX_DOCUMENT_BYTES // MIB} MB "
        f"({MAX_FILES_PER_DOCUMENT} files) per post-mortem. Images larger than "
        f"{MAX_IMAGE_SIDE} pixels on a side are scaled down."
    )
