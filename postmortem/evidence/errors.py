"""The one error an upload meets: a sentence the uploader shows as it is."""

from __future__ import annotations

from postmortem.errors import DebriefError


class AttachmentRefused(DebriefError, ValueError):
    """The file was not kept; the message says why, in the author's words."""
