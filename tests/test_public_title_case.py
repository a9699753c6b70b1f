"""A public report's title that begins with a withheld host still begins with a capital letter:
'docs.rs outage postmortem' became 'an internal system outage postmortem' as the report's title."""

from __future__ import annotations

from exports.public import public_facts
from postmortem.models import new_postmortem


def test_a_title_starting_with_a_withheld_host_is_capitalised():
    facts = public_facts(new_postmortem("INC-2026-0001", "docs.rs outage postmortem"))
    assert facts["title"] == "An internal system outage postmortem"


def test_a_title_written_for_customers_is_kept_as_written():
    doc = new_postmortem("INC-2026-0001", "db outage")
    doc = doc.model_copy(
        update={"public": doc.public.model_copy(update={"title": "iCloud sign-in was slow"})}
    )
    assert public_facts(doc)["title"] == "iCloud sign-in was slow"
