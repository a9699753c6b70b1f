"""The one error an upload meets: a sentence the uploader shows as it is."""

from __future__ import annotations


class AttachmentRefused(ValueError):
    """The file was not kept; the message says why, in the author's words."""
