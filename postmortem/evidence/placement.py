"""Where attachments sit in a document: the ones of one place in order, reordering, removing, and
the ones whose place is gone (a deleted timeline event leaves its screenshot without a home)."""

from __future__ import annotations

from postmortem.models import AttachedTo, Attachment, PostMortem


def for_target(doc: PostMortem, target: AttachedTo, target_id: str) -> list[Attachment]:
    """The attachments of one place, in the author's order."""
    return sorted(
        (a for a in doc.attachments if a.target is target and a.target_id == target_id),
        key=lambda a: a.position,
    )


def reordered(doc: PostMortem, target: AttachedTo, target_id: str, ids: list[str]) -> PostMortem:
    """The document with one place's attachments in the order of `ids` (all of them, each once)."""
    here = for_target(doc, target, target_id)
    if sorted(ids) != sorted(a.id for a in here):
        raise ValueError("The new order must name each attachment of this place once.")
    position = {attachment_id: n for n, attachment_id in enumerate(ids)}
    return doc.model_copy(
        update={
            "attachments": [
                a.model_copy(update={"position": position[a.id]}) if a.id in position else a
                for a in doc.attachments
            ]
        }
    )


def removed(doc: PostMortem, attachment_id: str) -> PostMortem:
    """The document without one attachment (earlier versions keep it, and so its blob)."""
    return doc.model_copy(update={"attachments": [a for a in doc.attachments if a.id != attachment_id]})


def _places(doc: PostMortem) -> dict[AttachedTo, set[str]]:
    return {
        AttachedTo.EVENT: {e.id for e in doc.timeline},
        AttachedTo.FACTOR: {f.id for f in doc.contributing_factors},
        AttachedTo.CAUSAL_BOX: {n.id for n in doc.root_cause.causal_tree.nodes},
        AttachedTo.SECTION: {*type(doc).model_fields, "appendix"} - {"schema_version", "attachments"},
    }


def orphaned(doc: PostMortem) -> list[Attachment]:
    """Attachments whose event, factor, box or section is no longer in the document."""
    places = _places(doc)
    return [a for a in doc.attachments if a.target_id not in places[a.target]]


_SECTION_OF_TARGET = {
    AttachedTo.EVENT: "timeline",
    AttachedTo.FACTOR: "contributing_factors",
    AttachedTo.CAUSAL_BOX: "root_cause",
}
_FIELD_WORDS = {"caption": "Caption", "alt": "Alt text"}


def field_named(doc: PostMortem, path: str) -> tuple[str, str] | None:
    """For a path such as "attachments.2.caption": (the document section the file sits in, "Caption
    of grafana.png"), so a finding names the file, not a list index. None for any other path."""
    parts = path.split(".")
    if len(parts) != 3 or parts[0] != "attachments" or not parts[1].isdigit():
        return None
    index, field = int(parts[1]), parts[2]
    if index >= len(doc.attachments) or field not in _FIELD_WORDS:
        return None
    a = doc.attachments[index]
    section = _SECTION_OF_TARGET.get(a.target, a.target_id)
    return section, f"{_FIELD_WORDS[field]} of {a.name}"
