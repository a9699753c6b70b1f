"""Evidence attached to a post-mortem: what may come in, and how it is made safe. Pure: bytes in,
bytes out; storage keeps the result, pages and exports show it."""

from postmortem.evidence.accept import Accepted, accept, digest_of, room_for
from postmortem.evidence.errors import AttachmentRefused
from postmortem.evidence.kinds import IMAGES, MediaType
from postmortem.evidence.limits import describe as describe_limits

__all__ = [
    "IMAGES",
    "Accepted",
    "AttachmentRefused",
    "MediaType",
    "accept",
    "describe_limits",
    "digest_of",
    "room_for",
]
