"""Export: one record, a document for each audience, with what each one leaves out shown beside it."""

from components import audience_texts, exports, open_questions_export, page

SLUG = "export"
stored = page.step(
    SLUG,
    "Preview the document each audience gets, see what it leaves out, and download it as "
    "Markdown, Word or JSON. The JSON for the owning team is the whole post-mortem, "
    "ready to import elsewhere.",
)
audience_texts.customer_texts(stored)
exports.internal_marks(stored)
exports.download_all(stored)
open_questions_export.show(stored)
exports.audience_tabs(stored)
page.footer(SLUG, stored)
