"""Every item of the README's audiences table is checked against the demo documents (issue 14, item 5).

The table's items and CHECKS' keys must be the same set: an item without a check fails, and so does a
check for an item the README no longer claims.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_exports_audiences import plain

from exports.render import render
from exports.withheld import withheld
from postmortem.demo import demo_documents
from postmortem.models import ContactKind, EventKind

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
DOC = demo_documents()[0]
# Identifiers planted in the text written for customers, which the public report must replace.
PLANTED = {
    "host": "db1.orders.internal",
    "machine": "pg-orders-01",
    "ip": "10.20.3.17",
    "link": "https://wiki.corp.example/runbooks/pool",
    "email": "oncall@corp.example",
    "handle": "@db-oncall",
    "ticket": "OPS-4411",
    "money": "$12,000",
    "service": "orders database pooler",
}
PUBLIC_DOC = DOC.model_copy(
    update={
        "public": DOC.public.model_copy(
            update={"what_happened": DOC.public.what_happened + " " + " and ".join(PLANTED.values()) + "."}
        )
    }
)


def md(audience: str, doc=DOC) -> str:
    return plain(render(doc, audience, "md", country="US").decode())


def js(audience: str, doc=DOC) -> dict:
    return json.loads(render(doc, audience, "json", country="US"))


PEOPLE = [c for c in DOC.contacts if c.kind is ContactKind.PERSON]
ROLES = {c.name: c.role for c in PEOPLE}
SECTIONS = [
    "## 1. Overview",
    "## 2. Summary",
    "## 3. Impact",
    "## 4. Timeline",
    "## 5. What went well",
    "## 6. What went wrong",
    "## 7. Contributing factors",
    "## 8. Root",
    "## 9. Action items",
    "## 10. Lessons",
    "## Appendix",
]


def _every_section(audience: str) -> bool:
    text = md(audience)
    return all(re.search(rf"^{re.escape(s)}", text, re.M) for s in SECTIONS)


def _not_in(text: str, items) -> bool:
    return not any(item.casefold() in text.casefold() for item in items if item)


CHECKS = {
    ("team", "includes", "every section"): lambda: _every_section("team"),
    ("team", "includes", "names and contact details"): lambda: all(
        c.name in md("team") and c.contact in md("team") for c in PEOPLE
    ),
    ("team", "includes", "lossless JSON"): lambda: type(DOC).model_validate(js("team")) == DOC,
    ("team", "replaced", "nothing"): lambda: withheld(DOC, "team") == [],
    ("team", "withheld", "nothing"): lambda: withheld(DOC, "team") == [],
    ("engineering", "includes", "every section"): lambda: _every_section("engineering"),
    ("engineering", "replaced", "people's names by their roles"): lambda: (
        _not_in(md("engineering"), ROLES) and all(role in md("engineering") for role in ROLES.values())
    ),
    ("engineering", "withheld", "personal contact details"): lambda: _not_in(
        md("engineering"), [c.contact for c in PEOPLE]
    ),
    ("engineering", "withheld", "imported text"): lambda: js("engineering")["imported"] == [],
    ("exec", "includes", "severity"): lambda: "| Severity | Sev1 |" in md("exec"),
    ("exec", "includes", "post-mortem deadline"): lambda: "| Post-mortem due | 2026-03-18 |" in md("exec"),
    ("exec", "includes", "customer impact window"): lambda: (
        "2026-03-10 14:02 to 2026-03-10 14:33" in md("exec")
    ),
    ("exec", "includes", "summary in business terms"): lambda: DOC.business_summary[:60] in md("exec"),
    ("exec", "includes", "customers, money and minutes of impact"): lambda: all(
        x in md("exec")
        for x in (
            "| Customers affected | 9,200 |",
            "41,500.00 USD",
            "| Minutes of customer impact | 31 min |",
        )
    ),
    ("exec", "includes", "resolution"): lambda: DOC.resolution[:60] in md("exec"),
    ("exec", "includes", "three most important open actions with owner role and due date"): lambda: (
        [(a["owner_role"], a["due"]) for a in js("exec")["top_actions"]]
        == [
            ("Database reliability engineer", "2026-03-24"),
            ("Observability engineer", "2026-04-03"),
            ("Incident commander", "2026-04-03"),
        ]
    ),
    ("exec", "includes", "other actions counted by status"): lambda: (
        "And 3 more action items: 2 open, 1 done." in md("exec")
    ),
    ("exec", "replaced", "owners' names by their roles"): lambda: _not_in(md("exec"), ROLES),
    ("exec", "withheld", "timeline"): lambda: _not_in(md("exec"), [e.text[:40] for e in DOC.timeline]),
    ("exec", "withheld", "what went well or wrong"): lambda: _not_in(
        md("exec"), [n.text[:40] for n in DOC.went_well + DOC.went_wrong]
    ),
    ("exec", "withheld", "contributing factors"): lambda: _not_in(
        md("exec"), [f.text[:40] for f in DOC.contributing_factors]
    ),
    ("exec", "withheld", "lessons"): lambda: _not_in(md("exec"), [n.text[:40] for n in DOC.lessons]),
    ("exec", "withheld", "contacts"): lambda: _not_in(md("exec"), [c.name for c in DOC.contacts]),
    ("public", "includes", "title written for customers"): lambda: md("public").startswith(
        f"# Incident report: {DOC.public.title}"
    ),
    ("public", "includes", "customer impact window"): lambda: all(
        x in md("public")
        for x in (
            "| Customers affected from (UTC) | 2026-03-10 14:02 |",
            "| Back to normal (UTC) | 2026-03-10 14:33 |",
        )
    ),
    ("public", "includes", "what customers saw"): lambda: DOC.public.what_customers_saw[:50] in md("public"),
    ("public", "includes", "what happened and why"): lambda: DOC.public.what_happened[:50] in md("public"),
    ("public", "includes", "what customers should do"): lambda: DOC.public.what_to_do[:30] in md("public"),
    ("public", "includes", "moments customers noticed"): lambda: (
        "Customers began to see the problem." in md("public") and "Status page updated" in md("public")
    ),
    ("public", "includes", "resolution"): lambda: DOC.resolution[:50] in md("public"),
    ("public", "includes", "public wording of action items"): lambda: all(
        a.public_text[:40] in md("public") for a in DOC.action_items if a.public_text
    ),
    ("public", "replaced", "names of people"): lambda: _not_in(md("public", PUBLIC_DOC), ROLES),
    ("public", "replaced", "services and internal names"): lambda: _not_in(
        md("public", PUBLIC_DOC), [PLANTED["service"]]
    ),
    ("public", "replaced", "host names, machine names and IP addresses"): lambda: _not_in(
        md("public", PUBLIC_DOC), [PLANTED["host"], PLANTED["machine"], PLANTED["ip"]]
    ),
    ("public", "replaced", "links not on a public domain"): lambda: (
        _not_in(md("public", PUBLIC_DOC), [PLANTED["link"]])
        and PLANTED["link"]
        in plain(render(PUBLIC_DOC, "public", "md", public_domains=["corp.example"], country="US").decode())
    ),
    ("public", "replaced", "e-mail addresses and handles"): lambda: _not_in(
        md("public", PUBLIC_DOC), [PLANTED["email"], PLANTED["handle"]]
    ),
    ("public", "replaced", "ticket keys"): lambda: _not_in(md("public", PUBLIC_DOC), [PLANTED["ticket"]]),
    ("public", "replaced", "amounts of money"): lambda: _not_in(md("public", PUBLIC_DOC), [PLANTED["money"]]),
    ("public", "withheld", "engineering summary"): lambda: _not_in(md("public"), [DOC.summary[:50]]),
    ("public", "withheld", "root-cause statement"): lambda: _not_in(
        md("public"), [DOC.root_cause.statement[:50]]
    ),
    ("public", "withheld", "revenue"): lambda: _not_in(md("public"), ["41,500", "41500"]),
    ("public", "withheld", "error budget"): lambda: _not_in(md("public"), ["error budget", "78 %"]),
    ("public", "withheld", "action-item titles and owners"): lambda: _not_in(
        md("public"), [a.title for a in DOC.action_items] + [a.owner for a in DOC.action_items]
    ),
    ("public", "withheld", "internal timeline events"): lambda: _not_in(
        md("public"), [e.text[:40] for e in DOC.timeline if e.kind is not EventKind.COMMUNICATION]
    ),
    ("public", "withheld", "what went well or wrong"): lambda: _not_in(
        md("public"), [n.text[:40] for n in DOC.went_well + DOC.went_wrong]
    ),
    ("public", "withheld", "contributing factors"): lambda: _not_in(
        md("public"), [f.text[:40] for f in DOC.contributing_factors]
    ),
    ("regulator", "includes", "named accountability"): lambda: (
        "## Named accountability" in md("regulator") and all(c.name in md("regulator") for c in PEOPLE)
    ),
    ("regulator", "includes", "sign-offs"): lambda: all(s.name in md("regulator") for s in DOC.sign_offs),
    ("regulator", "includes", "audit trail"): lambda: (
        "## Audit trail" in md("regulator") and js("regulator")["audit_trail"]
    ),
    ("regulator", "includes", "regime fields with codes and sources"): lambda: (
        js("regulator")["report"]["fields"]["3.15"] == "00:02:57"
        and "| 3.16 | Service downtime | 00:00:31 | pre-filled from" in md("regulator")
    ),
    ("regulator", "includes", "required fields still empty"): lambda: (
        "- 1.6 LEI code of the financial entity affected" in md("regulator")
    ),
    ("regulator", "includes", "root-cause narrative"): lambda: "## Root-cause narrative" in md("regulator"),
    ("regulator", "replaced", "nothing"): lambda: all(c.name in md("regulator") for c in PEOPLE),
    ("regulator", "withheld", "timeline detail"): lambda: _not_in(
        md("regulator"), [DOC.timeline[0].text[:40]]
    ),
    ("regulator", "withheld", "interviews"): lambda: _not_in(
        md("regulator"), [r.observed[:40] for i in DOC.interviews for r in i.rows]
    ),
    ("regulator", "withheld", "what went well or wrong"): lambda: _not_in(
        md("regulator"), [n.text[:40] for n in DOC.went_well + DOC.went_wrong]
    ),
    ("regulator", "withheld", "lessons"): lambda: _not_in(
        md("regulator"), [n.text[:40] for n in DOC.lessons]
    ),
}


def readme_items() -> set[tuple[str, str, str]]:
    """(audience, column, item) for every item in the README's audiences table."""
    table = README.split("| Audience | Includes | Replaced | Withheld |", 1)[1].split("\n\n", 1)[0]
    items = set()
    for line in table.strip().splitlines()[1:]:
        audience, *cells = [c.strip() for c in line.strip("|").split("|")]
        for column, cell in zip(("includes", "replaced", "withheld"), cells, strict=True):
            items |= {(audience.strip("`"), column, item.strip()) for item in cell.split(";")}
    return items


def test_every_item_of_the_table_has_a_check_and_every_check_an_item():
    assert readme_items() == set(CHECKS)


@pytest.mark.parametrize("key", sorted(CHECKS), ids=[" / ".join(k) for k in sorted(CHECKS)])
def test_each_item_of_the_table_holds(key):
    assert CHECKS[key]()
