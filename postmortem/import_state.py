"""An imported document starts as a draft: the workflow state written in a file (status, sign-offs,
the Allspaw answer) is a claim by whoever wrote the file, not something this instance saw happen.

We keep it, read-only, as a note "as it was in the source" rather than refusing the file: moving a
finished post-mortem between instances is a real need, and the note tells reviewers what to re-sign.
The note names roles and times only: a sign-off's name belongs in the contacts table, not in text.
"""

from __future__ import annotations

from postmortem.models import DocStatus, ImportedText, PostMortem

HEADING = "As it was in the source (workflow state not carried over)"


def workflow_notes(doc: PostMortem) -> list[str]:
    """One line per piece of workflow state the document carries; empty for a plain draft."""
    notes = []
    if doc.header.status is not DocStatus.DRAFT:
        notes.append(f"Status in the source: {doc.header.status.value}.")
    for sign in doc.sign_offs:
        notes.append(f"Signed off in the source as {sign.role.value} at {sign.signed_at:%Y-%m-%d %H:%M} UTC.")
    if doc.allspaw is not None:
        answer = "yes" if doc.allspaw.fair else "no"
        notes.append(f"Allspaw test in the source: {doc.allspaw.role} answered {answer}.")
    return notes


def as_imported_draft(doc: PostMortem) -> tuple[PostMortem, list[str]]:
    """The document as a draft without sign-offs or Allspaw answer, the set-aside state kept as a note."""
    notes = workflow_notes(doc)
    if not notes:
        return doc, []
    kept = ImportedText(heading=HEADING, text="\n".join(f"- {line}" for line in notes))
    header = doc.header.model_copy(update={"status": DocStatus.DRAFT})
    return doc.model_copy(
        update={"header": header, "sign_offs": [], "allspaw": None, "imported": [*doc.imported, kept]}
    ), notes
