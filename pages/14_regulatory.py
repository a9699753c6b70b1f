"""Regulatory report: the chosen regime's fields, for a post-mortem that is reportable."""

from components import page, regulatory

SLUG = "regulatory"
stored = page.step(
    SLUG,
    "The report a regulator asks for, in its own fields. Values with the same meaning as "
    "a field of this post-mortem are filled in and say where they come from; answer the rest.",
)
regulatory.show(stored)
page.footer(SLUG, stored)
