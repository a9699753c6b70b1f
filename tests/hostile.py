"""A post-mortem with markup in every text field it accepts, for the tests that prove user text never runs."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from postmortem.models import PostMortem
from tests.conftest import build_postmortem

# HTML that runs script if it ever reaches the page as HTML, a Markdown link with a script URL, Markdown
# formatting, and a line that would start a heading.
PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script> **b** [l](javascript:alert(3))\n# h"
SHORT = "<img src=x onerror=alert(1)>"
UNSAFE_MARKERS = ("<img", "<script", "](javascript:")


def _leaves(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for n, item in enumerate(value) for leaf in _leaves(item, (*path, n))]
    return [path] if isinstance(value, str) else []


def _set(data: Any, path: tuple, value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def hostile_postmortem() -> PostMortem:
    """The sample post-mortem with every string field the model accepts it in set to PAYLOAD (or the
    one-line SHORT where newlines are refused); fields that refuse both (IDs, enums, times) keep theirs."""
    sample = build_postmortem()
    # The review-only records too: the Allspaw answer, a sign-off, a finding kept on purpose.
    sample = PostMortem.model_validate(
        {
            **sample.model_dump(mode="json"),
            "allspaw": {
                "role": "on-call",
                "fair": False,
                "comment": "c",
                "by": "b",
                "at": "2026-03-05T10:00:00Z",
            },
            "sign_offs": [{"role": "author", "name": "n", "signed_at": "2026-03-05T10:00:00Z"}],
            "dismissed_findings": [
                {"key": "k", "rule": "r", "text": "t", "reason": "because", "at": "2026-03-05T10:00:00Z"}
            ],
        }
    )
    data = sample.model_dump(mode="json")
    for path in _leaves(data):
        if str(path[-1]).endswith("id") or str(path[-1]).endswith("_ids"):
            continue  # internal keys the app generates, never typed
        original = _get(data, path)
        for candidate in (PAYLOAD, SHORT, f"{original} {SHORT}"):
            _set(data, path, candidate)
            try:
                PostMortem.model_validate(data)
                break
            except ValidationError:
                _set(data, path, original)
    return PostMortem.model_validate(data)


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def hostile_fields(doc: PostMortem) -> int:
    """How many string fields carry the payload (the tests check it is most of them)."""
    data = doc.model_dump(mode="json")
    return sum(1 for path in _leaves(data) if "onerror" in _get(data, path))
