"""Edit one field of a document by its dotted path, re-validating the whole document."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from postmortem.models import PostMortem


def get_path(doc: PostMortem, path: str) -> Any:
    """The JSON-shaped value at `path` (e.g. 'impact.description', 'timeline')."""
    value: Any = doc
    for part in path.split("."):
        if value is None:
            return None  # inside an optional section that is still empty
        if isinstance(value, list):
            value = value[int(part)]
        elif part in type(value).model_fields:
            value = getattr(value, part)
        else:
            raise KeyError(f"{path}: no field {part!r}")
    # Only the part asked for is converted: dumping the whole document on every rerun is slow.
    return to_jsonable_python(value)


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
