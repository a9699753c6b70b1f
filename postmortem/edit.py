"""Edit one field of a document by its dotted path, re-validating the whole document."""

from __future__ import annotations

from typing import Any

from postmortem.models import PostMortem


def get_path(doc: PostMortem, path: str) -> Any:
    """The JSON-shaped value at `path` (e.g. 'impact.description', 'timeline')."""
    value: Any = doc.model_dump(mode="json")
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def with_value(doc: PostMortem, path: str, value: Any) -> PostMortem:
    """A new, validated document with `value` at `path`; raises pydantic.ValidationError if invalid."""
    data = doc.model_dump(mode="json")
    *parents, last = path.split(".")
    target = data
    for part in parents:
        if isinstance(target, list):
            target = target[int(part)]
        else:
            if target.get(part) is None:  # an optional section not filled in yet, e.g. impact.revenue
                target[part] = {}
            target = target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return PostMortem.model_validate(data)
