"""Step 6: the conditions that let the incident happen and last, written as properties of the system."""

from components import attachments, notes, page, went_wrong_factor

SLUG = "went-wrong"
stored = page.step(
    SLUG,
    "Describe what in the system allowed this to happen or to go on: a missing "
    "alert, a gap in a test, a confusing runbook, a risky default. Describe the system, "
    "not the people working in it.",
)
notes.editor(stored, "went_wrong", "What went wrong", "Condition")
went_wrong_factor.show(stored)
attachments.panel(stored, "went_wrong")
page.footer(SLUG, stored)
