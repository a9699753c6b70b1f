"""The portable format: a post-mortem as indented JSON, read back exactly by model_validate_json."""

from __future__ import annotations

from postmortem.models import PostMortem


def to_json(doc: PostMortem) -> str:
    """The whole document as indented JSON; lossless, so it is also the backup and exchange format."""
    return doc.model_dump_json(indent=2)
