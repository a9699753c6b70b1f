"""One entry point for every export: (document, audience, format) -> bytes, shared by the app and the CLI."""

from __future__ import annotations

from collections.abc import Callable

from exports.jsonfmt import to_json
from exports.markdown import to_markdown
from postmortem.models import PostMortem

# Audiences that need redaction (executives, public, regulator) come later; "team" is the full document.
AUDIENCES: tuple[str, ...] = ("team",)

_RENDERERS: dict[str, Callable[[PostMortem], str]] = {"md": to_markdown, "json": to_json}
FORMATS: tuple[str, ...] = tuple(_RENDERERS)

MEDIA_TYPES = {"md": "text/markdown", "json": "application/json"}


def render(doc: PostMortem, audience: str = "team", fmt: str = "md") -> bytes:
    """The document for one audience in one format, as UTF-8 bytes."""
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}; choose one of: {', '.join(AUDIENCES)}.")
    if fmt not in _RENDERERS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    return _RENDERERS[fmt](doc).encode("utf-8")
