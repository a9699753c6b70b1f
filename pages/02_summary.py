"""Step 2: the summary a reader who reads nothing else still learns the headline from."""

from components import attachments, audience_texts, fields, page

stored = page.step(
    "summary",
    "Three to five sentences: what happened, who was affected, how it was "
    "resolved, and the durable fix. Write it last if that is easier; it is saved as you type.",
)
fields.text_area(
    stored,
    "summary",
    "Summary",
    height=200,
    placeholder="For 22 minutes, checkout requests failed for about 4% of customers in the EU…",
)
audience_texts.resolution_and_business_summary(stored)
attachments.panel(stored, "summary")
page.footer("summary", stored)
